// Small statistics for timings on a shared machine: medians and quartiles (robust to the odd slow
// run), interleaved schedules (every configuration sees the same drift), and differences paired
// with the baseline runs measured right around them.

export interface Summary {
  readonly n: number;
  readonly median: number;
  /** First and third quartiles: the spread reported next to each median. */
  readonly q1: number;
  readonly q3: number;
  readonly min: number;
  readonly max: number;
}

/** The q-quantile (0 ≤ q ≤ 1) with linear interpolation between order statistics. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('quantile of no values');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile ${q} is outside [0, 1]`);
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

export function summarize(values: readonly number[]): Summary {
  return {
    n: values.length,
    median: median(values),
    q1: quantile(values, 0.25),
    q3: quantile(values, 0.75),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/**
 * The order of configurations in round `round`: rotated by one each round, so no configuration
 * always runs first (caches cold) or right after the same neighbour.
 */
export function roundOrder<T>(configs: readonly T[], round: number): T[] {
  const n = configs.length;
  if (n === 0) return [];
  const start = ((round % n) + n) % n;
  return [...configs.slice(start), ...configs.slice(0, start)];
}

/** One step of a bracketed round: a baseline run, or a run of one configuration. */
export type Step<T> = { readonly kind: 'baseline' } | { readonly kind: 'config'; readonly config: T };

/**
 * A round where every configuration run sits between two baseline runs:
 * baseline, c1, baseline, c2, …, baseline. Each configuration is then compared with the
 * baselines measured just before and after it, which cancels drift slower than one run.
 */
export function bracketedRound<T>(configs: readonly T[], round: number): Step<T>[] {
  const steps: Step<T>[] = [{ kind: 'baseline' }];
  for (const config of roundOrder(configs, round)) steps.push({ kind: 'config', config }, { kind: 'baseline' });
  return steps;
}

/**
 * For each configuration run in a bracketed round's results (in step order), its value minus the
 * mean of the baselines right before and after it.
 */
export function bracketedDifferences<T>(steps: readonly Step<T>[], values: readonly number[]): Map<T, number> {
  if (steps.length !== values.length) throw new RangeError(`${steps.length} steps but ${values.length} values`);
  const out = new Map<T, number>();
  steps.forEach((step, i) => {
    if (step.kind !== 'config') return;
    const before = steps[i - 1];
    const after = steps[i + 1];
    if (before?.kind !== 'baseline' || after?.kind !== 'baseline') {
      throw new RangeError(`step ${i} is not between two baselines`);
    }
    out.set(step.config, values[i]! - (values[i - 1]! + values[i + 1]!) / 2);
  });
  return out;
}
