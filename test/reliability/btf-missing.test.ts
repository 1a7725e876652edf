// Without the kernel's BTF, the columns that need struct offsets from it (ppid reads
// task_struct) are unavailable, with the reason, at the place the query names them; every
// other column works. BPFQL_BTF points bpfql at another BTF file (here: one that is missing).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { QueryError } from '../../src/diag/diagnostic.js';
import { formatDiagnostic } from '../../src/diag/messages.js';
import { kernelPlannerEnv } from '../../src/runtime/kernel-env.js';
import { OffsetUnavailableError } from '../../src/planner/offsets.js';
import type { PlannerEnv } from '../../src/planner/offsets.js';
import { planQuery } from '../../src/planner/planner.js';
import { parseStatement } from '../../src/query/parse.js';
import { fixtureCatalog } from '../helpers/fixture-catalog.js';
import { fromRoot } from '../helpers/paths.js';

const noBtf: PlannerEnv = {
  memberOffset(struct, member) {
    throw new OffsetUnavailableError(`${struct}.${member} comes from BTF, and there is none`);
  },
  btfTypes() {
    throw new OffsetUnavailableError('kernel struct members come from BTF, and there is none');
  },
};

function plan(sql: string): ReturnType<typeof planQuery> {
  const stmt = parseStatement(sql);
  if (stmt.kind !== 'query') throw new Error('not a query');
  return planQuery(stmt.query, fixtureCatalog({}, undefined, undefined, false), noBtf);
}

function diagnosticText(sql: string): string {
  try {
    plan(sql);
  } catch (e) {
    if (!(e instanceof QueryError)) throw e;
    return e.diagnostics.map((d) => formatDiagnostic(d, sql)).join('\n');
  }
  throw new Error(`${sql} planned`);
}

const REASON = "column 'ppid' is not available on this kernel: task_struct.real_parent comes from BTF, and there is none";

test('a query that reads ppid gets column-unavailable at the reference, in SELECT, WHERE or by *', () => {
  assert.equal(diagnosticText('SELECT pid, ppid FROM exec'), [
    `query:1:13: error[column-unavailable]: ${REASON}`,
    '1 | SELECT pid, ppid FROM exec',
    '                ^^^^',
  ].join('\n'));
  assert.equal(diagnosticText('SELECT comm, count(*) FROM exec WHERE ppid = 1 GROUP BY comm'), [
    `query:1:39: error[column-unavailable]: ${REASON}`,
    '1 | SELECT comm, count(*) FROM exec WHERE ppid = 1 GROUP BY comm',
    '                                          ^^^^',
  ].join('\n'));
  assert.equal(diagnosticText('SELECT * FROM exec'), [
    `query:1:8: error[column-unavailable]: ${REASON}`,
    '1 | SELECT * FROM exec',
    '           ^',
  ].join('\n'));
});

test('queries that do not read ppid plan as before, streaming and aggregating (exec back on its classic record, whose filename needs no BTF)', () => {
  const streamed = plan("SELECT pid, comm, filename FROM exec WHERE comm = 'sh'");
  assert.equal(streamed.kernel.mode.kind, 'stream');
  assert.equal(streamed.kernel.taskOffsets, undefined);
  const aggregated = plan('SELECT comm, count(*) FROM exec GROUP BY comm');
  assert.equal(aggregated.kernel.mode.kind, 'aggregate');
  assert.equal(aggregated.kernel.taskOffsets, undefined);
});

const saved = process.env['BPFQL_BTF'];
after(() => {
  if (saved === undefined) delete process.env['BPFQL_BTF'];
  else process.env['BPFQL_BTF'] = saved;
});

test('BPFQL_BTF at a missing file or at a file that is not BTF: the kernel env says the offset is unavailable, and why', () => {
  process.env['BPFQL_BTF'] = '/nonexistent/vmlinux';
  assert.throws(() => kernelPlannerEnv.memberOffset('task_struct', 'real_parent'), (e: unknown) => {
    assert.ok(e instanceof OffsetUnavailableError);
    assert.equal(e.message, "task_struct.real_parent comes from BTF: the kernel's BTF cannot be read at /nonexistent/vmlinux (ENOENT); the path comes from BPFQL_BTF");
    return true;
  });
  process.env['BPFQL_BTF'] = fromRoot('package.json');
  assert.throws(() => kernelPlannerEnv.memberOffset('task_struct', 'tgid'), (e: unknown) => {
    assert.ok(e instanceof OffsetUnavailableError);
    assert.equal(e.message, 'task_struct.tgid comes from BTF: not raw little-endian BTF (magic 0xeb9f missing)');
    return true;
  });
});
