import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Expr } from '../../src/query/ast.js';
import { parseExpression } from '../../src/query/parse.js';
import { bin, bool, call, col, float, int, neg, not, nul, str, stripSpans, type Bare } from './ast-builders.js';

const shape = (text: string): Bare => stripSpans(parseExpression(text));

test('precedence: OR < AND < NOT < comparison < + < *', () => {
  assert.deepEqual(
    shape('a OR b AND NOT c = 1 + 2 * 3'),
    bin('OR', col('a'), bin('AND', col('b'), not(bin('=', col('c'), bin('+', int(1), bin('*', int(2), int(3))))))),
  );
});

test('precedence table, one case per neighbouring pair of levels', () => {
  const cases: [string, Bare][] = [
    ['a AND b OR c', bin('OR', bin('AND', col('a'), col('b')), col('c'))],
    ['NOT a AND b', bin('AND', not(col('a')), col('b'))],
    ['NOT NOT a', not(not(col('a')))],
    ['a | b = c', bin('=', bin('|', col('a'), col('b')), col('c'))],
    ['a | b & c', bin('|', col('a'), bin('&', col('b'), col('c')))],
    ['a ^ b | c', bin('|', bin('^', col('a'), col('b')), col('c'))],
    ['a & b << c', bin('&', col('a'), bin('<<', col('b'), col('c')))],
    ['a >> b + c', bin('>>', col('a'), bin('+', col('b'), col('c')))],
    ['a || b + c', bin('+', bin('||', col('a'), col('b')), col('c'))],
    ['a - b * c % d', bin('-', col('a'), bin('%', bin('*', col('b'), col('c')), col('d')))],
    ['-a * b', bin('*', neg(col('a')), col('b'))],
    ['~a & b', bin('&', { kind: 'unary', op: '~', operand: col('a') }, col('b'))],
    ['- -a', neg(neg(col('a')))],
    ['a - b - c', bin('-', bin('-', col('a'), col('b')), col('c'))],
    ['a / (b / c)', bin('/', col('a'), bin('/', col('b'), col('c')))],
    // `//` ranks with * / % (as in DuckDB), left-associative.
    ['a - b // c', bin('-', col('a'), bin('//', col('b'), col('c')))],
    ['a // b * c % d / e', bin('/', bin('%', bin('*', bin('//', col('a'), col('b')), col('c')), col('d')), col('e'))],
    ['a << b // c', bin('<<', col('a'), bin('//', col('b'), col('c')))],
    ['-x::int', neg({ kind: 'cast', operand: col('x'), type: 'int' })],
  ];
  for (const [text, expected] of cases) assert.deepEqual(shape(text), expected, text);
});

test('== and <> normalise to = and !=', () => {
  assert.deepEqual(shape('a == 1'), bin('=', col('a'), int(1)));
  assert.deepEqual(shape('a <> 1'), bin('!=', col('a'), int(1)));
  assert.deepEqual(shape('a != 1'), bin('!=', col('a'), int(1)));
  assert.deepEqual(
    ['<', '<=', '>', '>='].map((op) => shape(`a ${op} 1`)),
    [bin('<', col('a'), int(1)), bin('<=', col('a'), int(1)), bin('>', col('a'), int(1)), bin('>=', col('a'), int(1))],
  );
});

test('literals', () => {
  assert.deepEqual(shape('42'), int(42));
  assert.deepEqual(shape('0xffffffffffffffff'), int(0xffffffffffffffffn));
  assert.deepEqual(shape('1.5'), float(1.5));
  assert.deepEqual(shape('1e3'), float(1000));
  assert.deepEqual(shape("'it''s'"), str("it's"));
  assert.deepEqual(shape("''"), str(''));
  assert.deepEqual(shape('TRUE'), bool(true));
  assert.deepEqual(shape('false'), bool(false));
  assert.deepEqual(shape('null'), nul);
});

test('columns: unquoted names fold to lower case, quoted ones keep their spelling', () => {
  assert.deepEqual(shape('Comm'), col('comm'));
  assert.deepEqual(shape('"Comm"'), col('Comm'));
  assert.deepEqual(shape('"a ""b"""'), col('a "b"'));
  assert.deepEqual(shape('E.PID'), col('pid', 'e'));
  assert.deepEqual(shape('"select"'), col('select'));
});

test('words that are statement keywords elsewhere, and common column names, are names', () => {
  const words = ['tables', 'table', 'show', 'describe', 'explain', 'create', 'insert', 'into',
    'count', 'min', 'max', 'sum', 'avg', 'exit', 'open', 'read', 'write', 'hist', 'filename', 'ts', 'cpu', 'comm'];
  const expected = words.slice(1).reduce((left, w) => bin('+', left, col(w)), col(words[0]!));
  assert.deepEqual(shape(words.join(' + ')), expected);
});

test('calls: plain, count(*), count(DISTINCT x), no arguments, names folded', () => {
  assert.deepEqual(shape('COUNT(*)'), call('count', [], { star: true }));
  assert.deepEqual(shape('count(DISTINCT comm)'), call('count', [col('comm')], { distinct: true }));
  assert.deepEqual(shape('quantile(lat, 0.99)'), call('quantile', [col('lat'), float(0.99)]));
  assert.deepEqual(shape('now()'), call('now', []));
  assert.deepEqual(shape('max(a + 1)'), call('max', [bin('+', col('a'), int(1))]));
});

test('xor(a, b) is the same node as a ^ b', () => {
  assert.deepEqual(shape('xor(a, b)'), bin('^', col('a'), col('b')));
  assert.deepEqual(shape('xor(a, b, c)'), call('xor', [col('a'), col('b'), col('c')]));
});

