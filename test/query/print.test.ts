import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Expr } from '../../src/query/ast.js';
import { parseExpression } from '../../src/query/parse.js';
import { printExpr } from '../../src/query/print.js';
import { stripSpans } from './ast-builders.js';

const print = (text: string): string => printExpr(parseExpression(text));

/** Parses `text`, prints it, parses the print, and checks both trees are the same. */
function roundTrips(text: string): void {
  const first = parseExpression(text);
  const printed = printExpr(first);
  assert.deepEqual(stripSpans(parseExpression(printed)), stripSpans(first), `${text} -> ${printed}`);
}

test('exact renderings', () => {
  const cases: [string, string][] = [
    ['a OR b AND NOT c = 1 + 2 * 3', 'a OR b AND NOT c = 1 + 2 * 3'],
    ['(a OR b) AND c', '(a OR b) AND c'],
    ['a - (b - c)', 'a - (b - c)'],
    ['a - b - c', 'a - b - c'],
    ['(a + b) * c', '(a + b) * c'],
    // The bit operators and || rank differently in DuckDB: always parenthesised against others.
    ['a | b & c', 'a | (b & c)'],
    ['a | b | c', 'a | b | c'],
    ['a << 1 + b', 'a << (1 + b)'],
    ['a || b + c', '(a || b) + c'],
    ['~a + 1', '(~a) + 1'],
    ['a ^ b', 'xor(a, b)'],
    ['- -a', '-(-a)'],
    ['a - -1', 'a - -1'],
    ['-(a + b)', '-(a + b)'],
    ['NOT (a AND b)', 'NOT (a AND b)'],
    ['(a = b) = c', '(a = b) = c'],
    ['a == 1 AND b <> 2', 'a = 1 AND b != 2'],
    ['x::INT + CAST(y AS Decimal(10,2))', 'CAST(x AS int) + CAST(y AS decimal(10,2))'],
    ["s LIKE 'it''s%'", "s LIKE 'it''s%'"],
    ["s NOT ILIKE 'a' || b", "s NOT ILIKE ('a' || b)"],
    ['a NOT IN (1, 2 + 3)', 'a NOT IN (1, 2 + 3)'],
    ['a BETWEEN b - 1 AND (c OR d)', 'a BETWEEN b - 1 AND (c OR d)'],
    ['a + 1 IS NOT NULL', 'a + 1 IS NOT NULL'],
    ['COUNT(*) + count(DISTINCT comm)', 'count(*) + count(DISTINCT comm)'],
    ["CASE x WHEN 1 THEN 'a' ELSE NULL END", "CASE x WHEN 1 THEN 'a' ELSE NULL END"],
    ['CASE WHEN a THEN TRUE END', 'CASE WHEN a THEN TRUE END'],
    ['0x10 + 1.0 + 2.5e-3', '16 + 1.0 + 0.0025'],
    ['"Comm" + "select" + "order" + "a b" + t.pid', '"Comm" + "select" + "order" + "a b" + t.pid'],
  ];
  for (const [text, expected] of cases) assert.equal(print(text), expected, text);
});

test('parse(print(x)) gives x back for every expression form', () => {
  const corpus = [
    'a OR b AND NOT c = 1 + 2 * 3',
    'a | b ^ c & d << e >> f + g - h || i * j / k % l // m',
    '(a + b) // (c - d) // e * f // (g // h)',
    '((a | b) ^ c) & ((d << e) >> f)',
    '-a * ~b - - -c',
    '~(a + b) | -(c * d)',
    'NOT NOT a OR NOT (b AND c)',
    'a = b AND (c != d) = (e < f) AND g <= h AND i > j AND k >= l',
    "comm IN ('bash', 'sh') AND pid NOT IN (1, 2, 3)",
    'lat BETWEEN 1 + 1 AND 2 * 3 AND x NOT BETWEEN -1 AND ~0',
    "a IS NULL OR b IS NOT NULL OR (c LIKE 'x%') IS NULL",
    "comm LIKE 'ba%' OR comm NOT LIKE '%d' OR comm ILIKE 'Z%' OR comm NOT ILIKE 'q' || r",
    'count(*) > 1 AND count(DISTINCT pid) < sum(bytes) / avg(bytes)',
    'quantile(lat, 0.99) + hist(lat) + lhist(lat, 0, 100, 10) + now()',
    'xor(a, b) + xor(a, b, c)',
    'CAST(a AS bigint) + b::int::varchar + c::decimal(18, 3) + "My Type"::x',
    "CASE WHEN a > 1 THEN 'x' WHEN a < 0 THEN 'y' ELSE 'z' END",
    'CASE a + 1 WHEN 2 THEN b OR c END',
    "'it''s' || '' || 'a;b -- c'",
    '0x7fffffffffffffff + 18446744073709551615 + 1.5 + 1e300 + .25 + 2.0',
    'TRUE AND FALSE OR NULL IS NULL',
    't.a + "Q"."B" + "x""y" + "select" + "Mixed" + left + "left"',
    '(((a)))',
  ];
  for (const text of corpus) roundTrips(text);
});

test('trees the parser never builds still print as equivalent SQL', () => {
  const at = { start: 0, end: 0 };
  const negative: Expr = { kind: 'literal', value: { type: 'int', value: -5n }, span: at };
  const negFloat: Expr = { kind: 'literal', value: { type: 'float', value: -2 }, span: at };
  const inf: Expr = { kind: 'literal', value: { type: 'float', value: Infinity }, span: at };
  const nan: Expr = { kind: 'literal', value: { type: 'float', value: NaN }, span: at };
  assert.equal(printExpr({ kind: 'binary', op: '-', left: negative, right: negative, span: at }), '(-5) - (-5)');
  assert.equal(printExpr({ kind: 'unary', op: '-', operand: negative, span: at }), '-(-5)');
  assert.equal(printExpr(negFloat), '(-2.0)');
  assert.equal(printExpr(inf), "CAST('inf' AS double)");
  assert.equal(printExpr(nan), "CAST('nan' AS double)");
});
