// Appends Arrow RecordBatches to one DuckDB table: slices of at most one vector's worth of rows
// are written into a single reused data chunk (chunk-writer.ts) and handed to a DuckDB Appender.

import duckdb from '@duckdb/node-bindings';
import { DuckDBDataChunk } from '@duckdb/node-api';
import type { DuckDBAppender, DuckDBConnection, DuckDBType } from '@duckdb/node-api';
import type { DataType, RecordBatch } from 'apache-arrow';
import { Scratch, writeVector } from './chunk-writer.js';
import { vectorTypeOf } from './vector-type.js';

export class TableAppender {
  private constructor(
    private readonly table: string,
    private readonly appender: DuckDBAppender,
    private readonly types: readonly DuckDBType[],
    private readonly chunk: DuckDBDataChunk,
    private readonly scratch: Scratch,
  ) {}

  static async open(connection: DuckDBConnection, table: string, scratch: Scratch): Promise<TableAppender> {
    const appender = await connection.createAppender(table);
    const types = Array.from({ length: appender.columnCount }, (_, i) => appender.columnType(i));
    return new TableAppender(table, appender, types, DuckDBDataChunk.create(types), scratch);
  }

  /** Refuses a batch whose columns don't have exactly the table's types: the copy is unchecked. */
  private check(batch: RecordBatch): void {
    const fields = batch.schema.fields;
    if (fields.length !== this.types.length) {
      throw new TypeError(`table "${this.table}" has ${this.types.length} columns, the batch has ${fields.length}`);
    }
    fields.forEach((field, i) => {
      const want = this.types[i]!.toString();
      const have = vectorTypeOf(field.type as DataType)?.toString();
      if (have !== want) {
        throw new TypeError(`table "${this.table}" column ${i + 1} is ${want}, the batch's "${field.name}" is Arrow ${field.type}`);
      }
    });
  }

  append(batch: RecordBatch): void {
    this.check(batch);
    const columns = batch.data.children;
    const size = duckdb.vector_size();
    for (let start = 0; start < batch.numRows; start += size) {
      const count = Math.min(size, batch.numRows - start);
      this.chunk.reset();
      columns.forEach((data, c) => {
        writeVector(duckdb.data_chunk_get_vector(this.chunk.chunk, c), data, start, count, this.scratch);
      });
      this.chunk.rowCount = count;
      this.appender.appendDataChunk(this.chunk);
    }
  }

  /** Commits what was appended; the appender can't be used afterwards. */
  close(): void {
    this.appender.closeSync();
  }
}
