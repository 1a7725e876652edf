// One embedded DuckDB database and connection: where kernel results land and residual SQL runs.

import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { RecordBatch } from 'apache-arrow';
import { duckdbType } from '../catalog/types.js';
import type { ResultColumn } from '../catalog/types.js';
import { Scratch } from './chunk-writer.js';
import { plainValue } from './result.js';
import type { QueryResult } from './result.js';
import { quoteIdent } from './sql-text.js';
import { TableAppender } from './table-appender.js';

export type { QueryColumn, QueryResult } from './result.js';

export class Session {
  /** Open appenders by table name; kept between append() calls, committed before any SQL runs. */
  private readonly appenders = new Map<string, TableAppender>();
  private readonly scratch = new Scratch();
  private closed = false;
  /** The tail of the operations in flight: each waits for the one before (see serial). */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly instance: DuckDBInstance, private readonly connection: DuckDBConnection) {}

  /** `:memory:` by default; a file path keeps the database across runs. */
  static async open(path = ':memory:'): Promise<Session> {
    const instance = await DuckDBInstance.create(path);
    try {
      return new Session(instance, await instance.connect());
    } catch (e) {
      instance.closeSync();
      throw e;
    }
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
    this.commitAppends();
    const result = await this.connection.run(sql);
    const columns = result.columnNames().map((name, i) => ({ name, type: result.columnType(i).toString() }));
    const rows = (await result.getRows()).map((row) => row.map(plainValue));
    return { columns, rows };
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

  /** Appends a batch whose column types equal the table's (see vector-type.ts), by position. */
  append(table: string, batch: RecordBatch): Promise<void> {
    return this.serial(() => this.appendNow(table, batch));
  }

  private async appendNow(table: string, batch: RecordBatch): Promise<void> {
    this.ensureOpen();
    let appender = this.appenders.get(table);
    if (!appender) {
      appender = await TableAppender.open(this.connection, table, this.scratch);
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
    try {
      this.commitAppends();
    } finally {
      this.connection.closeSync();
      this.instance.closeSync();
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
