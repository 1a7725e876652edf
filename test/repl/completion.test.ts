import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionNames } from '../../src/repl/completion.js';
import { commonPrefix, complete, tablesIn } from '../../src/repl/completion.js';

const names: CompletionNames = {
  tables: ['exec', 'open', 'tracepoint.sched.sched_switch', 'tracepoint.sched.sched_wakeup', 'tracepoint.block.block_rq_issue', 'last', 'execs_saved'],
  columnsOf: (t) => ({ exec: ['ts', 'cpu', 'pid', 'comm', 'filename'], last: ['comm', 'n'] } as Record<string, string[]>)[t] ?? [],
};

const at = (text: string): { text: string; cursor: number } => ({ text: text.replace('|', ''), cursor: text.indexOf('|') });
const candidates = (text: string): readonly string[] => {
  const { text: t, cursor } = at(text);
  return complete(t, cursor, names).candidates;
};

test('after FROM: kernel and DuckDB tables, one dotted segment at a time', () => {
  assert.deepEqual(candidates('SELECT * FROM ex|'), ['exec', 'execs_saved']);
  assert.deepEqual(candidates('SELECT * FROM tr|'), ['tracepoint.']);
  assert.deepEqual(candidates('SELECT * FROM tracepoint.|'), ['tracepoint.block.', 'tracepoint.sched.']);
  assert.deepEqual(candidates('SELECT * FROM tracepoint.sched.sched_s|'), ['tracepoint.sched.sched_switch']);
  assert.deepEqual(candidates('describe l|'), ['last']);
  assert.equal(complete('SELECT * FROM tracepoint.sch', 28, names).start, 14);
});

test('elsewhere: columns of the tables in the statement, then functions, then keywords in the typed case', () => {
  assert.deepEqual(candidates('SELECT C| FROM exec'), ['comm', 'cpu', 'count', 'CASE', 'CAST', 'COPY', 'CREATE']);
  assert.deepEqual(candidates('select c| from exec'), ['comm', 'cpu', 'count', 'case', 'cast', 'copy', 'create']);
  assert.deepEqual(candidates('SELECT comm FROM exec WHERE fi|'), ['filename', 'first']);
  assert.deepEqual(candidates('SELECT n FROM last; SELECT c| FROM exec'), ['comm', 'cpu', 'count', 'case', 'cast', 'copy', 'create']);
  // A ';' inside a string does not end the statement: the columns still come from `exec`.
  assert.deepEqual(candidates("SELECT C| FROM exec WHERE comm = 'a;b'"), ['comm', 'cpu', 'count', 'CASE', 'CAST', 'COPY', 'CREATE']);
  assert.deepEqual(candidates("SELECT comm FROM exec WHERE comm <> ';' AND fi|"), ['filename', 'first']);
  assert.deepEqual(candidates('SELECT comm FROM exec GROUP B|'), ['BY']);
  assert.deepEqual(candidates('SELECT comm FROM exec order |'), ['BY']);
  assert.deepEqual(candidates('SELECT comm FROM exec WHERE B|'), ['bit_and', 'bit_or', 'bit_xor', 'bool_and', 'bool_or', 'BETWEEN', 'BY']);
  assert.deepEqual(candidates('SELECT x.co|'), []);
});

test('meta commands and their arguments', () => {
  assert.deepEqual(candidates('.t|'), ['.tables', '.timer']);
  assert.deepEqual(candidates('.schema tracepoint.s|'), ['tracepoint.sched.']);
  assert.deepEqual(candidates('.format |'), ['csv', 'folded', 'json', 'markdown', 'ndjson', 'svg', 'table']);
  assert.deepEqual(candidates('.timer o|'), ['off', 'on']);
});

test('tables named after FROM and JOIN; the common prefix of candidates ignores case', () => {
  assert.deepEqual(tablesIn('SELECT * FROM exec e JOIN Last l ON e.comm = l.comm'), ['exec', 'last']);
  assert.deepEqual(tablesIn('SELECT 1'), []);
  assert.equal(commonPrefix(['tracepoint.sched.', 'tracepoint.signal.']), 'tracepoint.s');
  assert.equal(commonPrefix(['Comm', 'count']), 'Co');
  assert.equal(commonPrefix([]), '');
});

test('after a path\'s dot: the members of the struct it reaches, from the planner (BTF)', async () => {
  const { completeMembers } = await import('../../src/planner/typed-fields.js');
  const { fixtureCatalog, fixturePlannerEnv } = await import('../helpers/fixture-catalog.js');
  const catalog = fixtureCatalog({}, undefined, { sched_switch: 1 });
  const withMembers: CompletionNames = {
    ...names,
    membersOf: (table, parts) => {
      const t = catalog.resolve(table);
      return t.kind === 'table' ? completeMembers(t.table, parts, fixturePlannerEnv) : [];
    },
  };
  const members = (text: string): readonly string[] => complete(at(text).text, at(text).cursor, withMembers).candidates;
  assert.deepEqual(members('SELECT next.pr| FROM tracepoint.sched.sched_switch'), ['next.prio']);
  assert.deepEqual(members('SELECT next.real_parent.t| FROM tracepoint.sched.sched_switch'), ['next.real_parent.tgid']);
  assert.deepEqual(members('SELECT current.mm.| FROM exec'), ['current.mm.total_vm']);
  assert.deepEqual(members('SELECT next.prio.| FROM tracepoint.sched.sched_switch'), []);
  assert.deepEqual(members('SELECT nope.| FROM tracepoint.sched.sched_switch'), []);
});
