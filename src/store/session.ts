// One embedded DuckDB database and connection: where kernel results land and residual SQL runs.

import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import type { RecordBatch } from 'apache-arrow';
import { duckdbType } from '../catalog/types.js';
import type { ColumnBatch, ResultColumn } from '../catalog/types.js';
import type { Scratch } from './chunk-writer.js';
import type { QueryResult } from '../output/result.js';
import { quoteIdent } from '../query/quote.js';
import type { TableAppender } from './table-appender.js';

export type { QueryColumn, QueryResult } from '../output/result.js';

/** What opening DuckDB gives: loaded on first use, since loading it takes longer than a query takes to attach. */
interface Connected {
  readonly instance: DuckDBInstance;
  readonly connection: DuckDBConnection;
  readonly scratch: Scratch;
  readonly openAppender: (connection: DuckDBConnection, table: string, scratch: Scratch) => Promise<TableAppender>;
  readonly plainValue: (v: DuckDBValue) => unknown;
}

/**
 * Options DuckDB is opened with. DuckDB's own allocator (jemalloc, on Linux x86-64) returns freed
 * pages to the kernel only as its other threads allocate, unless a background thread of its own
 * purges them on time. bpfql serve, with one DuckDB statement a window, grew by about 0.35 MB a
 * minute in DuckDB's mappings without it, and by a third of that with it (tenth session, bench
 * part 8's ten metrics); a stream or an alert that runs for hours is the same.
 */
const DUCKDB_OPTIONS: Readonly<Record<string, string>> = { allocator_background_threads: 'true' };

export class Session {
  /** Open appenders by table name; kept between append() calls, committed before any SQL runs. */
  private readonly appenders = new Map<string, TableAppender>();
  private closed = false;
  /** The tail of the operations in flight: each waits for the one before (see serial). */
  private queue: Promise<unknown> = Promise.resolve();
  private connected: Promise<Connected> | undefined;
  /** Tables of bpfql's own named so far (see internalName). */
  private internalTables = 0;

  private constructor(private readonly path: string, private readonly initSql: () => readonly string[]) {}

  /**
   * `:memory:` by default; a file path keeps the database across runs. DuckDB itself is loaded
   * on first use (or warm()), then the statements `initSql` gives run before anything else (made
   * then, not now: making them may read the kernel's BTF, which a query need not wait for).
   */
  static open(path = ':memory:', initSql: () => readonly string[] = () => []): Promise<Session> {
    return Promise.resolve(new Session(path, initSql));
  }

  /**
   * A name for a table of bpfql's own, unique in this session: `__bpfql_<kind><n>`. Names that
   * start so are bpfql's (they are left out of listings and out of error messages).
   */
  internalName(kind: string): string {
    return `__bpfql_${kind}${++this.internalTables}`;
  }

  /** Whether DuckDB has been asked for yet: until then no SQL has run, the user's or bpfql's. */
  get started(): boolean {
    return this.connected !== undefined;
  }

  private connect(): Promise<Connected> {
    this.connected ??= (async (): Promise<Connected> => {
      const [{ DuckDBInstance }, { TableAppender }, { Scratch }, { plainValue }] = await Promise.all([
        import('@duckdb/node-api'),
        import('./table-appender.js'),
        import('./chunk-writer.js'),
        import('../output/result.js'),
      ]);
      const instance = await DuckDBInstance.create(this.path, DUCKDB_OPTIONS);
      try {
        const connection = await instance.connect();
        for (const sql of this.initSql()) await connection.run(sql);
        return { instance, connection, scratch: new Scratch(), openAppender: (c, t, sc) => TableAppender.open(c, t, sc), plainValue };
      } catch (e) {
        instance.closeSync();
        throw e;
      }
    })();
    return this.connected;
  }

  /**
   * Runs any DuckDB SQL (several statements: the last one's result) with all appended rows
   * visible. An error committing earlier appends surfaces here.
   */
  run(sql: string): Promise<QueryResult> {
    return this.serial(() => this.runNow(sql));
  }

