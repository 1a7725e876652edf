// Metric families of a chosen size, made the way `bpfql serve` makes them (an accumulator fed
// windows), for the renderer's tests and the bench's scrape-latency measure (10,000 series).
import { MetricAccumulator } from '../../src/output/metrics/accumulate.js';
import type { MetricFamily } from '../../src/output/metrics/model.js';
import type { Exposition } from '../../src/output/metrics/prometheus.js';
import { renderFamilies } from '../../src/output/metrics/prometheus.js';
import type { MetricShape } from '../../src/output/metrics/shape.js';

/** `SELECT comm, pid, count(*) AS total, max(ret) AS top, hist(ret) AS ret …`: a counter, a gauge and a histogram. */
const SHAPE: MetricShape = {
  metric: 'bench',
  columns: [
    { kind: 'label', name: 'comm', at: 0 },
    { kind: 'label', name: 'pid', at: 1 },
    { kind: 'counter', name: 'total', at: 2 },
    { kind: 'gauge', name: 'top', at: 3 },
    { kind: 'histogram', name: 'ret', at: 4, sumAt: 5 },
  ],
  written: 5,
  query: '',
  everyMs: 1000,
};

/** Families with `series` label sets (each in all three families), after `windows` windows. */
export function manySeriesFamilies(series: number, windows = 2): MetricFamily[] {
  const acc = new MetricAccumulator(SHAPE, { constLabels: [['host', 'bench']], maxSeries: series, startMs: 0 });
  for (let w = 0; w < windows; w++) {
    const rows = Array.from({ length: series }, (_, i) => [
      `comm "${i % 97}"`, i, i + w, i * 2,
      [{ lo: 0, hi: 0, count: 1 }, { lo: 1, hi: 1, count: i % 5 }, { lo: 2, hi: 3, count: 2 }],
      3 + 2 * (i % 5),
    ]);
    acc.add(rows);
  }
  return acc.families();
}

/** Builds `series` series and renders them once: what one scrape of that many series costs. */
export function renderManySeries(series: number, format: Exposition = 'text'): string {
  return renderFamilies(manySeriesFamilies(series), format);
}
