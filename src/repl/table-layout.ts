// A result laid out for the terminal: the aligned table of formatResult (cut to the terminal's
// width), with hist()/lhist() values drawn as bar charts under their row and quantile columns
// followed by a bar against the column's largest value.
import type { QueryColumn, QueryResult } from '../output/result.js';
import { formatResult } from '../output/result-text.js';
import { bar, histogramLines, isBuckets } from './bars.js';

export type LineKind = 'header' | 'rule' | 'row' | 'label' | 'bars' | 'footer';

export interface TableLine {
  readonly kind: LineKind;
  readonly text: string;
}

export interface LayoutOptions {
  readonly width: number;
  /** Show at most this many rows (the live view); the footer says how many there are. */
  readonly maxRows?: number;
  /** The footer's text, instead of the row count. */
  readonly footer?: string;
}

const QUANTILE_NAME = /^(?:p\d+|quantile\w*|approx_quantile|median)\(/i;
const QUANTILE_BAR_WIDTH = 16;

function isBucketColumn(r: QueryResult, c: number): boolean {
  let seen = false;
  for (const row of r.rows) {
    const v = row[c];
    if (v === null || v === undefined) continue;
    if (!isBuckets(v)) return false;
    seen = true;
  }
  return seen || /^STRUCT\(lo \w+, hi \w+, count \w+\)\[\]$/.test(r.columns[c]!.type);
}

function isNumber(v: unknown): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

function isQuantileColumn(r: QueryResult, c: number): boolean {
  return QUANTILE_NAME.test(r.columns[c]!.name) && r.rows.some((row) => isNumber(row[c])) && r.rows.every((row) => row[c] === null || isNumber(row[c]));
}

export function tableLines(r: QueryResult, opts: LayoutOptions): TableLine[] {
  const rows = opts.maxRows !== undefined && r.rows.length > opts.maxRows ? r.rows.slice(0, opts.maxRows) : r.rows;
  const bucketCols = r.columns.map((_, c) => c).filter((c) => isBucketColumn(r, c));
  const quantileCols = r.columns.map((_, c) => c).filter((c) => !bucketCols.includes(c) && isQuantileColumn(r, c));

  // The scalar part: every column but the histograms, plus a bar column after each quantile.
  const columns: QueryColumn[] = [];
  const pick: ((row: readonly unknown[]) => unknown)[] = [];
  r.columns.forEach((col, c) => {
    if (bucketCols.includes(c)) return;
    columns.push(col);
    pick.push((row) => row[c]);
    if (quantileCols.includes(c)) {
      const max = Math.max(...r.rows.map((row) => (isNumber(row[c]) ? Number(row[c]) : 0)));
      columns.push({ name: '', type: 'VARCHAR' });
      pick.push((row) => (isNumber(row[c]) ? bar(Number(row[c]), max, QUANTILE_BAR_WIDTH) : ''));
    }
  });
  const scalar: QueryResult = { columns, rows: rows.map((row) => pick.map((p) => p(row))) };
  const text = formatResult(scalar, 'table', { maxWidth: opts.width }).split('\n');
  const footerText = opts.footer !== undefined ? opts.footer : rows.length < r.rows.length ? `(showing ${rows.length} of ${r.rows.length} rows)` : text[text.length - 1]!;
  const hasTable = columns.length > 0;

  const out: TableLine[] = [];
  if (hasTable) out.push({ kind: 'header', text: text[0]! }, { kind: 'rule', text: text[1]! });
  rows.forEach((row, i) => {
    if (hasTable) out.push({ kind: 'row', text: text[2 + i]! });
    for (const c of bucketCols) {
      const v = row[c];
      out.push({ kind: 'label', text: `  ${r.columns[c]!.name}` });
      const lines = isBuckets(v) ? histogramLines(v, opts.width - 4) : ['NULL'];
      for (const l of lines) out.push({ kind: 'bars', text: `    ${l}` });
    }
  });
  out.push({ kind: 'footer', text: footerText });
  return out;
}
