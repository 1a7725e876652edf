// A program the verifier rejects is reported as a bpfql bug: one sentence for the user, and a
// file with the query, the disassembly and the end of the verifier log. The kernel is a FakeSys
// whose BPF_PROG_LOAD refuses with EACCES and a log, as the verifier does.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { disassemble } from '../../src/bpf/index.js';
import { compileKernelPlan, type CompiledProgram } from '../../src/bpf-templates/compile.js';
import { ExitCode, reportError } from '../../src/engine/report-error.js';
import { LOG_TAIL_LINES, VerifierBugError, verifierBugOr } from '../../src/engine/bug-report.js';
import { loadAndAttach } from '../../src/runtime/load.js';
import { BpfCmd, ProgLoad } from '../../src/kernel/bpf-cmd.js';
import { setSys } from '../../src/kernel/sys.js';
import type { Plan } from '../../src/planner/plan.js';
import { planQuery } from '../../src/planner/planner.js';
import { parseStatement } from '../../src/query/parse.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';
import { FakeSys } from '../kernel/fake-sys.js';

const EACCES = 13;
const FIRST_MAP_FD = 40;

let dir = '';
let savedTmp: string | undefined;

beforeEach(() => {
  // os.tmpdir() follows TMPDIR, so each test's report lands in a directory of its own.
  dir = mkdtempSync(join(tmpdir(), 'bpfql-bug-report-'));
  savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = dir;
});

afterEach(() => {
  setSys(undefined);
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  rmSync(dir, { recursive: true, force: true });
});

function compiled(text: string): { plan: Plan; program: CompiledProgram } {
  const s = parseStatement(text);
  if (s.kind !== 'query') throw new Error('not a query');
  const plan = planQuery(s.query, fixtureCatalog(), fixturePlannerEnv);
  return { plan, program: compileKernelPlan(plan.kernel, plan.table) };
}

/** A kernel that creates maps and lets the verifier reject the program named `rejected`. */
function verifierRejects(rejected: string, log: string): FakeSys {
  const f = new FakeSys();
  let fd = FIRST_MAP_FD;
  f.onBpf = (cmd, attr, fake) => {
    if (cmd === BpfCmd.MAP_CREATE) return fd++;
    assert.equal(cmd, BpfCmd.PROG_LOAD);
    const name = attr.toString('utf8', ProgLoad.progName, ProgLoad.progName + 16).replace(/\0.*$/s, '');
    if (name !== rejected) return fd++;
    if (attr.readUInt32LE(ProgLoad.logLevel) > 0) fake.deref(attr.readBigUInt64LE(ProgLoad.logBuf)).write(`${log}\0`);
    return -EACCES;
  };
  setSys(f);
  return f;
}

/** Loads the program as the engine does, a verifier rejection becoming the bug report's error. */
function rejection(query: string, plan: Plan, program: CompiledProgram): VerifierBugError {
  try {
    loadAndAttach(plan.kernel, program);
  } catch (e) {
    const reported = verifierBugOr(e, query, program);
    if (reported instanceof VerifierBugError) return reported;
    throw reported;
  }
  assert.fail('the load succeeded');
}

const LOG = ['0: R1=ctx() R10=fp0', '0: (bf) r6 = r1', '1: (79) r0 = *(u64 *)(r10 -8)', 'invalid read from stack off -8+0 size 8', 'processed 2 insns (limit 1000000)'].join('\n');

test('a rejected program becomes a bug report naming the query, with the disassembly and the log', () => {
  const query = 'SELECT comm, count(*) FROM exec GROUP BY comm FOR 1s';
  const { plan, program } = compiled(query);
  const f = verifierRejects(program.name, LOG);
  const e = rejection(query, plan, program);
  assert.equal(dirname(e.path), dir);
  assert.match(e.path, /\/bpfql-verifier-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-\d+\.txt$/);
  assert.equal(e.message, `the kernel's verifier rejected the program bpfql generated — this is a bpfql bug; details in ${e.path}`);
  assert.equal(e.verifier.log, LOG);
  const report = readFileSync(e.path, 'utf8');
  assert.ok(report.includes(`== query ==\n${query}\n`));
  assert.ok(report.includes(`== program '${program.name}' (${program.assembled.insns.length} instructions) ==\n${disassemble(program.assembled)}\n`));
  assert.ok(report.includes(`== verifier log (EACCES), last 5 of 5 lines ==\n${LOG}\n`));
  // Every map the load created was closed again.
  assert.deepEqual([...f.closed].sort((a, b) => a - b), program.maps.map((_, i) => FIRST_MAP_FD + i));
});

test('the CLI prints the report as one line and exits 1', () => {
  const query = 'SELECT pid FROM exec';
  const { plan, program } = compiled(query);
  verifierRejects(program.name, LOG);
  const e = rejection(query, plan, program);
  assert.deepEqual(reportError(e, query), {
    text: `error: the kernel's verifier rejected the program bpfql generated — this is a bpfql bug; details in ${e.path}`,
    exitCode: ExitCode.runtime,
  });
});

test('when the entry program of a paired table is rejected, the report shows that program', () => {
  const query = 'SELECT filename, ret FROM open';
  const { plan, program } = compiled(query);
  const entry = program.entries[0];
  assert.ok(entry);
  verifierRejects(entry.name, LOG);
  const e = rejection(query, plan, program);
  const report = readFileSync(e.path, 'utf8');
  assert.ok(report.includes(`== program '${entry.name}' (${entry.assembled.insns.length} instructions) ==\n${disassemble(entry.assembled)}\n`));
  assert.ok(!report.includes(`== program '${program.name}'`));
});

test('a long verifier log is cut to its last lines', () => {
  const lines = Array.from({ length: LOG_TAIL_LINES + 50 }, (_, i) => `${i}: (b7) r0 = ${i}`);
  const query = 'SELECT pid FROM exec';
  const { plan, program } = compiled(query);
  verifierRejects(program.name, lines.join('\n'));
  const report = readFileSync(rejection(query, plan, program).path, 'utf8');
  assert.ok(report.endsWith(`== verifier log (EACCES), last ${LOG_TAIL_LINES} of ${lines.length} lines ==\n${lines.slice(50).join('\n')}\n`));
  assert.ok(!report.includes('\n49: (b7) r0 = 49\n'));
});
