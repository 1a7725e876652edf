// Where a kernel query's rows become its result. The rows are loaded into a table of their own,
// named here, and the plan's residual SQL (written over KERNEL_TABLE) runs over that table into
// the target: once when the query ends, or with EVERY once per window as each window closes.
import { emptyColumnData, type ColumnBatch, type ResultColumn } from '../catalog/types.js';
import { KERNEL_TABLE } from '../planner/plan.js';
import type { QueryResult, Session } from './session.js';

/**
 * How windows are kept: no EVERY; every window appended to the target; the latest window alone
 * (a standing query: each window's rows replace the last's, tables and all, so DuckDB holds no
 * more for a query that runs for days than for one window); or none, each window's rows only
 * handed on (`bpfql serve`'s metrics keep what they need of them: one statement a window, not three).
 */
export type Windows = 'none' | 'all' | 'latest' | 'handed-on';

/** Where a kernel query's result goes. */
export type Target = { readonly kind: 'replace' | 'create' | 'insert'; readonly table: string };

/** The DuckDB part of a kernel query. */
export interface Residual {
  /** The kernel rows' columns. */
  readonly columns: readonly ResultColumn[];
  /** Reads the kernel rows from KERNEL_TABLE. */
  readonly sql: string;
}

/** A window's bounds, in microseconds of the wall clock (Unix epoch). */
export interface WindowBounds {
  readonly startUs: number;
  readonly endUs: number;
}

/** The residual SQL reading its kernel rows from `table` instead. */
export function residualOver(sql: string, table: string): string {
  return sql.replaceAll(KERNEL_TABLE, table);
}

/** The residual's rows, each with its window's bounds first. */
function windowedSql(residual: string, startUs: string, endUs: string): string {
  return `SELECT make_timestamp(${startUs}) AS window_start, make_timestamp(${endUs}) AS window_end, * FROM (${residual})`;
}

/** The table a live snapshot is loaded into for one look; dropped right after. */
const LIVE_TABLE = '__bpfql_live';

/** One kernel query's way into its target table. */
export class Materialization {
  private made: Promise<void> | undefined;
  /** The residual over this query's own kernel table. */
  private readonly sql: string;
  /** Streamed queries: the last batch of kernel rows alone (see loadAndSelect). */
  private readonly batchTable: string;
  private batchMade: Promise<void> | undefined;

  private constructor(
    private readonly session: Session,
    private readonly kernelTable: string,
    private readonly residual: Residual,
    private readonly target: Target,
    private readonly windows: Windows,
  ) {
    this.sql = residualOver(residual.sql, kernelTable);
    this.batchTable = `${kernelTable}_batch`;
  }

  /** Names the kernel rows' table (unique in the session); nothing is made before prepare(). */
  static start(session: Session, residual: Residual, target: Target, windows: Windows): Materialization {
    return new Materialization(session, session.internalName('k'), residual, target, windows);
  }

  /**
   * Makes the kernel rows' table and, windowed, the target with window_start and window_end
   * first (INSERT INTO's target exists already). Once: later calls wait for the first, and
   * fail as it did.
   */
  prepare(): Promise<void> {
    this.made ??= (async () => {
      await this.session.createTable(this.kernelTable, this.residual.columns, { replace: true });
      if (this.windows !== 'none' && this.target.kind !== 'insert') {
        const create = this.target.kind === 'replace' ? 'CREATE OR REPLACE TABLE' : 'CREATE TABLE';
        await this.session.run(`${create} ${this.target.table} AS ${windowedSql(this.sql, '0', '0')} LIMIT 0`);
      }
    })();
    return this.made;
  }

