// A kernel that lacks a table's tracepoint, or whose format file changed, makes that table
// unavailable with the reason: a query on it is a bad query (exit 2, caret at the table name),
// everything else keeps working, and no format text, however mangled, makes bpfql throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reportError } from '../../src/engine/report-error.js';
import { QueryError } from '../../src/diag/diagnostic.js';
import { Engine } from '../../src/engine/engine.js';
import { planQuery } from '../../src/planner/planner.js';
import { parseStatement } from '../../src/query/parse.js';
import { fixtureCatalog, fixtureFormat, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

const EXEC = 'sched/sched_process_exec';
const OPENAT = 'syscalls/sys_enter_openat';

async function failure(overrides: Readonly<Record<string, string | undefined>>, sql: string): Promise<{ text: string; exitCode: number }> {
  const engine = await Engine.open({}, fixtureCatalog(overrides), fixturePlannerEnv);
  try {
    await engine.execute(sql);
  } catch (e) {
    assert.ok(e instanceof QueryError, String(e));
    return reportError(e, sql);
  } finally {
    await engine.close();
  }
  throw new Error(`${sql} did not fail`);
}

test('a query on a table whose tracepoint this kernel lacks: exit 2, table-unavailable, caret at the table name', async () => {
  const r = await failure({ [EXEC]: undefined }, 'SELECT comm, count(*) FROM exec GROUP BY comm');
  assert.equal(r.exitCode, 2);
  assert.equal(r.text, [
    "query:1:28: error[table-unavailable]: table 'exec' is not available on this kernel: this kernel has no tracepoint sched:sched_process_exec",
    '1 | SELECT comm, count(*) FROM exec GROUP BY comm',
    '                               ^^^^',
  ].join('\n'));
});

test('a format that lost a field the table reads: exit 2, table-unavailable with the missing field', async () => {
  const changed = fixtureFormat('sched_process_exec').replace(/^.*__data_loc char\[\] filename;.*\n/m, '');
  const r = await failure({ [EXEC]: changed }, 'SELECT filename FROM exec');
  assert.equal(r.exitCode, 2);
  assert.equal(r.text, [
    "query:1:22: error[table-unavailable]: table 'exec' is not available on this kernel: the format of sched_process_exec has no field 'filename'",
    '1 | SELECT filename FROM exec',
    '                         ^^^^',
  ].join('\n'));
});

test('with exec unavailable, SHOW TABLES says why and other tables still plan', async () => {
  const engine = await Engine.open({}, fixtureCatalog({ [EXEC]: undefined }), fixturePlannerEnv);
  try {
    const shown = await engine.execute('SHOW TABLES');
    assert.equal(shown.kind, 'rows');
    assert.deepEqual(shown.result.rows.find((r) => r[0] === 'exec'), ['exec', 'kernel', false, 'unavailable: this kernel has no tracepoint sched:sched_process_exec', null]);
    const { plan } = engine.prepare(parseQuery('SELECT comm, count(*) FROM tracepoint.syscalls.sys_enter_openat GROUP BY comm'));
    assert.equal(plan.kernel.mode.kind, 'aggregate');
  } finally {
    await engine.close();
  }
});

function parseQuery(sql: string): Extract<ReturnType<typeof parseStatement>, { kind: 'query' }>['query'] {
  const stmt = parseStatement(sql);
  if (stmt.kind !== 'query') throw new Error(`${sql} is not a query`);
  return stmt.query;
}

/** Format texts a kernel could plausibly show after a change: every line removed, and every prefix of the file. */
function mangled(text: string): string[] {
  const lines = text.split('\n');
  const out = lines.map((_, i) => [...lines.slice(0, i), ...lines.slice(i + 1)].join('\n'));
  for (let n = 0; n <= text.length; n++) out.push(text.slice(0, n));
  out.push(text.replace(/size:4/g, 'size:3'), text.replace(/offset:(\d+)/g, 'offset:-$1'), text.replace(/signed:\d/g, 'signed:x'));
  return out;
}

test('no mangled format makes the catalog or the planner throw anything but a diagnostic', () => {
  const queries: readonly [string, string, string][] = [
    [EXEC, 'sched_process_exec', 'SELECT filename, count(*) FROM exec GROUP BY filename'],
    [OPENAT, 'sys_enter_openat', 'SELECT filename, flags FROM tracepoint.syscalls.sys_enter_openat WHERE dfd = 3'],
  ];
  const outcomes = new Map<string, number>();
  for (const [key, file, sql] of queries) {
    for (const text of mangled(fixtureFormat(file))) {
      const catalog = fixtureCatalog({ [key]: text });
      let outcome: string;
      try {
        planQuery(parseQuery(sql), catalog, fixturePlannerEnv);
        outcome = 'planned';
      } catch (e) {
        if (!(e instanceof QueryError)) throw new Error(`format ${JSON.stringify(text)} made '${sql}' throw ${String(e)}`);
        outcome = e.diagnostics.map((d) => d.code).join(',');
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
  }
  // Both kinds of outcome occur: the check above is not vacuous.
  assert.ok((outcomes.get('planned') ?? 0) > 0, JSON.stringify([...outcomes]));
  assert.ok([...outcomes.keys()].some((k) => k !== 'planned'), JSON.stringify([...outcomes]));
});
