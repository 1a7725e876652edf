// hist(x): power-of-two buckets, like bpftrace's hist(). Bucket 0 counts every negative value
// ([-2^63, -1]), bucket 1 the zeros ([0, 0]), and bucket 2 + j the values in [2^j, 2^(j+1) - 1]
// for j = 0..62. The last one, [2^62, 2^63 - 1], also counts unsigned values of 2^63 and more, so
// every bound fits the BIGINT of the result. The kernel finds the bucket with a six-step log2;
// user space lists the non-empty buckets in order. DuckDB has no hist: a macro buckets alike.
import { comment, jeq, jslt, label, ldx, mov } from '../bpf/index.js';
import { R1, R2, R3, R10 } from '../bpf/register.js';
import type { Bucket } from '../catalog/types.js';
import type { AggregateFunction } from './aggregate.js';
import { noParams } from './aggregate.js';
import { emitBump, emitLog2 } from './bucket-code.js';
import { mergeCounters } from './cpu-states.js';
import { bucketList, SQL_MAX64, SQL_MIN64 } from './duckdb-buckets.js';

/** log2 of the lowest bound of the top bucket. */
export const HIST_TOP_LOG2 = 62;
export const HIST_BUCKETS = HIST_TOP_LOG2 + 3;

const MIN64 = -(1n << 63n);
const MAX64 = (1n << 63n) - 1n;

/** The values bucket i counts. */
export function histBounds(i: number): { readonly lo: bigint; readonly hi: bigint } {
  if (i === 0) return { lo: MIN64, hi: -1n };
  if (i === 1) return { lo: 0n, hi: 0n };
  const j = BigInt(i - 2);
  return { lo: 1n << j, hi: j === BigInt(HIST_TOP_LOG2) ? MAX64 : (1n << (j + 1n)) - 1n };
}

/** hist(x) in DuckDB. bin(x) spells x in binary, so its length is 1 + floor(log2 x). */
function histMacro(): string {
  const top = `${1n << BigInt(HIST_TOP_LOG2)}`;
  const start = `CASE WHEN x < 0 THEN ${SQL_MIN64} WHEN x = 0 THEN 0 ELSE 1::BIGINT << least(length(bin(x)) - 1, ${HIST_TOP_LOG2}) END`;
  const end = `CASE WHEN e.key < 0 THEN -1 WHEN e.key = 0 THEN 0 WHEN e.key = ${top} THEN ${SQL_MAX64} ELSE e.key * 2 - 1 END`;
  return `CREATE OR REPLACE TEMP MACRO hist(x) AS ${bucketList(start, end)}`;
}

export const histAggregate: AggregateFunction<'hist'> = {
  name: 'hist',
  needsArg: true,
  argument: 'integer',
  paramNames: [],
  params: noParams,
  result: 'buckets',
  stateBytes: () => HIST_BUCKETS * 8,
  emitUpdate: (e, value) => {
    const bump = `hist_${e.id}_bump`;
    return [
      comment('hist: bucket 0 for x < 0, 1 for x = 0, else 2 + log2(x)', ldx.dw(R1, R10, e.argSlot)),
      ...(e.signed ? [mov.imm(R2, 0), jslt.imm(R1, 0, bump)] : []),
      mov.imm(R2, 1),
      jeq.imm(R1, 0, bump),
      mov.imm(R2, 2),
      ...emitLog2(R2, R1, R3, `hist_${e.id}`),
      label(bump),
      ...emitBump(value, e.offset, R2, HIST_BUCKETS - 1, R3, `hist_${e.id}`),
    ];
  },
  finalize: (cpus) => nonEmpty(mergeCounters(cpus, HIST_BUCKETS), histBounds),
  duckdbMacro: histMacro(),
};

/** The buckets with a count, in order of their bounds. */
export function nonEmpty(counts: readonly bigint[], bounds: (i: number) => { readonly lo: bigint; readonly hi: bigint }): Bucket[] {
  const out: Bucket[] = [];
  counts.forEach((count, i) => {
    if (count > 0n) out.push({ ...bounds(i), count });
  });
  return out;
}
