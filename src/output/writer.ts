// The interface every output format implements. A statement's result arrives as events, in order:
// begin(columns), rows(batch) any number of times, then end(completeness). A statement whose rows
// are not written (CREATE TABLE AS a kernel query, or EVERY windows already shown one by one)
// gives end() alone, so the format still says how complete they are. A format that can stream
// writes each batch as it comes; the others keep the rows until end(). The registry of formats is
// formats.ts.
import type { QueryColumn, QueryResult, Row } from './result.js';

/** Where a writer's text goes, in order. */
export interface TextSink {
  write(text: string): void;
}

/**
 * What a result may be missing, as its producer counted it (the kernel's losses). A format for a
 * person writes the line; machine formats keep the counters.
 */
export interface CompletenessNote {
  /** One line for a person, e.g. `complete: no lost records, …`. */
  readonly text: string;
  /** The counters by name, in the producer's order. */
  readonly counts: Readonly<Record<string, number>>;
}

export interface ResultWriter {
  begin(columns: readonly QueryColumn[]): void;
  rows(batch: readonly Row[]): void;
  end(completeness?: CompletenessNote): void;
}

export interface WriterOptions {
  /** The result's text; every line the writer writes ends with a line break. */
  readonly out: TextSink;
  /** Notes that would spoil a machine-readable `out` (the CLI's stderr). */
  readonly aside: TextSink;
  /** Formats laid out for a terminal: the widest a line may be. */
  readonly maxWidth?: number;
  /**
   * The rows arrive while a query runs and each batch is to be written as it comes, even by a
   * format that otherwise waits for every row (the table lays its columns out from the types
   * and the first batch instead).
   */
  readonly live?: boolean;
}

/** Gives `w` a whole result, then ends it. */
export function writeResult(w: ResultWriter, r: QueryResult, completeness?: CompletenessNote): void {
  w.begin(r.columns);
  w.rows(r.rows);
  w.end(completeness);
}

/**
 * Machine formats keep `out` parseable: the completeness goes aside, as one line of JSON. An
 * object of its own, so that more notes can join it on the same stream.
 */
export function noteAside(aside: TextSink, completeness: CompletenessNote | undefined): void {
  if (completeness !== undefined) aside.write(`${JSON.stringify({ completeness: completeness.counts })}\n`);
}

/**
 * A writer for formats that need every row before writing any (column widths, alignment): the
 * rows are kept until end(), which writes `render` of them and then says the completeness.
 */
export function wholeResultWriter(
  out: TextSink,
  render: (r: QueryResult) => string,
  note: (completeness: CompletenessNote | undefined) => void,
): ResultWriter {
  let columns: readonly QueryColumn[] | undefined;
  const rows: Row[] = [];
  return {
    begin: (c) => {
      columns = c;
    },
    rows: (batch) => {
      for (const row of batch) rows.push(row);
    },
    end: (completeness) => {
      if (columns !== undefined) out.write(`${render({ columns, rows })}\n`);
      note(completeness);
    },
  };
}
