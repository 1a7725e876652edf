// A program bpfql generated that the kernel's verifier rejects is a bug in bpfql, not in the
// query. Instead of the verifier's jargon the user gets one sentence and a file to report: the
// query, the program's disassembly and the end of the verifier's log.
import { writeFileSync } from 'node:fs';
import { arch, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { disassemble, type Assembled } from '../bpf/index.js';
import type { CompiledProgram } from '../bpf-templates/compile.js';
import { VerifierError } from '../kernel/errors.js';

/** Lines of the verifier log kept in the report: its end says what went wrong and where. */
export const LOG_TAIL_LINES = 200;

/** The verifier rejected a generated program; `path` holds the report. */
export class VerifierBugError extends Error {
  readonly path: string;
  readonly verifier: VerifierError;

  constructor(path: string, verifier: VerifierError) {
    super(`the kernel's verifier rejected the program bpfql generated — this is a bpfql bug; details in ${path}`);
    this.name = 'VerifierBugError';
    this.path = path;
    this.verifier = verifier;
  }
}

/** The text of the report on `error`, raised loading `program` (or one of its entry or further programs) for `query`. */
export function verifierReport(query: string, program: CompiledProgram, error: VerifierError, at: Date): string {
  const rejected: { name: string; assembled: Assembled } = [...program.entries, ...program.others].find((e) => e.name === error.program) ?? program;
  const logLines = error.log.split('\n').filter((l) => l.trim() !== '').length;
  return [
    "bpfql bug report: the kernel's verifier rejected a program bpfql generated.",
    `time: ${at.toISOString()}   kernel: ${release()} (${arch()})   node: ${process.version}`,
    '',
    '== query ==',
    query,
    '',
    `== maps ==`,
    ...program.maps.map((m) => `${m.name}: ${m.type}, key ${m.keySize} B, value ${m.valueSize} B, max ${m.maxEntries}`),
    '',
    `== program '${rejected.name}' (${rejected.assembled.insns.length} instructions) ==`,
    disassemble(rejected.assembled),
    '',
    `== verifier log (${error.code}), last ${Math.min(LOG_TAIL_LINES, logLines)} of ${logLines} lines ==`,
    error.tail(LOG_TAIL_LINES),
    '',
  ].join('\n');
}

/**
 * Writes the report to bpfql-verifier-<time>.txt in the temporary directory (else the current
 * one) and returns the error to throw instead of `error`; `error` itself when no file could be written.
 */
export function reportVerifierBug(query: string, program: CompiledProgram, error: VerifierError): Error {
  const at = new Date();
  const text = verifierReport(query, program, error, at);
  const file = `bpfql-verifier-${at.toISOString().replace(/[:.]/g, '-')}-${process.pid}.txt`;
  for (const dir of [tmpdir(), process.cwd()]) {
    const path = join(dir, file);
    try {
      // Created, never opened: the name is predictable, so a link planted at it in /tmp is refused.
      writeFileSync(path, text, { flag: 'wx', mode: 0o644 });
      return new VerifierBugError(path, error);
    } catch {
      // Try the next place; with none writable the verifier's own message is all there is.
    }
  }
  return error;
}

/** `e` as the user should see it: a verifier rejection of `program` becomes the bug report's error. */
export function verifierBugOr(e: unknown, query: string, program: CompiledProgram): unknown {
  return e instanceof VerifierError ? reportVerifierBug(query, program, e) : e;
}
