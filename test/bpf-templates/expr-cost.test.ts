// The planner's expr-cost.ts predicts what ExprEmitter takes; the planner trusts it to leave to DuckDB what the
// kernel cannot compute. Checked here against the emitter itself over random expressions: the
// predicted registers are exactly enough (one fewer fails), and the code never exceeds the
// predicted slots.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assemble, encode, exit, label, mov, R0, R1, type Item } from '../../src/bpf/index.js';
import { Codegen, RegPool } from '../../src/bpf-templates/codegen.js';
import { exprRegisters, exprSlots } from '../../src/planner/expr-cost.js';
import { SCRATCH_REGS } from '../../src/planner/program-limits.js';
import { ExprEmitter } from '../../src/bpf-templates/expr.js';
import { Values } from '../../src/bpf-templates/values.js';
import type { Column } from '../../src/catalog/column.js';
import { COMMON_COLUMNS } from '../../src/catalog/common-columns.js';
import { S16, U32 } from '../../src/catalog/types.js';
import type { ArithOp, CompareOp, KExpr } from '../../src/planner/kexpr.js';
import { columnsOf } from '../../src/planner/kexpr.js';
import { Rng } from '../fuzz/rng.js';
import { compileKernelPlan } from '../../src/bpf-templates/compile.js';
import { planQuery } from '../../src/planner/planner.js';
import { parseStatement } from '../../src/query/parse.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

const pid = COMMON_COLUMNS.find((c) => c.name === 'pid')!;
const comm = COMMON_COLUMNS.find((c) => c.name === 'comm')!;
const INT_COLUMNS: readonly Column[] = [
  pid,
  { name: 'prio', type: S16, source: { kind: 'field', offset: 8, size: 2, signed: true }, description: '' },
  { name: 'state', type: U32, source: { kind: 'field', offset: 12, size: 4, signed: false }, description: '' },
];
const ARITH: readonly ArithOp[] = ['+', '-', '*', '//', '%', '&', '|', '^', '<<', '>>'];
const COMPARE: readonly CompareOp[] = ['=', '!=', '<', '<=', '>', '>='];

function intExpr(r: Rng, depth: number): KExpr {
  if (depth === 0 || r.chance(0.25)) {
    if (r.chance(0.5)) {
      const column = r.pick(INT_COLUMNS);
      return { kind: 'column', column, signed: column.type.kind === 'int' && column.type.signed };
    }
    return { kind: 'const', value: r.chance(0.7) ? BigInt(r.int(1000)) : 1n << BigInt(r.range(31, 63)), signed: r.chance(0.5) };
  }
  switch (r.int(4)) {
    case 0: return { kind: r.pick(['neg', 'bitnot'] as const), operand: intExpr(r, depth - 1), signed: true };
    default: return { kind: 'arith', op: r.pick(ARITH), left: intExpr(r, depth - 1), right: intExpr(r, depth - 1), signed: r.chance(0.5) };
  }
}

function boolExpr(r: Rng, depth: number): KExpr {
  if (depth === 0 || r.chance(0.2)) {
    if (r.chance(0.2)) return { kind: 'string-match', column: comm, match: r.pick(['equals', 'prefix'] as const), value: 'systemd-jou'.slice(0, r.int(12)), negated: r.chance(0.5), signed: false };
    return { kind: 'compare', op: r.pick(COMPARE), left: intExpr(r, depth), right: intExpr(r, depth), signed: r.chance(0.5) };
  }
  switch (r.int(3)) {
    case 0: return { kind: 'not', operand: boolExpr(r, depth - 1), signed: false };
    default: return { kind: r.pick(['and', 'or'] as const), left: boolExpr(r, depth - 1), right: boolExpr(r, depth - 1), signed: false };
  }
}

type Form = 'value' | 'jump';