  /**
   * For a streamed query, before its first event: everything loadAndSelect needs is made and the
   * residual runs once over no rows, so that the first rows shown do not wait for DuckDB to load
   * and plan (about 300 ms on this machine's first batch otherwise, most of it loading Arrow).
   */
  prepareBatches(): Promise<void> {
    this.batchMade ??= (async () => {
      await this.prepare();
      await this.session.createTable(this.batchTable, this.residual.columns, { replace: true });
      // Every step of loadAndSelect once, over no rows: Arrow loads, the appenders open, DuckDB plans.
      const none: ColumnBatch = { columns: this.residual.columns, data: this.residual.columns.map((c) => emptyColumnData(c.type)), rowCount: 0 };
      await this.session.appendColumns(this.kernelTable, none);
      await this.session.run(`DELETE FROM ${this.batchTable}`);
      await this.session.appendColumns(this.batchTable, none);
      await this.session.run(residualOver(this.residual.sql, this.batchTable));
    })();
    return this.batchMade;
  }

  /** Appends kernel rows. */
  async load(batch: ColumnBatch): Promise<void> {
    await this.prepare();
    await this.session.appendColumns(this.kernelTable, batch);
  }

  /**
   * Runs the residual over the kernel rows loaded, into the target. Windowed, `window` is the
   * window they are: its rows are appended to the target with its bounds, and the kernel rows
   * are cleared for the next one.
   */
  async materialize(window?: WindowBounds): Promise<void> {
    await this.prepare();
    const { kind, table } = this.target;
    if (window === undefined) {
      const into = { replace: `CREATE OR REPLACE TABLE ${table} AS`, create: `CREATE TABLE ${table} AS`, insert: `INSERT INTO ${table}` }[kind];
      await this.session.run(`${into} ${this.sql}`);
      return;
    }
    if (this.windows === 'handed-on') throw new Error('a window handed on is closed by windowResult, not kept');
    const rows = windowedSql(this.sql, String(window.startUs), String(window.endUs));
    if (this.windows === 'latest') {
      // New tables rather than DELETE: deleted rows of an in-memory table are not given back.
      await this.session.run(`CREATE OR REPLACE TABLE ${table} AS ${rows}`);
      await this.session.createTable(this.kernelTable, this.residual.columns, { replace: true });
      return;
    }
    await this.session.run(`INSERT INTO ${table} ${rows}`);
    await this.session.run(`DELETE FROM ${this.kernelTable}`);
  }

  /**
   * Closes one window (its kernel rows loaded) and gives its rows: kept in the target as
   * materialize keeps them and read back, window_start and window_end first; or, handed on, the
   * residual's rows alone (the bounds come with the window), with no table holding them (the
   * kernel rows are cleared as 'latest' clears them).
   */
  async windowResult(window: WindowBounds): Promise<QueryResult> {
    if (this.windows !== 'handed-on') {
      await this.materialize(window);
      return this.session.run(`SELECT * FROM ${this.target.table} WHERE window_start = make_timestamp(${window.startUs})`);
    }
    await this.prepare();
    const rows = await this.session.run(this.sql);
    await this.session.createTable(this.kernelTable, this.residual.columns, { replace: true });
    return rows;
  }

  /** The residual over `snapshot` alone, into no table: the result as it would be if the query ended now (live views). */
  async preview(snapshot: ColumnBatch): Promise<QueryResult> {
    await this.session.createTable(LIVE_TABLE, this.residual.columns, { replace: true });
    await this.session.appendColumns(LIVE_TABLE, snapshot);
    const current = await this.session.run(residualOver(this.residual.sql, LIVE_TABLE));
    await this.session.run(`DROP TABLE ${LIVE_TABLE}`);
    return current;
  }

  /**
   * Appends kernel rows (unless not to `keep` them) and gives the residual's rows of them alone:
   * for a query whose rows each come from one kernel row (planner/streamable.ts), the rows it adds
   * to the result, in order.
   */
  async loadAndSelect(batch: ColumnBatch, keep: boolean): Promise<QueryResult> {
    if (keep) await this.load(batch);
    await this.prepareBatches();
    await this.session.run(`DELETE FROM ${this.batchTable}`);
    await this.session.appendColumns(this.batchTable, batch);
    return this.session.run(residualOver(this.residual.sql, this.batchTable));
  }

  /** Drops the kernel rows' tables, made or not. */
  async drop(): Promise<void> {
    await this.session.run(`DROP TABLE IF EXISTS ${this.kernelTable}`);
    await this.session.run(`DROP TABLE IF EXISTS ${this.batchTable}`);
  }
}
