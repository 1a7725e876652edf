// BPF_ENABLE_STATS: the attr asks for run-time statistics, and the descriptor it gives is what
// keeps them on, closed by the function returned; a refusal is a KernelError, not a crash.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { BpfCmd } from '../../src/kernel/bpf-cmd.js';
import { KernelError } from '../../src/kernel/errors.js';
import { enableRunTimeStats } from '../../src/kernel/run-time-stats.js';
import { setSys } from '../../src/kernel/sys.js';
import { FakeSys } from './fake-sys.js';

afterEach(() => setSys(undefined));

test('enableRunTimeStats: one BPF_ENABLE_STATS of type BPF_STATS_RUN_TIME, its fd closed when done', () => {
  const fake = new FakeSys();
  fake.onBpf = (cmd) => (cmd === BpfCmd.ENABLE_STATS ? 42 : -22);
  setSys(fake);
  const stop = enableRunTimeStats();
  assert.deepEqual(fake.bpfCalls.map((c) => [c.cmd, c.size, c.attr.readUInt32LE(0)]), [[32, 4, 0]]);
  assert.deepEqual(fake.closed, []);
  stop();
  assert.deepEqual(fake.closed, [42]);
});

test('enableRunTimeStats refused (EPERM) is a KernelError', () => {
  const fake = new FakeSys();
  fake.onBpf = () => -1;
  setSys(fake);
  assert.throws(() => enableRunTimeStats(), KernelError);
});