/** Emits `e` with `registers` registers (the destination counts for a value); undefined when they do not suffice, else the slots of its code. */
function emit(e: KExpr, form: Form, registers: number): number | undefined {
  const g = new Codegen();
  const values = new Values(g, {});
  values.fetch(columnsOf(e));
  const prefix = g.items.length;
  const emitter = new ExprEmitter(g, values);
  try {
    if (form === 'value') emitter.value(e, R1, new RegPool(SCRATCH_REGS.filter((r) => r !== R1).slice(0, registers - 1)));
    else emitter.jumpIfFalse(e, 'out', new RegPool(SCRATCH_REGS.slice(0, registers)));
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('expression too deep')) return undefined;
    throw err;
  }
  const slots = (items: readonly Item[]): number => encode(assemble([...items, label('out'), mov.imm(R0, 0), exit()]), new Map()).length / 8;
  return slots(g.items) - slots(g.items.slice(0, prefix));
}

test('the predicted registers are exactly what the emitter needs, and the code fits the predicted slots', () => {
  const r = new Rng(0xc057);
  const seenRegisters = new Set<number>();
  for (let i = 0; i < 400; i++) {
    const e = r.chance(0.5) ? intExpr(r, r.range(0, 9)) : boolExpr(r, r.range(0, 6));
    const n = exprRegisters(e);
    if (n > SCRATCH_REGS.length) continue;
    seenRegisters.add(n);
    for (const form of ['value', 'jump'] as const) {
      const slots = emit(e, form, n);
      assert.notEqual(slots, undefined, `${form} of ${JSON.stringify(e, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))} needs more than ${n} registers`);
      assert.ok(slots! <= exprSlots(e), `${form} took ${slots} slots, predicted at most ${exprSlots(e)}`);
    }
    if (n > 1) assert.ok(emit(e, 'value', n - 1) === undefined || emit(e, 'jump', n - 1) === undefined, `${n - 1} registers suffice`);
  }
  // The expressions ranged from trivial to needing every register.
  assert.ok(seenRegisters.has(1) && seenRegisters.has(SCRATCH_REGS.length - 1), [...seenRegisters].join(','));
});

test('right-nested operations take a register per level; left-nested ones do not', () => {
  const column: KExpr = { kind: 'column', column: pid, signed: true };
  let right: KExpr = column;
  let left: KExpr = column;
  for (let i = 0; i < 6; i++) {
    right = { kind: 'arith', op: '+', left: column, right, signed: true };
    left = { kind: 'arith', op: '+', left, right: column, signed: true };
  }
  assert.equal(exprRegisters(right), 7);
  assert.equal(exprRegisters(left), 2);
});

test('the planner leaves to DuckDB what needs more registers than a template has; what it keeps compiles', () => {
  // pid * (tid * (pid * …)): each level keeps one more value live, so the registers needed grow with n.
  const nested = (n: number): string => (n === 1 ? 'pid' : `${n % 2 === 0 ? 'tid' : 'pid'} * (${nested(n - 1)})`);
  const kept = { where: 0, key: 0 };
  const refused = { where: 0, key: 0 };
  for (let n = 2; n <= 14; n++) {
    for (const [what, sql] of [['where', `SELECT count(*) FROM exec WHERE ${nested(n)} > 7`], ['key', `SELECT ${nested(n)} AS k, count(*) FROM exec GROUP BY k`]] as const) {
      const s = parseStatement(sql);
      assert.ok(s.kind === 'query');
      const plan = planQuery(s.query, fixtureCatalog(), fixturePlannerEnv);
      const inKernel = what === 'where' ? plan.residualFilters.length === 0 : plan.kernel.mode.kind === 'aggregate';
      if (inKernel) kept[what]++;
      else refused[what]++;
      // Whatever the planner kept in the kernel, the emitter has the registers for.
      assert.doesNotThrow(() => compileKernelPlan(plan.kernel, plan.table), `${what}, depth ${n}`);
    }
  }
  // The limit lies inside the range tried, on both sides.
  assert.ok(kept.where > 0 && refused.where > 0, JSON.stringify({ kept, refused }));
  assert.ok(kept.key > 0 && refused.key > 0, JSON.stringify({ kept, refused }));
});
