// Measurement 4: Arrow record batches into a DuckDB table through Session.append, in rows per
// second, for rows shaped like streamed events (timestamp, pid, comm, syscall id). Beside it, in
// the same run: the ColumnBatch → Arrow conversion (toRecordBatch), and DuckDB making the same
// rows itself (CREATE TABLE AS from range()), the ceiling for any way in.
import type { ColumnBatch } from '../src/catalog/types.js';
import { S64, STRING, TIMESTAMP, U32 } from '../src/catalog/types.js';
import { toRecordBatch } from '../src/store/arrow.js';
import type { Session } from '../src/store/session.js';
import { roundOrder } from './stats.js';

export const BATCH_ROWS = 65_536;
/** Distinct batches cycled through, so not every append sees the very same bytes. */
const DISTINCT_BATCHES = 8;

const COMMS = ['bpfql-workload', 'node', 'systemd-journal', 'sshd', 'kworker/0:1', 'bash', 'duckdb', 'containerd-shim'];

export interface ArrowIngestResult {
  readonly rows: number;
  /** Rows per second through Session.append, to committed. */
  readonly appendRowsPerSec: number[];
  /** Rows per second of DuckDB's own CREATE TABLE AS over range(). */
  readonly nativeRowsPerSec: number[];
  /** Rows per second of ColumnBatch → Arrow RecordBatch. */
  readonly toArrowRowsPerSec: number[];
}

function eventBatch(seed: number): ColumnBatch {
  const ts: bigint[] = [];
  const pid: number[] = [];
  const comm: string[] = [];
  const id: bigint[] = [];
  const base = 1_764_400_000_000_000_000n + BigInt(seed) * 1_000_000_000n;
  for (let i = 0; i < BATCH_ROWS; i++) {
    ts.push(base + BigInt(i * 97));
    pid.push(1000 + ((i * 7 + seed) % 4096));
    comm.push(COMMS[(i + seed) % COMMS.length]!);
    id.push(BigInt((i * 13 + seed) % 450));
  }
  return {
    columns: [
      { name: 'ts', type: TIMESTAMP },
      { name: 'pid', type: U32 },
      { name: 'comm', type: STRING },
      { name: 'id', type: S64 },
    ],
    data: [
      { kind: 'int64', values: ts },
      { kind: 'number', values: pid },
      { kind: 'string', values: comm },
      { kind: 'int64', values: id },
    ],
    rowCount: BATCH_ROWS,
  };
}

type Way = 'append' | 'native';

export async function measureArrowIngest(session: Session, opts: { readonly rows: number; readonly rounds: number }): Promise<ArrowIngestResult> {
  const batches = Array.from({ length: DISTINCT_BATCHES }, (_, i) => eventBatch(i));
  const toArrowRowsPerSec: number[] = [];
  let records = batches.map((b) => toRecordBatch(b)); // warm-up
  for (let r = 0; r < opts.rounds; r++) {
    const t = performance.now();
    records = batches.map((b) => toRecordBatch(b));
    toArrowRowsPerSec.push((DISTINCT_BATCHES * BATCH_ROWS) / ((performance.now() - t) / 1000));
  }
  const appends = Math.ceil(opts.rows / BATCH_ROWS);
  const rows = appends * BATCH_ROWS;
  const appendRowsPerSec: number[] = [];
  const nativeRowsPerSec: number[] = [];
  const table = 'bench_arrow';
  for (let r = 0; r < opts.rounds; r++) {
    for (const way of roundOrder<Way>(['append', 'native'], r)) {
      await session.run(`DROP TABLE IF EXISTS ${table}`);
      let t: number;
      if (way === 'append') {
        await session.createTable(table, batches[0]!.columns);
        t = performance.now();
        for (let i = 0; i < appends; i++) await session.append(table, records[i % records.length]!);
      } else {
        t = performance.now();
        await session.run(
          `CREATE TABLE ${table} AS SELECT make_timestamp_ns(1764400000000000000 + i * 97) AS ts, (1000 + i % 4096)::UINTEGER AS pid, ` +
            `(['${COMMS.join("','")}'])[1 + i % ${COMMS.length}] AS comm, (i % 450)::BIGINT AS id FROM range(${rows}) r(i)`,
        );
      }
      // Appended rows are committed before any SQL runs: counting them includes the commit.
      const count = Number((await session.run(`SELECT count(*) FROM ${table}`)).rows[0]?.[0]);
      const seconds = (performance.now() - t) / 1000;
      if (count !== rows) throw new Error(`${way}: the table has ${count} rows, expected ${rows}`);
      (way === 'append' ? appendRowsPerSec : nativeRowsPerSec).push(rows / seconds);
    }
  }
  await session.run(`DROP TABLE IF EXISTS ${table}`);
  return { rows, appendRowsPerSec, nativeRowsPerSec, toArrowRowsPerSec };
}
