// The one rule for integers in plain results (output/result.ts): a number when it is exact as one
// (within ±2^53), else a bigint. DuckDB's values and the kernel's own (engine/direct-result.ts)
// both go through it, so the two paths give the same JS values.
export function plainInteger(v: bigint): number | bigint {
  return v >= -Number.MAX_SAFE_INTEGER && v <= Number.MAX_SAFE_INTEGER ? Number(v) : v;
}
