// EVERY: one result per window, drained from the kernel map as each window closes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../src/engine/engine.js';
import type { QueryResult } from '../../src/store/session.js';
import { execTimes, kernelSkip, NamedProgram, uniqueComm } from '../helpers/workload.js';
import { GetppidStorm } from '../helpers/getppid-storm.js';

const skip = kernelSkip();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('EVERY 1s FOR 5s: one row per window with the paced workload\'s counts', { skip }, async () => {
  const prog = new NamedProgram(uniqueComm('bw'));
  const engine = await Engine.open();
  try {
    const seen: QueryResult[] = [];
    let attached!: () => void;
    const ready = new Promise<void>((r) => (attached = r));
    // Bursts in the middle of windows 0, 1 and 3 (windows start when the program is attached).
    const paced = ready.then(async () => {
      await sleep(400);
      await execTimes(prog.path, 3).done;
      await sleep(1000);
      await execTimes(prog.path, 5).done;
      await sleep(2000);
      await execTimes(prog.path, 2).done;
    });
    const o = await engine.execute(`SELECT count(*) AS n FROM exec WHERE comm = '${prog.comm}' EVERY 1s FOR 5s`, {
      onAttached: attached,
      onWindow: (rows) => seen.push(rows),
    });
    await paced;
    assert.ok(o.kind === 'rows', o.kind);
    assert.deepEqual(o.result.columns.map((c) => c.name), ['window_start', 'window_end', 'n']);
    assert.deepEqual(o.result.rows.map((r) => r[2]), [3, 5, 0, 2, 0]);
    assert.deepEqual(seen.map((w) => w.rows.map((r) => r[2])), [[3], [5], [0], [2], [0]]);
    // The bounds are the real times the windows were cut: back to back, each about a second
    // (cut by a timer, so at times a little late; the last ends when FOR's timer fired).
    const bounds = await engine.session.run('SELECT epoch_us(window_start), epoch_us(window_end) FROM last ORDER BY window_start');
    const edges = bounds.rows.map(([s, e]) => [Number(s), Number(e)] as const);
    edges.slice(1).forEach(([s], i) => assert.equal(s, edges[i]![1], `window ${i + 1} starts where window ${i} ends`));
    const lengths = edges.map(([s, e]) => (e - s) / 1000);
    assert.ok(lengths.every((ms) => ms > 900 && ms < 1100), JSON.stringify(lengths));
  } finally {
    await engine.close();
    prog.remove();
  }
});

test('streaming EVERY 10ms: windows 10 ms apart, back to back, every row\'s ts inside its window, empty ones kept', { skip }, async () => {
  const storm = new GetppidStorm(uniqueComm('sw'));
  const engine = await Engine.open();
  const calls = 300;
  try {
    let attached!: () => void;
    const ready = new Promise<void>((r) => (attached = r));
    // One call about every 2 ms, for about 0.6 s: shorter than the ring's poll interval (50 ms),
    // so each poll reads rows of several windows.
    const ran = ready.then(() => storm.run(calls, 1, 2000));
    const where = `FROM tracepoint.syscalls.sys_enter_getppid WHERE comm = '${storm.comm}' EVERY 10ms FOR 2s`;
    await engine.execute(`CREATE TABLE raw AS SELECT ts, pid ${where}`, { onAttached: attached });
    await ran;
    const rows = await engine.session.run('SELECT epoch_ns(window_start), epoch_ns(window_end), epoch_ns(ts) FROM raw ORDER BY ts');
    assert.equal(rows.rows.length, calls);
    for (const [start, end, ts] of rows.rows.map((r) => r.map((v) => BigInt(v as bigint | number)))) {
      assert.equal(end! - start!, 10_000_000n, `window [${start}, ${end})`);
      assert.ok(start! <= ts! && ts! < end!, `ts ${ts} outside its window [${start}, ${end})`);
    }

    // count(DISTINCT …) streams the rows and counts them in DuckDB, window by window.
    let again!: () => void;
    const readyAgain = new Promise<void>((r) => (again = r));
    const ranAgain = readyAgain.then(() => storm.run(calls, 1, 2000));
    const o = await engine.execute(`SELECT count(*) AS n, count(DISTINCT pid) AS pids ${where}`, { onAttached: again });
    await ranAgain;
    assert.equal(o.kind, 'rows');
    if (o.kind !== 'rows') return;
    assert.equal(o.kernel?.plan.kernel.mode.kind, 'stream');
    const bounds = await engine.session.run('SELECT epoch_us(window_start), epoch_us(window_end), n FROM last ORDER BY window_start');
    const windows = bounds.rows.map((r) => ({ start: Number(r[0]) / 1000, end: Number(r[1]) / 1000, n: Number(r[2]) }));
    assert.equal(windows.reduce((a, w) => a + w.n, 0), calls);
    // Every window of the 2 s is there, empty ones too (after the workload), back to back.
    assert.equal(windows.length, 200);
    windows.slice(1).forEach((w, i) => assert.equal(w.start, windows[i]!.end));
    assert.ok(windows.slice(0, -1).every((w) => w.end - w.start === 10), JSON.stringify(windows.map((w) => w.end - w.start)));
    assert.ok(windows.some((w) => w.n === 0));
  } finally {
    await engine.close();
    storm.remove();
  }
});
