// A bare query's rows handed on as they arrive, for queries whose rows each come from one event
// (planner/streamable.ts): the columns once, then each batch, no more rows than its LIMIT.
import type { QueryColumn, QueryResult, Row } from '../output/result.js';

/** Where rows shown live go: a ResultWriter without its end, which the front end writes. */
export interface RowSink {
  begin(columns: readonly QueryColumn[]): void;
  rows(batch: readonly Row[]): void;
}

export class LiveRows {
  private begun = false;
  private shown = 0;
  private limit: number | undefined;
  private reached: () => void = () => undefined;
  /** Resolves once LIMIT rows have been shown: the query may end. */
  readonly full = new Promise<void>((resolve) => {
    this.reached = resolve;
  });
  /** The query is streamed: its rows went to the sink, not into the outcome's printing. */
  active = false;

  constructor(private readonly sink: RowSink) {}

  /** The plan is streamable: rows will come through show(). */
  start(limit: number | undefined): void {
    this.active = true;
    this.limit = limit;
  }

  /** One batch's rows of the result, cut at the LIMIT. */
  show(r: QueryResult): void {
    this.begin(r.columns);
    const room = this.limit === undefined ? r.rows.length : Math.max(0, this.limit - this.shown);
    const rows = r.rows.length > room ? r.rows.slice(0, room) : r.rows;
    if (rows.length > 0) this.sink.rows(rows);
    this.shown += rows.length;
    if (this.limit !== undefined && this.shown >= this.limit) this.reached();
  }

  /** The columns, if no batch came to give them (a query that saw no event). */
  begin(columns: readonly QueryColumn[]): void {
    if (this.begun) return;
    this.begun = true;
    this.sink.begin(columns);
  }
}
