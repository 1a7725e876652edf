import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SelectQuery, Statement } from '../../src/query/ast.js';
import { parseStatement } from '../../src/query/parse.js';
import { bin, call, col, int, str, stripSpans } from './ast-builders.js';

function select(text: string): SelectQuery {
  const s = parseStatement(text);
  assert.ok(s.kind === 'query');
  return s.query;
}

const slice = (text: string, s: { start: number; end: number }): string => text.slice(s.start, s.end);

test('a full SELECT, with every span', () => {
  const text = 'SELECT comm, count(*) n FROM exec WHERE pid > 1 GROUP BY comm HAVING n > 2 ORDER BY n DESC LIMIT 5 EVERY 1s FOR 10s;';
  const expected: Statement = {
    kind: 'query',
    query: {
      kind: 'select',
      items: [
        { kind: 'expr', expr: { kind: 'column', name: 'comm', span: { start: 7, end: 11 } }, span: { start: 7, end: 11 } },
        {
          kind: 'expr',
          expr: { kind: 'call', name: 'count', args: [], distinct: false, star: true, span: { start: 13, end: 21 } },
          alias: 'n',
          span: { start: 13, end: 23 },
        },
      ],
      from: { kind: 'table', name: 'exec', span: { start: 29, end: 33 } },
      where: {
        kind: 'binary',
        op: '>',
        left: { kind: 'column', name: 'pid', span: { start: 40, end: 43 } },
        right: { kind: 'literal', value: { type: 'int', value: 1n }, span: { start: 46, end: 47 } },
        span: { start: 40, end: 47 },
      },
      groupBy: [{ kind: 'column', name: 'comm', span: { start: 57, end: 61 } }],
      having: {
        kind: 'binary',
        op: '>',
        left: { kind: 'column', name: 'n', span: { start: 69, end: 70 } },
        right: { kind: 'literal', value: { type: 'int', value: 2n }, span: { start: 73, end: 74 } },
        span: { start: 69, end: 74 },
      },
      orderBy: [{ expr: { kind: 'column', name: 'n', span: { start: 84, end: 85 } }, descending: true, span: { start: 84, end: 90 } }],
      limit: { value: 5, span: { start: 97, end: 98 } },
      every: { ms: 1000, text: '1s', span: { start: 105, end: 107 } },
      for: { ms: 10_000, text: '10s', span: { start: 112, end: 115 } },
      span: { start: 0, end: 115 },
    },
    span: { start: 0, end: 115 },
  };
  assert.deepEqual(parseStatement(text), expected);
});

test('a minimal SELECT has empty lists and no optional clauses', () => {
  assert.deepEqual(stripSpans(select('select * from exec')), {
    kind: 'select',
    items: [{ kind: 'star' }],
    from: { kind: 'table', name: 'exec' },
    groupBy: [],
    orderBy: [],
  });
});

test('FOR may come before EVERY; durations in every unit', () => {
  const q = select('SELECT a FROM t FOR 2m EVERY 500ms');
  assert.deepEqual(stripSpans(q.for), { ms: 120_000, text: '2m' });
  assert.deepEqual(stripSpans(q.every), { ms: 500, text: '500ms' });
  assert.deepEqual(select('SELECT a FROM t FOR 1h').for?.ms, 3_600_000);
  assert.deepEqual(select('SELECT a FROM t EVERY 10S').every?.ms, 10_000);
});

test('select items: AS alias, bare alias, quoted alias, star among others', () => {
  assert.deepEqual(stripSpans(select('SELECT a AS x, b y, c "Z", *, d FROM t').items), [
    { kind: 'expr', expr: col('a'), alias: 'x' },
    { kind: 'expr', expr: col('b'), alias: 'y' },
    { kind: 'expr', expr: col('c'), alias: 'Z' },
    { kind: 'star' },
    { kind: 'expr', expr: col('d') },
  ]);
});

test('GROUP BY and ORDER BY lists with ASC and DESC', () => {
  const q = select('SELECT a FROM t GROUP BY a, b % 2 ORDER BY a ASC, b DESC, c');
  assert.deepEqual(stripSpans(q.groupBy), [col('a'), bin('%', col('b'), int(2))]);
  assert.deepEqual(stripSpans(q.orderBy), [
    { expr: col('a'), descending: false },
    { expr: col('b'), descending: true },
    { expr: col('c'), descending: false },
  ]);
});

