// uprobe(...) against the real kernel: a program the test compiles calls a known function a known
// number of times with known arguments.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Engine, type Outcome } from '../../src/engine/engine.js';
import { CProgram, UPROBE_TARGET_SOURCE } from '../helpers/c-program.js';
import { kernelSkip, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();
const prog = skip ? undefined : new CProgram(uniqueComm('up'), UPROBE_TARGET_SOURCE);
after(() => prog?.remove());

/** Runs `sql`; once the probe is attached, runs the target program with (calls, base) and ends the query when it exits. */
async function runTarget(engine: Engine, sql: string, calls: number, base: number): Promise<{ outcome: Outcome; pid: number }> {
  let pid = -1;
  let attached!: () => void;
  const ready = new Promise<void>((resolve) => (attached = resolve));
  const until = ready.then(
    () =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(prog!.path, [String(calls), String(base)], { stdio: 'ignore' });
        pid = child.pid!;
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`target exited with ${code}`))));
      }),
  );
  const outcome = await engine.execute(sql, { onAttached: attached, until });
  await until;
  return { outcome, pid };
}

function rowsOf(o: Outcome): readonly (readonly unknown[])[] {
  assert.equal(o.kind, 'rows');
  return o.kind === 'rows' ? o.result.rows : [];
}

test('uprobe: 1000 calls are counted exactly, with their arguments, aggregated in the kernel', { skip }, async () => {
  const engine = await Engine.open();
  try {
    const sql = `SELECT count(*), min(arg0), max(arg0), sum(arg1), min(arg2), max(arg3), min(arg4), max(arg5) FROM uprobe('${prog!.path}', 'target')`;
    const { outcome } = await runTarget(engine, sql, 1000, 5000);
    assert.equal(outcome.kind === 'rows' && outcome.kernel?.plan.kernel.mode.kind, 'aggregate');
    assert.deepEqual(rowsOf(outcome), [[1000, 5000, 5999, 7000, 8, 9, 10, 11]]);
  } finally {
    await engine.close();
  }
});

test('uprobe: streamed rows carry the calling process and the arguments of each call', { skip }, async () => {
  const engine = await Engine.open();
  try {
    const sql = `SELECT pid, comm, arg0, arg5 FROM uprobe('${prog!.path}', 'target') WHERE arg0 % 2 = 0 ORDER BY arg0`;
    const { outcome, pid } = await runTarget(engine, sql, 10, 100);
    assert.equal(outcome.kind === 'rows' && outcome.kernel?.plan.kernel.mode.kind, 'stream');
    assert.deepEqual(rowsOf(outcome), [100, 102, 104, 106, 108].map((a) => [pid, prog!.name, a, 11]));
  } finally {
    await engine.close();
  }
});
