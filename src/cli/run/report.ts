// What a `bpfql run` did, for the JSON and JUnit XML reports and the summary on stderr.
import type { Completeness } from '../../runtime/completeness.js';
import { jsonText } from '../../output/json-text.js';
import type { AssertionResult } from './assertions.js';
import type { BaselineComparison, Comparison } from './baseline.js';
import type { ContainerReport } from './containers.js';

export interface QueryReport {
  /** The table the result landed in. */
  readonly table: string;
  readonly statement: string;
  /** Rows or groups the kernel produced. */
  readonly kernelRows: number;
  readonly completeness: Completeness;
}

export interface RunReport {
  readonly command: readonly string[];
  /** The command's exit code; null when it was killed by a signal or never started. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** From starting the command to its exit; null when it never started. */
  readonly durationMs: number | null;
  readonly queries: readonly QueryReport[];
  /** The containers the command started in its cgroup tree. */
  readonly containers: readonly ContainerReport[];
  readonly assertions: readonly AssertionResult[];
  readonly baseline?: { readonly path: string; readonly tolerancePct: number; readonly result: BaselineComparison };
  /** Why tracing failed, when it did. */
  readonly error?: string;
  /** bpfql's own exit code. */
  readonly exit: number;
}

/** What decides whether the checks passed. */
export type Checks = Pick<RunReport, 'assertions' | 'baseline' | 'error'>;

export function regressions(report: Checks): Comparison[] {
  return report.baseline?.result.comparisons.filter((c) => c.regressed) ?? [];
}

/** Every assertion held, no value regressed and tracing worked. */
export function checksPassed(report: Checks): boolean {
  return report.error === undefined && report.assertions.every((a) => a.passed) && regressions(report).length === 0;
}

/** `name=value` pairs of an assertion's row, values as JSON. */
function describeValues(values: Readonly<Record<string, unknown>>): string {
  return Object.entries(values).map(([k, v]) => `${k}=${jsonText(v)}`).join(', ');
}

/** One line saying how an assertion came out. */
export function describeAssertion(a: AssertionResult): string {
  const verdict = a.error !== undefined ? `error: ${a.error}` : a.passed ? 'true' : 'false';
  const values = describeValues(a.values);
  return values === '' ? verdict : `${verdict} (${values})`;
}

function percent(n: number): string {
  return `${Number(n.toFixed(2))}%`;
}

/** Where a compared value comes from: `table.metric`, then the row's key when it has one. */
export function comparisonName(c: { readonly table: string; readonly key: string; readonly metric: string }): string {
  return c.key === '{}' ? `${c.table}.${c.metric}` : `${c.table}.${c.metric} ${c.key}`;
}

/** One line saying how a value compares with its baseline. */
export function describeComparison(c: Comparison, tolerancePct: number): string {
  const change = c.changePct === null ? 'grew from 0' : c.changePct >= 0 ? `+${percent(c.changePct)}` : `-${percent(-c.changePct)}`;
  return `${c.baseline} -> ${c.current} (${change}, tolerance ${percent(tolerancePct)})`;
}
