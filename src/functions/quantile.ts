// quantile(x, q) and p50/p90/p95/p99/p999(x): approximate discrete quantiles from log-linear
// buckets. Magnitudes below 32 each have a bucket of their own (exact); above, every power-of-two
// range [2^k, 2^(k+1)) is split into 32 equal sub-buckets, found from the top six bits of the
// value. A bucket [lo, lo + w - 1] then has lo >= 32 w, so its midpoint is within w/2 <= lo/64 of
// any value in it: the result is within 1/64 (1.5625 %) of the exact quantile, relative to it.
// Negative values of signed arguments count in a mirrored second half of the state.
//
// The rank follows DuckDB's quantile_disc (which its quantile() is): the value at 0-based index
// max(1, ceil(n q)) - 1 of the sorted values, q taken as the decimal it is written as. So the
// exact answer DuckDB gives lies in the bucket found here. DuckDB has quantile; p50…p999 are
// macros over its quantile_disc.
import type { Item } from '../bpf/index.js';
import { add, comment, jlt, jsge, label, ldx, lsh, mov, neg, rsh, sub } from '../bpf/index.js';
import type { Reg } from '../bpf/register.js';
import { R1, R2, R3, R4, R5, R10 } from '../bpf/register.js';
import type { AggregateEmit, AggregateFunction, AggregateParams, AggregateValue, CpuState, ParamLiteral, ParamProblem } from './aggregate.js';
import { emitBump, emitLog2 } from './bucket-code.js';
import { nonZeroCounters } from './cpu-states.js';

/** log2 of the sub-buckets per power of two. */
const SUB_BITS = 5;
const SUB = 1 << SUB_BITS;
/** Buckets for magnitudes 0 .. 2^64 - 1: SUB exact ones, then SUB for each k in SUB_BITS..63. */
export const LOG_LINEAR_BUCKETS = SUB * (64 - SUB_BITS + 1);
/** The largest |estimate - exact| / |exact| of any quantile. */
export const QUANTILE_RELATIVE_ERROR = 1 / (2 * SUB);

/** The magnitudes bucket i counts. */
export function logLinearBounds(i: number): { readonly lo: bigint; readonly hi: bigint } {
  if (i < SUB) return { lo: BigInt(i), hi: BigInt(i) };
  const shift = BigInt((i >> SUB_BITS) - 1);
  const top = BigInt(SUB + (i & (SUB - 1)));
  return { lo: top << shift, hi: ((top + 1n) << shift) - 1n };
}

/** The value a quantile falling in bucket i reports: the middle of the bucket, rounded down. */
export function logLinearEstimate(i: number): bigint {
  const { lo, hi } = logLinearBounds(i);
  return lo + (hi - lo) / 2n;
}

/** The 0-based rank DuckDB's quantile_disc picks among n sorted values, for q written as a decimal. */
export function discreteRank(n: bigint, q: number): bigint {
  const { num, den } = decimalOf(q);
  const floored = (n * (den - num)) / den;
  const above = n - floored;
  return (above > 1n ? above : 1n) - 1n;
}

/** q as num/den, read from its shortest decimal spelling (what the query wrote). */
function decimalOf(q: number): { num: bigint; den: bigint } {
  const [mantissa, exp] = String(q).split('e') as [string, string | undefined];
  const [whole, frac = ''] = mantissa.split('.') as [string, string | undefined];
  let num = BigInt(whole + frac);
  let den = 10n ** BigInt(frac.length);
  const e = Number(exp ?? '0');
  if (e >= 0) num *= 10n ** BigInt(e);
  else den *= 10n ** BigInt(-e);
  return { num, den };
}

function emitLogLinear(e: AggregateEmit, value: Reg): Item[] {
  const p = `q_${e.id}`;
  const out: Item[] = [comment('quantile: log-linear bucket of |x|', ldx.dw(R1, R10, e.argSlot)), mov.imm(R5, 0)];
  if (e.signed) out.push(jsge.imm(R1, 0, `${p}_positive`), neg(R1), mov.imm(R5, LOG_LINEAR_BUCKETS), label(`${p}_positive`));
  out.push(
    jlt.imm(R1, SUB, `${p}_exact`),
    comment('k = log2 |x|; bucket (k - 5) * 32 + (|x| >> (k - 5))', mov.reg(R3, R1)),
    mov.imm(R4, 0),
    ...emitLog2(R4, R3, R2, p),
    sub.imm(R4, SUB_BITS),
    rsh.reg(R1, R4),
    lsh.imm(R4, SUB_BITS),
    add.reg(R1, R4),
    label(`${p}_exact`),
    add.reg(R1, R5),
    ...emitBump(value, e.offset, R1, (e.signed ? 2 : 1) * LOG_LINEAR_BUCKETS - 1, R2, p),
  );
  return out;
}

function finalizeQuantile(cpus: readonly CpuState[], signed: boolean, params: AggregateParams): AggregateValue {
  if (params.kind !== 'quantile') throw new Error(`quantiles need q, not ${params.kind} params`);
  const counts = nonZeroCounters(cpus, (signed ? 2 : 1) * LOG_LINEAR_BUCKETS);
  const n = counts.reduce((s, [, c]) => s + c, 0n);
  if (n === 0n) return null;
  const rank = discreteRank(n, params.q);
  // In the order of the values the buckets hold: negatives (the mirrored half, largest magnitude
  // first), then the rest.
  const negatives = counts.filter(([slot]) => slot >= LOG_LINEAR_BUCKETS).reverse();
  let seen = 0n;
  for (const [slot, count] of [...negatives, ...counts.filter(([s]) => s < LOG_LINEAR_BUCKETS)]) {
    seen += count;
    if (seen > rank) return slot >= LOG_LINEAR_BUCKETS ? -logLinearEstimate(slot - LOG_LINEAR_BUCKETS) : logLinearEstimate(slot);
  }
  throw new Error('quantile rank beyond the counted values');
}

function checkQ(values: readonly ParamLiteral[]): AggregateParams | ParamProblem {
  const v = values[0]!;
  const q = Number(v.value);
  if (!(q >= 0 && q <= 1)) return { kind: 'problem', index: 0, reason: `q must be between 0 and 1, not ${v.value}` };
  return { kind: 'quantile', q };
}

function makeQuantile<N extends string>(name: N, fixed: number | undefined): AggregateFunction<N> {
  return {
    name,
    needsArg: true,
    argument: 'number',
    paramNames: fixed === undefined ? ['q'] : [],
    params: fixed === undefined ? checkQ : () => ({ kind: 'quantile', q: fixed }),
    result: 'argument',
    stateBytes: (signed) => (signed ? 2 : 1) * LOG_LINEAR_BUCKETS * 8,
    stateFamily: 'log-linear',
    emitUpdate: emitLogLinear,
    finalize: finalizeQuantile,
    ...(fixed === undefined ? {} : { duckdbMacro: `CREATE OR REPLACE TEMP MACRO ${name}(x) AS quantile_disc(x, ${fixed})` }),
  };
}

/** The fixed quantiles, by name. */
export const FIXED_QUANTILES = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99, p999: 0.999 } as const;
export type FixedQuantile = keyof typeof FIXED_QUANTILES;

export const quantileAggregate = makeQuantile('quantile', undefined);

export function fixedQuantileAggregate<N extends FixedQuantile>(name: N): AggregateFunction<N> {
  return makeQuantile(name, FIXED_QUANTILES[name]);
}
