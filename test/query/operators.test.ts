// The one table of binary operators, as the parser, the printer, the planner and the kernel read it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARITHMETIC_OPERATORS, COMPARISON_OPERATORS, isIntegerArithmetic, operatorCalled } from '../../src/query/operators.js';
import { parseExpression } from '../../src/query/parse.js';
import { printExpr } from '../../src/query/print.js';

test('all arithmetic but / keeps integers integers, so the kernel may compute it', () => {
  const ops = Object.keys(ARITHMETIC_OPERATORS);
  assert.deepEqual(ops.filter(isIntegerArithmetic), ['+', '-', '*', '//', '%', '&', '|', '^', '<<', '>>']);
  assert.deepEqual(ops.filter((op) => !isIntegerArithmetic(op)), ['/']);
});

test('each operator prints as DuckDB spells it and parses back to itself', () => {
  const printed = [...Object.keys(ARITHMETIC_OPERATORS), ...COMPARISON_OPERATORS].map((op) => printExpr(parseExpression(`a ${op} b`)));
  assert.deepEqual(printed, ['a + b', 'a - b', 'a * b', 'a / b', 'a // b', 'a % b', 'a & b', 'a | b', 'xor(a, b)', 'a << b', 'a >> b', 'a = b', 'a != b', 'a < b', 'a <= b', 'a > b', 'a >= b']);
  assert.equal(operatorCalled('xor'), '^');
  assert.equal(printExpr(parseExpression('xor(a, b)')), 'xor(a, b)');
});
