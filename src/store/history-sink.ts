// `bpfql serve --store DIR`: every window's rows appended to Parquet files under
// DIR/metric=…/host=…/date=…/ (history-paths.ts), each row with its window's window_start and
// window_end, for `read_parquet('DIR/**/*.parquet', hive_partitioning = true)`.
//
// A window is never half-written. Parquet files cannot be appended to, so a metric's current file
// is kept as a DuckDB table too: each window is added to the table, the whole table is written to
// a temporary name in the same directory (not matching *.parquet), and renamed over the file. A
// rename is atomic, so a reader (or a `kill -9`) sees the file with or without the window, never a
// part of it. The rewrite costs more as the file grows, which is what rotation bounds: a file takes
// windows until it holds maxFileRows rows or is maxFileAgeMs old, or the date (or the query's
// columns) changes; then its table is dropped and the next window starts a new file. Writing one
// file per window instead would leave a day of 10 s windows in 8,640 files per metric, slow for
// every reader; buffering windows in memory to write later would lose them on a crash.
import { closeSync, constants, openSync, renameSync, unlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { MetricWindow, WindowSink } from '../output/metrics/model.js';
import type { QueryColumn } from '../output/result.js';
import { fdPath } from '../output/safe-file.js';
import { quoteIdent, quoteString } from '../query/quote.js';
import { HistoryRoot, datePart, hostPart, metricPart } from './history-paths.js';
import { Session } from './session.js';
import { castLiteral } from './sql-literal.js';

export interface HistoryOptions {
  /** DIR of --store. */
  readonly dir: string;
  /** host.name of this server, the host= partition. */
  readonly host: string;
  readonly maxFileRows?: number;
  readonly maxFileAgeMs?: number;
  /** Where a window that could not be written is told (the server's stderr). */
  readonly report?: (message: string) => void;
  readonly now?: () => number;
}

/** Columns every history row gets besides the query's own, and the partition keys readers add. */
const ADDED = ['window_start', 'window_end'] as const;
const RESERVED: ReadonlySet<string> = new Set([...ADDED, 'metric', 'host', 'date']);

/** A file's rows and age when not told otherwise (--store-max-rows, --store-max-age). */
export const DEFAULT_MAX_FILE_ROWS = 100_000;
export const DEFAULT_MAX_FILE_AGE_MS = 3_600_000;

/** Rows per INSERT statement: bounds the SQL text of one statement. */
const INSERT_ROWS = 500;

/** One metric's file being written: its rows are also in `table`, which is written whole each window. */
interface Current {
  readonly parts: readonly string[];
  readonly file: string;
  readonly table: string;
  readonly columnsKey: string;
  readonly openedMs: number;
  rows: number;
  /** Windows in the table not yet in the file: their write failed (a full disk), the next one takes them. */
  unwritten: number;
}

/** Why a window's columns cannot go into the history, or undefined if they can. */
export function historyColumnsProblem(columns: readonly QueryColumn[]): string | undefined {
  const clash = columns.find((c) => RESERVED.has(c.name.toLowerCase()));
  return clash === undefined ? undefined : `its column '${clash.name}' is a name --store gives a column of its own (${[...RESERVED].join(', ')}): rename it with AS`;
}

export class HistorySink implements WindowSink {
  private readonly root: HistoryRoot;
  private readonly hostPart: string;
  private readonly current = new Map<string, Current>();
  /** Windows are written one at a time, in the order they closed. */
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly maxFileRows: number;
  private readonly maxFileAgeMs: number;
  private readonly report: (message: string) => void;
  private readonly now: () => number;

  /**
   * A sink with a DuckDB of its own (closed with it), so that rewriting a large file never holds
   * up the server's queries, which share theirs.
   */
  static async open(opts: HistoryOptions): Promise<HistorySink> {
    const session = await Session.open();
    try {
      return new HistorySink(session, opts, true);
    } catch (e) {
      await session.close();
      throw e;
    }
  }

  /** Throws HistoryPathError for a host name no directory can carry or a DIR that cannot be made. */
  constructor(private readonly session: Session, opts: HistoryOptions, private readonly ownsSession = false) {
    this.hostPart = hostPart(opts.host);
    this.root = new HistoryRoot(opts.dir);
    this.maxFileRows = opts.maxFileRows ?? DEFAULT_MAX_FILE_ROWS;
    this.maxFileAgeMs = opts.maxFileAgeMs ?? DEFAULT_MAX_FILE_AGE_MS;
    this.report = opts.report ?? ((): void => undefined);
    this.now = opts.now ?? Date.now;
  }

  window(window: MetricWindow): void {
    if (this.closed) return;
    this.queue = this.queue.then(() => this.write(window)).catch((e: unknown) => {
      this.report(`--store: window of ${window.metric} ending ${new Date(window.endMs).toISOString()} not written: ${e instanceof Error ? e.message : String(e)}`);
    });
  }

  /** Resolves once every window handed in so far is written (or its failure reported). */
  flushed(): Promise<void> {
    return this.queue;
  }

  /** Waits for the windows being written, then lets go of the tables and DIR. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    for (const metric of [...this.current.keys()]) await this.retire(metric);
    this.root.close();
    if (this.ownsSession) await this.session.close();
  }

  private async write(w: MetricWindow): Promise<void> {
    const problem = historyColumnsProblem(w.columns);
    if (problem !== undefined) throw new Error(problem);
    if (w.rows.length === 0) return;
    const parts = [metricPart(w.metric), this.hostPart, datePart(w.endMs)];
    const columnsKey = JSON.stringify(w.columns);
    let cur = this.current.get(w.metric);
    if (cur !== undefined && (cur.parts.join('/') !== parts.join('/') || cur.columnsKey !== columnsKey || cur.rows >= this.maxFileRows)) {
      // Only failed writes leave a file past its size (a written one is retired at once): its
      // unwritten windows are given up here, so that failing writes do not hold ever more rows.
      if (cur.unwritten > 0) this.report(`--store: ${cur.unwritten} window(s) of ${w.metric} given up after failed writes`);
      await this.retire(w.metric);
      cur = undefined;
    }
    cur ??= await this.start(w.metric, parts, w.columns, columnsKey);
    for (let i = 0; i < w.rows.length; i += INSERT_ROWS) {
      const values = w.rows.slice(i, i + INSERT_ROWS).map((row) => {
        const cells = w.columns.map((c, j) => castLiteral(row[j], c.type));
        return `(${[...cells, `epoch_ms(${Math.round(w.startMs)})`, `epoch_ms(${Math.round(w.endMs)})`].join(', ')})`;
      });
      await this.session.run(`INSERT INTO ${quoteIdent(cur.table)} VALUES ${values.join(', ')}`);
    }
    cur.rows += w.rows.length;
    cur.unwritten++;
    // Should the write fail (a full disk), the window stays in the table and goes out with the next.
    await this.writeFile(cur);
    cur.unwritten = 0;
    if (cur.rows >= this.maxFileRows || this.now() - cur.openedMs >= this.maxFileAgeMs) await this.retire(w.metric);
  }

  private async start(metric: string, parts: readonly string[], columns: readonly QueryColumn[], columnsKey: string): Promise<Current> {
    const table = this.session.internalName('history');
    const defs = [...columns.map((c) => `${quoteIdent(c.name)} ${c.type}`), ...ADDED.map((a) => `${a} TIMESTAMP`)];
    await this.session.run(`CREATE TABLE ${quoteIdent(table)} (${defs.join(', ')})`);
    const openedMs = this.now();
    const cur: Current = { parts, file: `${openedMs}-${randomBytes(4).toString('hex')}.parquet`, table, columnsKey, openedMs, rows: 0, unwritten: 0 };
    this.current.set(metric, cur);
    return cur;
  }

  /** The current file is final: the next window starts another. */
  private async retire(metric: string): Promise<void> {
    const cur = this.current.get(metric);
    if (cur === undefined) return;
    this.current.delete(metric);
    await this.session.run(`DROP TABLE IF EXISTS ${quoteIdent(cur.table)}`);
  }

  /** The table, whole, to a temporary name in the file's directory, then renamed over the file. */
  private writeFile(cur: Current): Promise<void> {
    return this.root.within(cur.parts, async (dirFd) => {
      const temp = `.${cur.file}.${randomBytes(6).toString('hex')}.tmp`;
      // Made here, exclusively and not through a link, so that DuckDB writes into bpfql's own file
      // (and straight into it: its own temporary name for an existing target would be left on a failure).
      closeSync(openSync(fdPath(dirFd, temp), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o640));
      try {
        await this.session.run(`COPY ${quoteIdent(cur.table)} TO ${quoteString(fdPath(dirFd, temp))} (FORMAT parquet, USE_TMP_FILE false)`);
        renameSync(fdPath(dirFd, temp), fdPath(dirFd, cur.file));
      } catch (e) {
        try {
          unlinkSync(fdPath(dirFd, temp));
        } catch {
          // already renamed or gone: nothing to clean
        }
        throw e;
      }
    });
  }
}
