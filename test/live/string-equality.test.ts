// String equality in the kernel compares whole words of the zero-padded buffer, and a prefix masks
// the bytes after it: processes whose names differ from the constant by one byte (one shorter, one
// longer, the last one changed) are told apart exactly, at each length a name's words can end at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, type Outcome } from '../../src/engine/engine.js';
import { kernelSkip, NamedProgram, shell } from '../helpers/workload.js';

const skip = kernelSkip();

const letters = (n: number): string => Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]).join('');

/** `base` and its near misses, each run a different number of times. */
function family(length: number): { base: string; runs: Map<NamedProgram, number> } {
  const base = `q${letters(length - 1)}`;
  const changed = `${base.slice(0, -1)}${base.endsWith('z') ? 'y' : 'z'}`;
  const names: [string, number][] = [[base, 7], [base.slice(0, -1), 3], [changed, 2]];
  // A name of more than 15 bytes is cut to 15 by the kernel: the longer one exists below that.
  if (length < 15) names.push([`${base}x`, 5]);
  return { base, runs: new Map(names.map(([name, n]) => [new NamedProgram(name), n])) };
}

function rowsOf(o: Outcome): readonly (readonly unknown[])[] {
  assert.equal(o.kind, 'rows');
  return o.kind === 'rows' ? o.result.rows : [];
}

for (const length of [5, 7, 8, 11, 15]) {
  test(`comm = and LIKE prefix in the kernel, names of ${length} bytes and their one-byte near misses: exact counts`, { skip }, async () => {
    const { base, runs } = family(length);
    const engine = await Engine.open();
    try {
      const script = [...runs].map(([p, n]) => `i=0; while [ $i -lt ${n} ]; do ${p.path}; i=$((i+1)); done`).join('; ');
      const run = async (sql: string): Promise<Outcome> => {
        let attached!: () => void;
        const started = new Promise<void>((resolve) => (attached = resolve));
        const until = started.then(async () => assert.equal(await shell(script).done, 0));
        const outcome = await engine.execute(sql, { onAttached: attached, until });
        await until;
        assert.equal(outcome.kind === 'rows' && outcome.kernel?.plan.kernel.mode.kind, 'aggregate');
        return outcome;
      };
      const equal = await run(`SELECT comm, count(*) AS n FROM exec WHERE comm = '${base}' GROUP BY comm`);
      assert.deepEqual(rowsOf(equal), [[base, 7]]);
      // The filter ran in the kernel: the near misses never got a key.
      assert.equal(equal.kind === 'rows' && equal.kernel?.kernelRows, 1);
      const prefix = await run(`SELECT comm, count(*) AS n FROM exec WHERE comm LIKE '${base}%' GROUP BY comm ORDER BY n`);
      assert.deepEqual(rowsOf(prefix), length < 15 ? [[`${base}x`, 5], [base, 7]] : [[base, 7]]);
    } finally {
      await engine.close();
      for (const p of runs.keys()) p.remove();
    }
  });
}
