// mountsnoop as a query on the real kernel: syscall('mount') shows each mount's strings (source,
// target, type) and its result, for mounts of a tmpfs the test makes in a mount namespace of its
// own, and one that fails (ENOENT), exactly as many as were made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine.js';
import { ABSENT_DIR, Mounter, MOUNT_SOURCE } from '../helpers/mounts.js';
import { queryDuring } from '../helpers/query-during.js';
import { kernelSkip } from '../helpers/workload.js';

const skip = kernelSkip();
const MOUNTS = 5;
const ENOENT = 2;

test('syscall(\'mount\'): source, target, type and ret of each mount, a failed one with -ENOENT', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-mounts-'));
  const mounter = new Mounter();
  const engine = await Engine.open();
  try {
    const run = await queryDuring(engine, `SELECT pid, comm, ret, dev_name, dir_name, type, flags FROM syscall('mount') WHERE comm = '${mounter.comm}'`, () => mounter.run(dir, MOUNTS));
    const rows = run.rows.map((r) => r.slice(1).map((v) => (typeof v === 'bigint' ? Number(v) : v)));
    assert.deepEqual(rows, [
      ...Array.from({ length: MOUNTS }, () => [mounter.comm, 0, MOUNT_SOURCE, dir, 'tmpfs', 0]),
      [mounter.comm, -ENOENT, MOUNT_SOURCE, join(dir, ABSENT_DIR), 'tmpfs', 0],
    ]);
    assert.equal(new Set(run.rows.map((r) => r[0])).size, 1, 'one process');
  } finally {
    await engine.close();
    mounter.remove();
    rmSync(dir, { recursive: true, force: true });
  }
});
