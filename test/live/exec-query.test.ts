// The core pipeline against the real kernel: exact counts from a workload the test makes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, type Outcome } from '../../src/engine/engine.js';
import { parseStatement } from '../../src/query/parse.js';
import { execTimes, kernelSkip, NamedProgram, uniqueComm, type ShellRun } from '../helpers/workload.js';

const skip = kernelSkip();

/** Runs `sql`, starting the workload once the program is attached and ending the query when it exits. */
async function runWith(engine: Engine, sql: string, workload: () => ShellRun): Promise<{ outcome: Outcome; shellPid: number }> {
  let shellRun: ShellRun | undefined;
  let attached!: () => void;
  const started = new Promise<void>((resolve) => (attached = resolve));
  const until = started.then(async () => {
    shellRun = workload();
    await shellRun.done;
  });
  const outcome = await engine.execute(sql, { onAttached: attached, until });
  return { outcome, shellPid: shellRun!.pid };
}

function rowsOf(o: Outcome): readonly (readonly unknown[])[] {
  assert.equal(o.kind, 'rows');
  return o.kind === 'rows' ? o.result.rows : [];
}

test('exec: a program executed 200 times counts exactly 200, with the shell as ppid', { skip }, async () => {
  const prog = new NamedProgram(uniqueComm('bq'));
  const engine = await Engine.open();
  try {
    const { outcome, shellPid } = await runWith(
      engine,
      `SELECT comm, ppid, count(*) AS n FROM exec WHERE comm = '${prog.comm}' GROUP BY comm, ppid`,
      () => execTimes(prog.path, 200),
    );
    assert.deepEqual(rowsOf(outcome), [[prog.comm, shellPid, 200]]);
    assert.equal(outcome.kind === 'rows' && outcome.kernel?.completeness.failedUpdates, 0);
    const last = await engine.session.run('SELECT n FROM last');
    assert.deepEqual(last.rows, [[200]]);
  } finally {
    await engine.close();
    prog.remove();
  }
});

test('WHERE runs in the kernel: events it rejects never reach user space; results equal the DuckDB-only plan', { skip }, async () => {
  const keep = new NamedProgram(uniqueComm('bk'));
  const drop = new NamedProgram(uniqueComm('bd'));
  const engine = await Engine.open();
  try {
    const sql = `SELECT comm, count(*) AS n, min(pid) > 0 AS positive FROM exec WHERE comm = '${keep.comm}' OR comm = '${drop.comm}' AND pid < 0 GROUP BY comm`;
    const workload = () => execTimes(`${keep.path}; ${drop.path}`, 50);
    const kernel = await runWith(engine, sql, workload);
    assert.deepEqual(rowsOf(kernel.outcome), [[keep.comm, 50, true]]);
    // The kernel's map held only the kept program's key: the other 50 events never left the kernel.
    assert.equal(kernel.outcome.kind === 'rows' && kernel.outcome.kernel?.kernelRows, 1);
    assert.equal(kernel.outcome.kind === 'rows' && kernel.outcome.kernel?.plan.kernel.mode.kind, 'aggregate');

    // The same query with nothing pushed down: DuckDB filters and aggregates 100 streamed rows.
    const stmt = parseStatement(sql);
    assert.equal(stmt.kind, 'query');
    const duck = await Engine.open({ kernelFilter: false, kernelAggregation: false });
    try {
      const raw = await runWith(duck, sql, workload);
      assert.deepEqual(rowsOf(raw.outcome), rowsOf(kernel.outcome));
      assert.ok(raw.outcome.kind === 'rows' && raw.outcome.kernel!.kernelRows >= 100, 'both programs streamed');
      assert.equal(raw.outcome.kind === 'rows' && raw.outcome.kernel?.plan.kernel.mode.kind, 'stream');
    } finally {
      await duck.close();
    }
  } finally {
    await engine.close();
    keep.remove();
    drop.remove();
  }
});

test('sum, min, max and avg over pid of one shell\'s children', { skip }, async () => {
  const prog = new NamedProgram(uniqueComm('ba'));
  const engine = await Engine.open();
  try {
    const { outcome, shellPid } = await runWith(
      engine,
      `SELECT count(*) AS n, min(ppid) AS lo, max(ppid) AS hi, sum(ppid) AS s, avg(ppid) AS a FROM exec WHERE comm = '${prog.comm}'`,
      () => execTimes(prog.path, 30),
    );
    assert.deepEqual(rowsOf(outcome), [[30, shellPid, shellPid, 30 * shellPid, shellPid]]);
  } finally {
    await engine.close();
    prog.remove();
  }
});

test('a CAST grouping key computed in the kernel equals DuckDB\'s', { skip }, async () => {
  const prog = new NamedProgram(uniqueComm('bc'));
  const sql = `SELECT CAST(pid AS BIGINT) % 7 AS low, CAST(uid AS UBIGINT) AS u, count(*) AS n FROM exec WHERE comm = '${prog.comm}' GROUP BY CAST(pid AS BIGINT) % 7, CAST(uid AS UBIGINT) ORDER BY low, u`;
  const kernel = await Engine.open();
  const duck = await Engine.open({ kernelFilter: false, kernelAggregation: false });
  try {
    let attachedA!: () => void;
    let attachedB!: () => void;
    const both = Promise.all([new Promise<void>((r) => (attachedA = r)), new Promise<void>((r) => (attachedB = r))]);
    const until = both.then(() => execTimes(prog.path, 40).done);
    const [a, b] = await Promise.all([kernel.execute(sql, { onAttached: attachedA, until }), duck.execute(sql, { onAttached: attachedB, until })]);
    assert.equal(a.kind === 'rows' && a.kernel?.plan.kernel.mode.kind, 'aggregate');
    assert.deepEqual(rowsOf(a), rowsOf(b));
    assert.equal(rowsOf(a).reduce((s, r) => s + Number(r[2]), 0), 40);
  } finally {
    await kernel.close();
    await duck.close();
    prog.remove();
  }
});
