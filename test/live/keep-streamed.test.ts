// A streamed query's rows go to the live sink either way; whether they are also kept for the
// result (`last`) is the caller's choice: `bpfql watch` runs for days and keeps none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../src/engine/engine.js';
import type { Row } from '../../src/output/result.js';
import { execTimes, kernelSkip, NamedProgram, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();

/** Runs a streamed query over 7 execs of a program of its own; the rows shown and the rows kept. */
async function streamSeven(keepStreamed: boolean | undefined): Promise<{ shown: Row[]; kept: readonly Row[] }> {
  const prog = new NamedProgram(uniqueComm('ks'));
  const engine = await Engine.open();
  try {
    const shown: Row[] = [];
    let attached!: () => void;
    const started = new Promise<void>((resolve) => (attached = resolve));
    const until = started.then(() => execTimes(prog.path, 7).done);
    const outcome = await engine.execute(`SELECT comm FROM exec WHERE comm = '${prog.comm}'`, {
      onAttached: attached,
      until,
      onRows: { begin: () => undefined, rows: (batch) => void shown.push(...batch) },
      ...(keepStreamed === undefined ? {} : { keepStreamed }),
    });
    assert.equal(outcome.kind === 'rows' && outcome.streamed, true);
    const kept = outcome.kind === 'rows' ? outcome.result.rows : [];
    assert.deepEqual((await engine.session.run('SELECT count(*) FROM last')).rows, [[kept.length]]);
    return { shown, kept };
  } finally {
    await engine.close();
    prog.remove();
  }
}

test('streamed rows are shown and kept by default', { skip }, async () => {
  const { shown, kept } = await streamSeven(undefined);
  assert.equal(shown.length, 7);
  assert.deepEqual(kept, shown);
});

test('keepStreamed: false shows every row and keeps none', { skip }, async () => {
  const { shown, kept } = await streamSeven(false);
  assert.equal(shown.length, 7);
  assert.ok(shown.every((r) => typeof r[0] === 'string' && r[0].startsWith('ks')));
  assert.deepEqual(kept, []);
});
