// `-o FILE` for a query whose rows are streamed: the rows go into FILE as they arrive, each batch
// written to the last byte, so a reader of the file sees them while the query runs (a whole-result
// export would leave it empty until the end). A write that fails (a full disk) ends the query;
// the file is cut back to the last batch written whole, so it holds complete rows only.
import { closeSync, ftruncateSync, writeSync } from 'node:fs';
import type { TextFormat } from '../output/format-spec.js';
import { OutputFileError, openEmptied } from '../output/safe-file.js';
import type { ResultWriter, TextSink } from '../output/writer.js';

export class LiveExport {
  private fd: number | undefined;
  private started = false;
  /** Bytes of whole writes so far: where a failed write is cut back to. */
  private size = 0;
  private rowCount = 0;
  private error: OutputFileError | undefined;

  /** @param onFail called once, when the file stops taking rows: the running query should end. */
  constructor(private readonly path: string, private readonly format: TextFormat, private readonly onFail: () => void) {}

  /** Whether the statement streamed into the file (it began). */
  get begun(): boolean {
    return this.started;
  }

  /** Rows written to the file whole. */
  get rows(): number {
    return this.rowCount;
  }

  /** Why the file could not be written, or undefined. */
  get failure(): OutputFileError | undefined {
    return this.error;
  }

  /** `shown`, and the file beside it: the file is opened (emptied) when the first rows come. */
  tee(shown: ResultWriter): ResultWriter {
    const sink: TextSink = { write: (text) => this.write(text) };
    // Nothing goes aside: the completeness is said once, by the writer on stdout.
    const file = this.format.writer({ out: sink, aside: { write: () => undefined }, live: true });
    return {
      begin: (columns) => {
        shown.begin(columns);
        this.open();
        file.begin(columns);
      },
      rows: (batch) => {
        shown.rows(batch);
        file.rows(batch);
        if (this.error === undefined) this.rowCount += batch.length;
      },
      end: (completeness) => {
        shown.end(completeness);
        file.end();
        this.close();
      },
    };
  }

  private open(): void {
    this.started = true;
    try {
      this.fd = openEmptied(this.path);
    } catch (e) {
      this.fail(e);
    }
  }

  private write(text: string): void {
    if (this.fd === undefined || this.error !== undefined) return;
    const data = Buffer.from(text);
    try {
      for (let at = 0; at < data.length; ) at += writeSync(this.fd, data, at);
      this.size += data.length;
    } catch (e) {
      try {
        ftruncateSync(this.fd, this.size);
      } catch {
        // A device (no length), or the file went away: the error below is what matters.
      }
      this.fail(e);
    }
  }

  private fail(e: unknown): void {
    this.error = e instanceof OutputFileError ? e : new OutputFileError(this.path, e instanceof Error ? e.message : String(e));
    this.close();
    this.onFail();
  }

  private close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
