// A streamed query's rows as the REPL's live view shows them while it runs: the latest ones, a
// screenful and some, oldest first, and how many came in all. Every row also lands in `last`;
// this keeps only what the screen can show, so a query that streams for hours stays small here.
import type { RowSink } from '../engine/live-rows.js';
import type { QueryColumn, Row } from '../output/result.js';

export interface StreamedRows {
  readonly columns: readonly QueryColumn[];
  /** The latest rows, oldest first. */
  readonly rows: readonly Row[];
  /** Rows streamed in all. */
  readonly total: number;
}

export class LatestRows implements RowSink {
  private columns: readonly QueryColumn[] | undefined;
  private kept: Row[] = [];
  private total = 0;

  constructor(private readonly keep: number) {}

  begin(columns: readonly QueryColumn[]): void {
    this.columns = columns;
  }

  rows(batch: readonly Row[]): void {
    this.total += batch.length;
    this.kept.push(...batch.slice(-this.keep));
    if (this.kept.length > this.keep) this.kept = this.kept.slice(-this.keep);
  }

  /** What the live view shows now, or undefined before the first rows (or for a query that does not stream). */
  snapshot(): StreamedRows | undefined {
    return this.columns === undefined ? undefined : { columns: this.columns, rows: [...this.kept], total: this.total };
  }
}
