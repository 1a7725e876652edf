// lhist(x, lo, hi, step): linear buckets [lo, lo+step-1], [lo+step, lo+2*step-1], …, the last one
// cut at hi-1; values below lo count in an underflow bucket [-2^63, lo-1] and values from hi on in
// an overflow bucket [hi, 2^63-1]. lo, hi and step are integer constants; the bucket count is
// bounded so the state stays small. State: underflow, the linear buckets, overflow, a u64 each.
// DuckDB has no lhist: a macro buckets alike.
import type { Item, JumpOp } from '../bpf/index.js';
import { add, comment, div, jge, jlt, jsge, jslt, label, lddw, ldx, mov, sub } from '../bpf/index.js';
import type { Reg } from '../bpf/register.js';
import { R1, R2, R3, R10 } from '../bpf/register.js';
import type { AggregateEmit, AggregateFunction, AggregateParams, ParamLiteral, ParamProblem } from './aggregate.js';
import { emitBump } from './bucket-code.js';
import { mergeCounters } from './cpu-states.js';
import { bucketList, SQL_MAX64, SQL_MIN64 } from './duckdb-buckets.js';
import { nonEmpty } from './hist.js';

/** At most this many linear buckets (8 KiB of state per CPU and key). */
export const LHIST_MAX_BUCKETS = 1000;

const MIN64 = -(1n << 63n);
const MAX64 = (1n << 63n) - 1n;

type Linear = Extract<AggregateParams, { kind: 'linear' }>;

/** Linear buckets between lo and hi. */
export function linearBuckets(p: Linear): number {
  return Number((p.hi - p.lo + p.step - 1n) / p.step);
}

/** The values slot i of the state counts: 0 underflow, 1..n the linear buckets, n+1 overflow. */
export function lhistBounds(p: Linear, i: number): { readonly lo: bigint; readonly hi: bigint } {
  const n = linearBuckets(p);
  if (i === 0) return { lo: MIN64, hi: p.lo - 1n };
  if (i === n + 1) return { lo: p.hi, hi: MAX64 };
  const lo = p.lo + BigInt(i - 1) * p.step;
  const end = lo + p.step;
  return { lo, hi: (end < p.hi ? end : p.hi) - 1n };
}

function checkParams(values: readonly ParamLiteral[]): Linear | ParamProblem {
  const ints: bigint[] = [];
  for (const [index, v] of values.entries()) {
    if (v.kind !== 'int') return { kind: 'problem', index, reason: 'lo, hi and step must be integers' };
    if (v.value < MIN64 || v.value > MAX64) return { kind: 'problem', index, reason: `${v.value} does not fit in a BIGINT` };
    ints.push(v.value);
  }
  const [lo, hi, step] = ints as [bigint, bigint, bigint];
  if (hi <= lo) return { kind: 'problem', index: 1, reason: `hi (${hi}) must be greater than lo (${lo})` };
  if (step < 1n) return { kind: 'problem', index: 2, reason: `step must be at least 1, not ${step}` };
  const p: Linear = { kind: 'linear', lo, hi, step };
  if (linearBuckets(p) > LHIST_MAX_BUCKETS) {
    return { kind: 'problem', index: 2, reason: `(hi - lo) / step gives ${linearBuckets(p)} buckets; at most ${LHIST_MAX_BUCKETS} are allowed` };
  }
  return p;
}

function linear(params: AggregateParams): Linear {
  if (params.kind !== 'linear') throw new Error(`lhist needs linear params, not ${params.kind}`);
  return params;
}

const fitsImm = (v: bigint): boolean => v >= -(1n << 31n) && v < 1n << 31n;

/** `if x <op> constant goto target`, through a register when the constant needs 64 bits. */
function jumpIf(op: JumpOp, x: Reg, constant: bigint, target: string): Item[] {
  return fitsImm(constant) ? [op.imm(x, Number(constant), target)] : [lddw(R3, constant), op.reg(x, R3, target)];
}

function emitLhist(e: AggregateEmit, value: Reg): Item[] {
  const p = linear(e.params);
  const n = linearBuckets(p);
  const bump = `lhist_${e.id}_bump`;
  const out: Item[] = [comment(`lhist: underflow 0, buckets 1..${n}, overflow ${n + 1}`, ldx.dw(R1, R10, e.argSlot))];
  // Unsigned values are never below a bound of 0 or less, and are all at or above a hi of 0 or less.
  if (e.signed || p.lo > 0n) out.push(mov.imm(R2, 0), ...jumpIf(e.signed ? jslt : jlt, R1, p.lo, bump));
  out.push(mov.imm(R2, n + 1));
  if (e.signed || p.hi > 0n) {
    out.push(
      ...jumpIf(e.signed ? jsge : jge, R1, p.hi, bump),
      ...(fitsImm(p.lo) ? [sub.imm(R1, Number(p.lo))] : [lddw(R3, p.lo), sub.reg(R1, R3)]),
      ...(fitsImm(p.step) ? [div.imm(R1, Number(p.step))] : [lddw(R3, p.step), div.reg(R1, R3)]),
      mov.reg(R2, R1),
      add.imm(R2, 1),
    );
  }
  out.push(label(bump), ...emitBump(value, e.offset, R2, n + 1, R3, `lhist_${e.id}`));
  return out;
}

/** lhist(x, lo, hi, step) in DuckDB. HUGEINT keeps x - lo from overflowing. */
function lhistMacro(): string {
  const [x, lo, hi, step] = ['x', 'lo', 'hi', 'step'].map((n) => `${n}::HUGEINT`) as [string, string, string, string];
  const start = `CASE WHEN ${x} < ${lo} THEN ${SQL_MIN64} WHEN ${x} >= ${hi} THEN ${hi} ELSE ${lo} + (${x} - ${lo}) // ${step} * ${step} END`;
  const end = `CASE WHEN e.key < ${lo} THEN ${lo} - 1 WHEN e.key >= ${hi} THEN ${SQL_MAX64} ELSE least(e.key + ${step}, ${hi}) - 1 END`;
  return `CREATE OR REPLACE TEMP MACRO lhist(x, lo, hi, step) AS ${bucketList(`(${start})::BIGINT`, end)}`;
}

export const lhistAggregate: AggregateFunction<'lhist'> = {
  name: 'lhist',
  needsArg: true,
  argument: 'integer',
  paramNames: ['lo', 'hi', 'step'],
  params: checkParams,
  result: 'buckets',
  stateBytes: (_signed, params) => (linearBuckets(linear(params)) + 2) * 8,
  emitUpdate: emitLhist,
  finalize: (cpus, _signed, params) => {
    const p = linear(params);
    return nonEmpty(mergeCounters(cpus, linearBuckets(p) + 2), (i) => lhistBounds(p, i));
  },
  duckdbMacro: lhistMacro(),
};
