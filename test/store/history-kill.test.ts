// --store under kill -9: a child writes windows in a loop and is killed at a random moment, 20
// times over the same DIR. After each kill the history reads with DuckDB without an error, and
// holds whole windows only: every window the child said was written, and at most the one it was
// writing, each with all its rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session } from '../../src/store/session.js';
import { quoteString } from '../../src/query/quote.js';
import { rowsInWindow } from '../helpers/history-windows.js';

const WRITER = fileURLToPath(new URL('../helpers/history-writer.js', import.meta.url));
const RUNS = 20;

/** Runs the writer as run `run` until it has written a window, then kills it `delayMs` later; the windows it said were written. */
async function writeAndKill(dir: string, run: number, delayMs: number): Promise<number> {
  const child = spawn(process.execPath, [WRITER, dir, String(run)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`run ${run}: no window written in 30 s: ${err}`)), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`run ${run}: the writer ended by itself: ${err}`));
    });
  });
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL', `run ${run}: ${err}`);
  return out.split('\n').filter((l) => l.startsWith('w ')).length;
}

test(`kill -9 at ${RUNS} random moments while windows are written: the history always reads, whole windows only`, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-store-kill-'));
  const s = await Session.open();
  try {
    const written: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const delayMs = Math.floor(Math.random() * 400);
      written.push(await writeAndKill(dir, run, delayMs));
      const r = await s.run(`SELECT run, k, count(*), count(DISTINCT j), min(j), max(j)
        FROM read_parquet(${quoteString(`${dir}/**/*.parquet`)}, hive_partitioning = true) GROUP BY run, k ORDER BY run, k`);
      for (let past = 0; past <= run; past++) {
        const windows = r.rows.filter((row) => row[0] === past);
        const said = written[past]!;
        const context = `run ${past} (killed ${delayMs} ms after its first window in run ${run}): said ${said} written, found ${windows.length}`;
        assert.ok(windows.length === said || windows.length === said + 1, context);
        windows.forEach((row, k) => {
          const n = rowsInWindow(k);
          assert.deepEqual(row, [past, k, n, n, 0, n - 1], context);
        });
      }
    }
    // Each temporary file left is a kill that came while DuckDB was writing a window.
    const midWrite = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tmp')).length;
    t.diagnostic(`${midWrite} of ${RUNS} kills came in the middle of writing a file; windows said written: ${written.join(' ')}`);
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
