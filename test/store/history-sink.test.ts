// --store: windows of known rows written as hive-partitioned Parquet and read back with DuckDB's
// read_parquet(…, hive_partitioning = true) exactly; rotation by rows, age and date; hostile host names
// escaped or refused; a link planted under DIR refused, the place it points to untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistorySink } from '../../src/store/history-sink.js';
import type { HistoryOptions } from '../../src/store/history-sink.js';
import { HistoryPathError, escapePartitionValue, hostPart } from '../../src/store/history-paths.js';
import { Session } from '../../src/store/session.js';
import { quoteString } from '../../src/query/quote.js';
import { HISTORY_BASE_MS, historyWindow } from '../helpers/history-windows.js';
import { withFullDisk } from '../helpers/full-disk.js';

async function withStore(f: (dir: string, s: Session) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-store-'));
  const s = await Session.open();
  try {
    await f(join(dir, 'history'), s);
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function sinkIn(s: Session, dir: string, more: Partial<HistoryOptions> = {}): { sink: HistorySink; reports: string[] } {
  const reports: string[] = [];
  return { sink: new HistorySink(s, { dir, host: 'node-1', report: (m) => reports.push(m), ...more }), reports };
}

/** Every row under DIR as read_parquet gives it with hive partitioning, in a fixed order. */
async function readBack(s: Session, dir: string): Promise<readonly (readonly unknown[])[]> {
  const r = await s.run(`SELECT metric, host, CAST(date AS VARCHAR), CAST(window_start AS VARCHAR), CAST(window_end AS VARCHAR), run, k, j, comm, sizes
    FROM read_parquet(${quoteString(`${dir}/**/*.parquet`)}, hive_partitioning = true) ORDER BY run, k, j`);
  return r.rows;
}

/** The rows readBack must give for windows (run, k) of metric `sizes` on `host`. */
function expectedRows(host: string, windows: readonly [number, number][]): unknown[][] {
  return windows.flatMap(([run, k]) => {
    const w = historyWindow(run, k);
    const iso = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace(/\.000Z$/, '');
    return w.rows.map((row) => ['sizes', host, new Date(w.endMs).toISOString().slice(0, 10), iso(w.startMs), iso(w.endMs), ...row]);
  });
}

const files = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.parquet')).sort();

test('windows read back exactly, each row with its window, partitioned by metric, host and date', () =>
  withStore(async (dir, s) => {
    const { sink, reports } = sinkIn(s, dir);
    const windows: [number, number][] = [[0, 0], [0, 1], [0, 2], [0, 20]];
    for (const [run, k] of windows) sink.window(historyWindow(run, k));
    await sink.close();
    assert.deepEqual(reports, []);
    assert.deepEqual(await readBack(s, dir), expectedRows('node-1', windows));
    // Windows 0..2 end on 7 December, window 20 on the 8th: one file per date.
    assert.deepEqual(files(dir).map((f) => f.split('/').slice(0, 3).join('/')), [
      'metric=sizes/host=node-1/date=2026-12-07',
      'metric=sizes/host=node-1/date=2026-12-08',
    ]);
  }));

test('a file takes windows until maxFileRows, then the next window starts another; no window is split', () =>
  withStore(async (dir, s) => {
    const { sink } = sinkIn(s, dir, { maxFileRows: 50 });
    const windows: [number, number][] = [[0, 0], [0, 1], [0, 2], [0, 3], [0, 4]];
    for (const [run, k] of windows) sink.window(historyWindow(run, k));
    await sink.close();
    assert.deepEqual(await readBack(s, dir), expectedRows('node-1', windows));
    // 20+21+22 rows reach 50 after the third window: files of windows {0,1,2} and {3,4}.
    const perFile = await s.run(`SELECT filename, list(DISTINCT k ORDER BY k) FROM read_parquet(${quoteString(`${dir}/**/*.parquet`)}, filename = true) GROUP BY filename ORDER BY 2`);
    assert.deepEqual(perFile.rows.map((r) => r[1]), [[0, 1, 2], [3, 4]]);
  }));

test('a file takes windows until it is maxFileAgeMs old, then the next window starts another; no window is split', () =>
  withStore(async (dir, s) => {
    // The sink's clock moves 10 s with each window, as a 10 s metric's would.
    let clock = HISTORY_BASE_MS;
    const { sink } = sinkIn(s, dir, { maxFileAgeMs: 25_000, now: () => clock });
    const windows: [number, number][] = [[0, 0], [0, 1], [0, 2], [0, 3], [0, 4], [0, 5]];
    for (const [run, k] of windows) {
      sink.window(historyWindow(run, k));
      await sink.flushed();
      clock += 10_000;
    }
    await sink.close();
    assert.deepEqual(await readBack(s, dir), expectedRows('node-1', windows));
    // A file opened at 0 s is 30 s old once its fourth window is written (>= 25 s): {0..3}, then {4, 5}.
    const perFile = await s.run(`SELECT filename, list(DISTINCT k ORDER BY k) FROM read_parquet(${quoteString(`${dir}/**/*.parquet`)}, filename = true) GROUP BY filename ORDER BY 2`);
    assert.deepEqual(perFile.rows.map((r) => r[1]), [[0, 1, 2, 3], [4, 5]]);
  }));

test('a hostile host name is escaped as hive does and reads back as it was', () =>
  withStore(async (dir, s) => {
    const host = '../x/y=%z é';
    const { sink, reports } = sinkIn(s, dir, { host });
    sink.window(historyWindow(0, 0));
    await sink.close();
    assert.deepEqual(reports, []);
    assert.deepEqual(readdirSync(join(dir, 'metric=sizes')), ['host=..%2Fx%2Fy%3D%25z%20%C3%A9']);
    assert.deepEqual(await readBack(s, dir), expectedRows(host, [[0, 0]]));
  }));

test('host names no directory can carry are refused with a clear error', () => {
  assert.throws(() => hostPart(''), (e: unknown) => e instanceof HistoryPathError && /host name is empty/.test(e.message));
  assert.throws(() => hostPart('a\0b'), /contains a NUL character/);
  assert.throws(() => hostPart('é'.repeat(60)), /too long for a directory name/);
  assert.equal(escapePartitionValue('web-1.example_com'), 'web-1.example_com');
  assert.equal(escapePartitionValue('..'), '..');
});

test('a symlink planted at DIR/metric=x is refused, and nothing is written where it points', () =>
  withStore(async (dir, s) => {
    const elsewhere = `${dir}-elsewhere`;
    mkdirSync(elsewhere, { recursive: true });
    mkdirSync(dir, { recursive: true });
    symlinkSync(elsewhere, join(dir, 'metric=sizes'));
    const { sink, reports } = sinkIn(s, dir);
    sink.window(historyWindow(0, 0));
    await sink.close();
    assert.equal(reports.length, 1);
    assert.match(reports[0]!, /^--store: window of sizes ending 2026-12-07T23:58:10\.000Z not written: .*\/metric=sizes is a symbolic link, which bpfql does not follow: remove it$/);
    assert.deepEqual(readdirSync(elsewhere), []);
  }));

test('a directory under DIR that others can write to is refused', () =>
  withStore(async (dir, s) => {
    mkdirSync(join(dir, 'metric=sizes'), { recursive: true });
    chmodSync(join(dir, 'metric=sizes'), 0o777);
    const { sink, reports } = sinkIn(s, dir);
    sink.window(historyWindow(0, 0));
    await sink.close();
    assert.equal(reports.length, 1);
    assert.match(reports[0]!, /metric=sizes was not made by bpfql \(owner uid \d+, mode 777\)/);
  }));

test('a column named like a partition key or an added column is refused, and the window told', () =>
  withStore(async (dir, s) => {
    const { sink, reports } = sinkIn(s, dir);
    const w = historyWindow(0, 0);
    sink.window({ ...w, columns: w.columns.map((c) => (c.name === 'comm' ? { ...c, name: 'Host' } : c)) });
    await sink.close();
    assert.equal(reports.length, 1);
    assert.match(reports[0]!, /its column 'Host' is a name --store gives a column of its own/);
  }));

const root = process.getuid?.() === 0;

test('a full disk: the window that does not fit is reported, the files keep whole windows, and later windows go on', { skip: root ? false : 'mounting a tmpfs needs root' }, () =>
  withStore((dir, s) =>
    withFullDisk(dir.replace(/\/history$/, ''), async (mnt) => {
      const history = join(mnt, 'history');
      const { sink, reports } = sinkIn(s, history, { maxFileRows: 1000 });
      sink.window(historyWindow(0, 0));
      // Random text does not compress: 3,000 rows of it are far more than the 64 KiB disk.
      const big = historyWindow(0, 1);
      sink.window({ ...big, rows: Array.from({ length: 3000 }, (_, j) => [0, 1, j, randomBytes(50).toString('hex'), []]) });
      await sink.flushed();
      assert.equal(reports.length, 1);
      assert.match(reports[0]!, /^--store: window of sizes ending .* not written: .*No space left on device/);
      assert.deepEqual(await readBack(s, history), expectedRows('node-1', [[0, 0]]));
      // The next window finds the file past its size with a window never written: that one is given up, the new one written.
      sink.window(historyWindow(0, 2));
      await sink.close();
      assert.deepEqual(reports.slice(1), ['--store: 1 window(s) of sizes given up after failed writes']);
      assert.deepEqual(await readBack(s, history), expectedRows('node-1', [[0, 0], [0, 2]]));
      assert.deepEqual(readdirSync(history, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tmp')), []);
    })));

test('HistorySink.open: a DuckDB of its own, closed with the sink; the windows read back', () =>
  withStore(async (dir, s) => {
    const sink = await HistorySink.open({ dir, host: 'node-1' });
    sink.window(historyWindow(0, 0));
    await sink.close();
    assert.deepEqual(await readBack(s, dir), expectedRows('node-1', [[0, 0]]));
    await assert.rejects(HistorySink.open({ dir, host: '' }), /host name is empty/);
  }));