  private async runNow(sql: string): Promise<QueryResult> {
    this.ensureOpen();
    const c = await this.connect();
    this.commitAppends();
    const result = await c.connection.run(sql);
    const columns = result.columnNames().map((name, i) => ({ name, type: result.columnType(i).toString() }));
    const rows = (await result.getRows()).map((row) => row.map(c.plainValue));
    return { columns, rows };
  }

  /** Loads DuckDB and opens the database now: a file that cannot be opened fails here, before any tracing. */
  async ready(): Promise<void> {
    this.ensureOpen();
    await this.connect();
  }

  /**
   * Runs `setup` then `probe` in one transaction that is always rolled back, as one operation (no
   * other statement of this session runs in between): whether DuckDB accepts the probe, without
   * keeping anything it made. Resolves to the probe's error (or the setup's), undefined if none.
   */
  check(setup: readonly string[], probe: string): Promise<unknown> {
    return this.serial(async () => {
      this.ensureOpen();
      const c = await this.connect();
      this.commitAppends();
      try {
        await c.connection.run('BEGIN TRANSACTION');
      } catch {
        // The user's own transaction is open (BEGIN at the REPL): checking inside it could not be
        // undone without ending theirs, so the statement is left to DuckDB when it runs.
        return undefined;
      }
      try {
        for (const sql of setup) await c.connection.run(sql);
        await c.connection.run(probe);
        return undefined;
      } catch (e) {
        return e;
      } finally {
        await c.connection.run('ROLLBACK');
      }
    });
  }

  /** CREATE TABLE with the DuckDB type of each column; names are quoted as given. */
  async createTable(name: string, columns: readonly ResultColumn[], opts?: { readonly replace?: boolean }): Promise<void> {
    const defs = columns.map((c) => `${quoteIdent(c.name)} ${duckdbType(c.type)}`).join(', ');
    await this.run(`CREATE ${opts?.replace === true ? 'OR REPLACE ' : ''}TABLE ${quoteIdent(name)} (${defs})`);
  }

  /**
   * One operation at a time: the connection, its appenders and the reused chunk are not safe to
   * share between overlapping calls (concurrent appends lost rows), and several kernel queries
   * of one statement do run at the same time.
   */
  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(op);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Appends decoded kernel rows: they become an Arrow batch (loaded on first use) and go in like append(). */
  async appendColumns(table: string, batch: ColumnBatch): Promise<void> {
    const { toRecordBatch } = await import('./arrow.js');
    return this.append(table, toRecordBatch(batch));
  }

  /** Appends a batch whose column types equal the table's (see vector-type.ts), by position. */
  append(table: string, batch: RecordBatch): Promise<void> {
    return this.serial(() => this.appendNow(table, batch));
  }

  private async appendNow(table: string, batch: RecordBatch): Promise<void> {
    this.ensureOpen();
    const c = await this.connect();
    let appender = this.appenders.get(table);
    if (!appender) {
      appender = await c.openAppender(c.connection, table, c.scratch);
      this.appenders.set(table, appender);
    }
    appender.append(batch);
  }

  /** Commits open appenders and closes the database; a second call does nothing. */
  close(): Promise<void> {
    return this.serial(() => this.closeNow());
  }

  private async closeNow(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.connected) return;
    let c: Connected;
    try {
      c = await this.connected;
    } catch {
      // The database never opened (a corrupt or locked file): that was reported where it was used.
      return;
    }
    try {
      this.commitAppends();
    } finally {
      c.connection.closeSync();
      c.instance.closeSync();
    }
  }

  private ensureOpen(): void {
    if (this.closed) throw new Error('the DuckDB session is closed');
  }

  /** Closes every appender (also when one fails), then reports the first failure. */
  private commitAppends(): void {
    const open = [...this.appenders.values()];
    this.appenders.clear();
    let failure: unknown;
    for (const a of open) {
      try {
        a.close();
      } catch (e) {
        failure ??= e;
      }
    }
    if (failure !== undefined) throw failure;
  }
}
