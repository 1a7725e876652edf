// EVERY windows in the kernel must add up exactly to the events made: a window's map is read and
// emptied while the program keeps counting into the other one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../src/engine/engine.js';
import { isComplete } from '../../src/runtime/completeness.js';
import { GetppidStorm } from '../helpers/getppid-storm.js';
import { kernelSkip, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();
const CALLS = 300_000;

for (const every of ['10ms', '100ms', '1s']) {
  test(`EVERY ${every} windows sum exactly to a ${CALLS}-call getppid storm, complete`, { skip }, async () => {
    const storm = new GetppidStorm(uniqueComm('ev'));
    const engine = await Engine.open();
    try {
      let attached!: () => void;
      const ready = new Promise<void>((r) => (attached = r));
      const ran = ready.then(() => storm.run(CALLS));
      // The query ends once the storm has exited (however long a busy machine makes it take):
      // every call has then been counted.
      const o = await engine.execute(`SELECT count(*) AS n FROM tracepoint.syscalls.sys_enter_getppid WHERE comm = '${storm.comm}' EVERY ${every}`, {
        onAttached: attached,
        until: ran,
      });
      await ran;
      assert.equal(o.kind, 'rows');
      if (o.kind !== 'rows') return;
      const sum = o.result.rows.reduce((n, r) => n + Number(r[2]), 0);
      assert.equal(sum, CALLS, `the windows' counts: ${o.result.rows.map((r) => r[2]).join(' ')}`);
      assert.ok(o.kernel && isComplete(o.kernel.completeness), JSON.stringify(o.kernel?.completeness));
    } finally {
      await engine.close();
      storm.remove();
    }
  });
}