test('casts: CAST(x AS t) and x::t, type names lower-cased with parameters', () => {
  assert.deepEqual(shape('CAST(pid AS BIGINT)'), { kind: 'cast', operand: col('pid'), type: 'bigint' });
  assert.deepEqual(shape('x::DECIMAL(10, 2)'), { kind: 'cast', operand: col('x'), type: 'decimal(10,2)' });
  assert.deepEqual(shape('x::int::varchar'), {
    kind: 'cast', operand: { kind: 'cast', operand: col('x'), type: 'int' }, type: 'varchar',
  });
});

test('CASE with and without operand, with and without ELSE', () => {
  assert.deepEqual(shape("CASE WHEN a > 1 THEN 'big' WHEN a = 1 THEN 'one' ELSE 'small' END"), {
    kind: 'case',
    whens: [
      { when: bin('>', col('a'), int(1)), then: str('big') },
      { when: bin('=', col('a'), int(1)), then: str('one') },
    ],
    otherwise: str('small'),
  });
  assert.deepEqual(shape('case x when 1 then 2 end'), {
    kind: 'case', operand: col('x'), whens: [{ when: int(1), then: int(2) }],
  });
});

test('IN, BETWEEN, IS NULL, LIKE, ILIKE and their negations', () => {
  assert.deepEqual(shape('a IN (1, 2)'), { kind: 'in', operand: col('a'), list: [int(1), int(2)], negated: false });
  assert.deepEqual(shape('a NOT IN (1)'), { kind: 'in', operand: col('a'), list: [int(1)], negated: true });
  assert.deepEqual(shape('a BETWEEN 1 AND 2 + 3'), {
    kind: 'between', operand: col('a'), low: int(1), high: bin('+', int(2), int(3)), negated: false,
  });
  assert.deepEqual(shape('a NOT BETWEEN 1 AND 2 AND b'), bin('AND', {
    kind: 'between', operand: col('a'), low: int(1), high: int(2), negated: true,
  }, col('b')));
  assert.deepEqual(shape('a IS NULL'), { kind: 'is-null', operand: col('a'), negated: false });
  assert.deepEqual(shape('a IS NOT NULL'), { kind: 'is-null', operand: col('a'), negated: true });
  assert.deepEqual(shape("comm LIKE 'ba%'"), {
    kind: 'like', operand: col('comm'), pattern: str('ba%'), negated: false, caseInsensitive: false,
  });
  assert.deepEqual(shape("comm NOT ILIKE 'BA%'"), {
    kind: 'like', operand: col('comm'), pattern: str('BA%'), negated: true, caseInsensitive: true,
  });
});

test('spans cover exactly each node\'s source text', () => {
  const text = '(a + 1) * f(x, 2)';
  const expected: Expr = {
    kind: 'binary',
    op: '*',
    left: {
      kind: 'binary',
      op: '+',
      left: { kind: 'column', name: 'a', span: { start: 1, end: 2 } },
      right: { kind: 'literal', value: { type: 'int', value: 1n }, span: { start: 5, end: 6 } },
      // A parenthesised expression spans its parentheses.
      span: { start: 0, end: 7 },
    },
    right: {
      kind: 'call',
      name: 'f',
      args: [
        { kind: 'column', name: 'x', span: { start: 12, end: 13 } },
        { kind: 'literal', value: { type: 'int', value: 2n }, span: { start: 15, end: 16 } },
      ],
      distinct: false,
      star: false,
      span: { start: 10, end: 17 },
    },
    span: { start: 0, end: 17 },
  };
  assert.deepEqual(parseExpression(text), expected);
});

test('spans of the keyword forms', () => {
  const text = "NOT t.a IN (1) OR b NOT LIKE 'x' OR c IS NOT NULL OR CAST(d AS int) = e::int";
  const e = parseExpression(text);
  const spanned: string[] = [];
  const visit = (x: Expr): void => {
    spanned.push(text.slice(x.span.start, x.span.end));
    if (x.kind === 'binary') { visit(x.left); visit(x.right); }
    if (x.kind === 'unary' || x.kind === 'in' || x.kind === 'is-null' || x.kind === 'cast') visit(x.operand);
    if (x.kind === 'like') { visit(x.operand); visit(x.pattern); }
  };
  visit(e);
  assert.deepEqual(spanned, [
    text,
    "NOT t.a IN (1) OR b NOT LIKE 'x' OR c IS NOT NULL",
    "NOT t.a IN (1) OR b NOT LIKE 'x'",
    'NOT t.a IN (1)', 't.a IN (1)', 't.a',
    "b NOT LIKE 'x'", 'b', "'x'",
    'c IS NOT NULL', 'c',
    'CAST(d AS int) = e::int', 'CAST(d AS int)', 'd', 'e::int', 'e',
  ]);
});

test('spans of CASE, count(*) and unary minus', () => {
  const text = 'CASE WHEN -x > 0 THEN count(*) END';
  const e = parseExpression(text);
  assert.deepEqual(e.span, { start: 0, end: text.length });
  assert.ok(e.kind === 'case');
  const w = e.whens[0]!;
  assert.equal(text.slice(w.when.span.start, w.when.span.end), '-x > 0');
  assert.ok(w.when.kind === 'binary');
  assert.equal(text.slice(w.when.left.span.start, w.when.left.span.end), '-x');
  assert.equal(text.slice(w.then.span.start, w.then.span.end), 'count(*)');
});
