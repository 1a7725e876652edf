// Decodes ring-buffer records of one query's fixed layout into result columns.
import type { ColumnBatch } from '../catalog/types.js';
import type { StreamMode } from '../planner/plan.js';
import { FieldColumns } from './decode-aggregates.js';
import type { RowNames } from './row-names.js';

export class RecordDecoder {
  private cols: FieldColumns;
  private rows = 0;

  constructor(private readonly mode: StreamMode, private readonly tsOffset: bigint, private readonly names: RowNames = {}) {
    this.cols = new FieldColumns(mode.fields, names);
  }

  get pending(): number {
    return this.rows;
  }

  push(buf: Buffer, offset: number): void {
    this.cols.push(buf, offset);
    this.rows++;
  }

  /** The records so far as a batch; starts a new one. */
  take(): ColumnBatch {
    const batch: ColumnBatch = {
      columns: this.mode.fields.map((f) => ({ name: f.name, type: f.type })),
      data: this.cols.data((mono) => mono + this.tsOffset),
      rowCount: this.rows,
    };
    this.cols = new FieldColumns(this.mode.fields, this.names);
    this.rows = 0;
    return batch;
  }
}
