// The context move every program starts with goes when nothing else names r6, and stays otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { add, call, comment, exit, Helper, ldMap, ldx, mov, R0, R1, R2, R6, R10 } from '../../src/bpf/index.js';
import { withoutUnusedContext } from '../../src/bpf-templates/unused-context.js';

const move = comment('r6 = context', mov.reg(R6, R1));

test('a program that never reads its context loses the move', () => {
  const body = [mov.reg(R1, R10), add.imm(R1, -16), mov.imm(R2, 16), call(Helper.getCurrentComm), ldMap(R1, 'agg'), mov.imm(R0, 0), exit()];
  assert.deepEqual(withoutUnusedContext([move, ...body]), body);
});

test('a program that reads r6, as source or destination, keeps it', () => {
  const reads = [move, call(Helper.getCurrentComm), ldx.dw(R1, R6, 8), mov.imm(R0, 0), exit()];
  assert.deepEqual(withoutUnusedContext(reads), reads);
  const copies = [move, mov.reg(R2, R6), exit()];
  assert.deepEqual(withoutUnusedContext(copies), copies);
});

test('a program that does not start with the move is left alone', () => {
  const other = [mov.reg(R6, R2), mov.imm(R0, 0), exit()];
  assert.deepEqual(withoutUnusedContext(other), other);
});
