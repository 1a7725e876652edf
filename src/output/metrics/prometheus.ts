// Metric families as Prometheus' text exposition format 0.0.4, or as OpenMetrics 1.0 text when
// the scraper asks for it. The two differ where a scraper notices: OpenMetrics names a counter's
// family without `_total` (its sample keeps it), writes bucket bounds and quantiles as canonical
// floats (`1.0`), escapes `"` in HELP too, and ends with `# EOF`.
import { assertNever } from '../../diag/assert-never.js';
import type { Label, MetricFamily, Point } from './model.js';

export type Exposition = 'text' | 'openmetrics';

export const CONTENT_TYPE: Readonly<Record<Exposition, string>> = {
  text: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

/** The exposition an Accept header asks for: OpenMetrics only when it is named. */
export function expositionFor(accept: string | undefined): Exposition {
  return accept !== undefined && /application\/openmetrics-text/i.test(accept) ? 'openmetrics' : 'text';
}

function escapeLabel(v: string): string {
  return v.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

function escapeHelp(v: string, format: Exposition): string {
  const s = v.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
  return format === 'openmetrics' ? s.replaceAll('"', '\\"') : s;
}

/** A sample value as Go's ParseFloat reads it back. */
function valueText(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** A bound (le, quantile) as a label value: OpenMetrics wants canonical floats (`1.0`, not `1`). */
function boundText(v: number, format: Exposition): string {
  const t = valueText(v);
  return format === 'openmetrics' && Number.isInteger(v) && !t.includes('e') ? `${t}.0` : t;
}

function labelsText(labels: readonly Label[], extra?: Label): string {
  const all = extra === undefined ? labels : [...labels, extra];
  if (all.length === 0) return '';
  return `{${all.map(([n, v]) => `${n}="${escapeLabel(v)}"`).join(',')}}`;
}

function sampleLines(name: string, type: MetricFamily['type'], p: Point, format: Exposition): string[] {
  switch (p.kind) {
    case 'number':
      return [`${type === 'counter' ? `${name}_total` : name}${labelsText(p.labels)} ${valueText(p.value)}`];
    case 'histogram':
      return [
        ...p.buckets.map((b) => `${name}_bucket${labelsText(p.labels, ['le', boundText(b.le, format)])} ${valueText(b.count)}`),
        `${name}_sum${labelsText(p.labels)} ${valueText(p.sum)}`,
        `${name}_count${labelsText(p.labels)} ${valueText(p.count)}`,
      ];
    case 'summary':
      return [
        ...p.quantiles.map((q) => `${name}${labelsText(p.labels, ['quantile', boundText(q.q, format)])} ${valueText(q.value)}`),
        `${name}_sum${labelsText(p.labels)} ${valueText(p.sum)}`,
        `${name}_count${labelsText(p.labels)} ${valueText(p.count)}`,
      ];
    default:
      return assertNever(p);
  }
}

/** The exposition of `families`, in their order. */
export function renderFamilies(families: readonly MetricFamily[], format: Exposition): string {
  const lines: string[] = [];
  for (const f of families) {
    // Text 0.0.4 names a counter's family by its sample's name; OpenMetrics without the suffix.
    const typed = f.type === 'counter' && format === 'text' ? `${f.name}_total` : f.name;
    // Prometheus has no up-down counter: its running total is a gauge (as OpenTelemetry's exporters make a non-monotonic sum).
    lines.push(`# HELP ${typed} ${escapeHelp(f.help, format)}`, `# TYPE ${typed} ${f.type === 'updown' ? 'gauge' : f.type}`);
    for (const p of f.points) lines.push(...sampleLines(f.name, f.type, p, format));
  }
  if (format === 'openmetrics') lines.push('# EOF');
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
