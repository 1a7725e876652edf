// The metrics of a `bpfql serve` config file, each parsed, shaped and planned before anything is
// attached: one metric that would not run, or could not be served, fails the whole file, pointed
// at in the file.
import { diagnostic, QueryError } from '../../diag/diagnostic.js';
import type { Engine } from '../../engine/engine.js';
import { shiftDiagnostics } from '../../engine/engine.js';
import { familyName } from '../../output/metrics/accumulate.js';
import { HEALTH_FAMILIES } from '../../output/metrics/health.js';
import type { MetricShape } from '../../output/metrics/shape.js';
import { metricShape } from '../../output/metrics/shape.js';
import { aggregateCanBeNegative } from '../../planner/aggregate-sign.js';
import { parseMetric } from '../../query/parse.js';
import { splitStatements } from '../../query/split.js';

export interface Metric {
  readonly name: string;
  /** The statement as written (comments before it left out): a reload keeps a metric running while this is unchanged. */
  readonly text: string;
  readonly shape: MetricShape;
}

/** A config file that cannot be served: `metric` names the metric at fault (or its place in the file). */
export class BadMetric extends Error {
  constructor(readonly metric: string, readonly error: unknown) {
    super(`metric ${metric} cannot run`);
    this.name = 'BadMetric';
  }
}

/** Checks one metric; `text` is its statement, the diagnostics' positions are in it. */
async function checkMetric(engine: Engine, text: string, names: Set<string>, families: Map<string, string>): Promise<Metric> {
  const def = parseMetric(text);
  if (names.has(def.name)) {
    throw new QueryError([diagnostic('bad-metric-name', { name: def.name, reason: 'duplicate' }, def.nameSpan)]);
  }
  // The query was parsed in the metric's text: the engine's diagnostics point into that text.
  const plan = await engine.check(def.query, text);
  const shape = metricShape(def, text, (call) => aggregateCanBeNegative(def.query, plan, call));
  for (const c of shape.columns) {
    if (c.kind === 'label') continue;
    const family = familyName(def.name, c.name, c.kind);
    const owner = families.get(family);
    if (owner !== undefined) {
      const item = def.query.items[c.at]!;
      throw new QueryError([diagnostic('metric-column', { column: c.name, reason: `its series ${family} are ${owner === '' ? 'bpfql\'s own' : `metric ${owner}'s`}` }, item.span)]);
    }
  }
  names.add(def.name);
  for (const c of shape.columns) if (c.kind !== 'label') families.set(familyName(def.name, c.name, c.kind), def.name);
  return { name: def.name, text: text.slice(def.span.start, def.span.end), shape };
}

/** The metrics of `script`, in order; throws a BadMetric (its error positioned in the script), or a QueryError for a file without metrics. */
export async function readMetrics(engine: Engine, script: string): Promise<Metric[]> {
  const metrics: Metric[] = [];
  const names = new Set<string>();
  // Family names taken, and by which metric ('' for bpfql's health families).
  const families = new Map<string, string>(HEALTH_FAMILIES.map((f) => [f, '']));
  for (const [i, piece] of splitStatements(script).entries()) {
    try {
      metrics.push(await checkMetric(engine, piece.text, names, families));
    } catch (e) {
      const name = /\bCREATE\s+METRIC\s+([A-Za-z_][A-Za-z0-9_]*)/i.exec(piece.text)?.[1] ?? `#${i + 1}`;
      throw new BadMetric(name, shiftDiagnostics(e, piece.start));
    }
  }
  if (metrics.length === 0) throw new QueryError([diagnostic('unsupported', { feature: 'a config file without a metric' }, { start: 0, end: script.length })]);
  return metrics;
}
