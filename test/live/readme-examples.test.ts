// Runs every example query of the README (between the examples markers) against the kernel,
// with a workload that gives each something to see, so the README cannot drift from the code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Engine } from '../../src/engine/engine.js';
import { splitStatements } from '../../src/query/split.js';
import { fromRoot } from '../helpers/paths.js';
import { kernelSkip, shell } from '../helpers/workload.js';

const skip = kernelSkip();

function readmeExamples(): string[] {
  const readme = readFileSync(fromRoot('README.md'), 'utf8');
  const block = /<!-- examples:start -->\n```sql\n([\s\S]*?)```\n<!-- examples:end -->/.exec(readme);
  assert.ok(block, 'README has an examples block');
  return splitStatements(block[1]!)
    .map((s) => s.text.split('\n').filter((l) => !l.trim().startsWith('--')).join('\n').trim())
    .filter((s) => s.length > 0);
}

/** Starts programs and opens files, as root, a few times. */
const workload = () => shell('for i in 1 2 3 4 5 6; do /bin/true; cat /etc/hostname /etc/passwd > /dev/null; ls /etc > /dev/null; done');

test('the README has at least ten examples', () => {
  assert.ok(readmeExamples().length >= 10);
});

test('every README example runs and returns rows', { skip }, async () => {
  const engine = await Engine.open();
  try {
    for (const sql of readmeExamples()) {
      let attached!: () => void;
      const ready = new Promise<void>((r) => (attached = r));
      // Each query ends when the workload is done (or at its own FOR / LIMIT, if sooner).
      const until = ready.then(() => workload().done);
      const o = await engine.execute(sql, { onAttached: attached, until });
      if (o.kind === 'rows') assert.ok(o.result.rows.length > 0, `no rows from: ${sql}`);
      else assert.equal(o.kind, 'done', sql);
      assert.ok(o.kernel, `ran in the kernel: ${sql}`);
    }
    const kept = await engine.session.run("SELECT n FROM opens WHERE comm = 'cat'");
    assert.ok(Number(kept.rows[0]?.[0]) >= 12, 'cat opened its two files six times');
  } finally {
    await engine.close();
  }
});