test('dotted table names keep their dots; table functions take arguments', () => {
  const text = "SELECT * FROM tracepoint.syscalls.sys_enter_openat";
  const q = select(text);
  assert.deepEqual(q.from, { kind: 'table', name: 'tracepoint.syscalls.sys_enter_openat', span: { start: 14, end: text.length } });
  const u = "SELECT count(*) FROM uprobe('/usr/bin/bash', 'readline')";
  const f = select(u).from;
  assert.deepEqual(stripSpans(f), { kind: 'table-function', name: 'uprobe', args: [str('/usr/bin/bash'), str('readline')] });
  assert.equal(slice(u, f.span), "uprobe('/usr/bin/bash', 'readline')");
});

test('EXPLAIN wraps a query and spans from EXPLAIN', () => {
  const text = 'explain SELECT comm FROM exec';
  const s = parseStatement(text);
  assert.ok(s.kind === 'explain');
  assert.deepEqual(s.span, { start: 0, end: text.length });
  assert.deepEqual(s.query.span, { start: 8, end: text.length });
});

test('CREATE TABLE … AS and INSERT INTO', () => {
  const c = parseStatement('CREATE TABLE Opens AS SELECT filename FROM open FOR 5s');
  assert.ok(c.kind === 'create-table-as');
  assert.equal(c.table, 'opens');
  assert.deepEqual(stripSpans(c.query.items), [{ kind: 'expr', expr: col('filename') }]);
  assert.deepEqual(c.span, { start: 0, end: 54 });
  const i = parseStatement('INSERT INTO "Opens" SELECT filename FROM open FOR 5s ;');
  assert.ok(i.kind === 'insert-into');
  assert.equal(i.table, 'Opens');
  assert.deepEqual(i.span, { start: 0, end: 52 });
});

test('SHOW TABLES and DESCRIBE', () => {
  assert.deepEqual(parseStatement('show tables;'), { kind: 'show-tables', span: { start: 0, end: 11 } });
  assert.deepEqual(parseStatement('DESCRIBE tracepoint.sched.sched_switch'), {
    kind: 'describe',
    table: { kind: 'table', name: 'tracepoint.sched.sched_switch', span: { start: 9, end: 38 } },
    span: { start: 0, end: 38 },
  });
  assert.deepEqual(stripSpans(parseStatement('describe exit')), { kind: 'describe', table: { kind: 'table', name: 'exit' } });
  assert.deepEqual(parseStatement('DESCRIBE STRUCT task_struct'), {
    kind: 'describe-struct', struct: { name: 'task_struct', span: { start: 16, end: 27 } }, span: { start: 0, end: 27 },
  });
});

test('a dotted path keeps every part with its span, the first two as qualifier and name', () => {
  const text = 'SELECT next.real_parent.TGID FROM tracepoint.sched.sched_switch';
  const item = select(text).items[0];
  assert.ok(item?.kind === 'expr' && item.expr.kind === 'column');
  const e = item.expr;
  assert.equal(e.qualifier, 'next');
  assert.equal(e.name, 'real_parent');
  assert.deepEqual(e.parts?.map((p) => [p.name, slice(text, p.span)]), [['next', 'next'], ['real_parent', 'real_parent'], ['tgid', 'TGID']]);
  assert.equal(slice(text, e.span), 'next.real_parent.TGID');
});

test('comments and newlines anywhere; spans stay offsets into the text', () => {
  const text = '-- top\nSELECT /* items */ comm\nFROM exec -- the table\n;';
  const q = select(text);
  assert.equal(slice(text, q.span), 'SELECT /* items */ comm\nFROM exec');
  assert.equal(slice(text, q.from.span), 'exec');
});

test('keywords in any case, and names that are keywords elsewhere', () => {
  const q = select('sElEcT tables, count(*) AS count FROM exec WhErE exit = 0');
  assert.deepEqual(stripSpans(q.items), [
    { kind: 'expr', expr: col('tables') },
    { kind: 'expr', expr: call('count', [], { star: true }), alias: 'count' },
  ]);
  assert.deepEqual(stripSpans(q.where), bin('=', col('exit'), int(0)));
});
