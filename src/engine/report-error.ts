// How front ends (the CLI, `bpfql run`, the REPL) report failures: query errors with a caret
// (exit 2), kernel and runtime errors in one clear sentence with a hint (exit 1). Never a stack trace.
import { QueryError } from '../diag/diagnostic.js';
import { formatDiagnostic } from '../diag/messages.js';
import { kernelFailureText } from '../runtime/kernel-failure.js';

export const ExitCode = { ok: 0, runtime: 1, badQuery: 2, assertionFailed: 3 } as const;

export interface Reported {
  readonly text: string;
  readonly exitCode: number;
}

/** Renders an error thrown while running `source` (the statement text, offsets relative to it). */
export function reportError(e: unknown, source: string, sourceName = 'query'): Reported {
  if (e instanceof QueryError) {
    return { text: e.diagnostics.map((d) => formatDiagnostic(d, source, sourceName)).join('\n'), exitCode: ExitCode.badQuery };
  }
  const kernel = kernelFailureText(e);
  if (kernel !== undefined) return { text: `error: ${kernel}`, exitCode: ExitCode.runtime };
  const message = e instanceof Error ? e.message : String(e);
  return { text: `error: ${message}`, exitCode: ExitCode.runtime };
}
