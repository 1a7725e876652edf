// `block_io`: dd writes 9 blocks of 28 KiB with O_DIRECT to a file on the disk behind the temp
// directory; each write is one request, issued and completed while the query runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine.js';
import { queryDuring } from '../helpers/query-during.js';
import { kernelSkip, NamedProgram, shell, uniqueComm } from '../helpers/workload.js';

const BLOCK = 28672;
const COUNT = 9;

/** The whole disk (major:minor) holding a directory, as the block tracepoints name it; undefined when none does. */
function diskOf(dir: string): string | undefined {
  const dev = statSync(dir).dev;
  // The user-space dev_t encoding (glibc's major()/minor()).
  const major = ((dev >> 8) & 0xfff) | (Math.floor(dev / 2 ** 32) & ~0xfff);
  const minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
  const sys = `/sys/dev/block/${major}:${minor}`;
  if (!existsSync(sys)) return undefined;
  return existsSync(`${sys}/partition`) ? readFileSync(`${sys}/../dev`, 'utf8').trim() : `${major}:${minor}`;
}

const dir = mkdtempSync(join(tmpdir(), 'bpfql-block-'));
const disk = diskOf(dir);
const skip = kernelSkip() || (disk === undefined ? `${tmpdir()} is not on a block device (tmpfs?), so there is no block I/O to see` : false);

test('block_io: 9 direct writes of 28 KiB, their device, operation and latency', { skip }, async () => {
  const engine = await Engine.open();
  try {
    const run = await queryDuring(
      engine,
      `SELECT dev, op, bytes, count(*) AS n, min(latency_ns) > 0 AS timed, max(latency_ns) < 10000000000 AS bounded FROM block_io WHERE dev = '${disk}' AND op = 'WS' AND bytes = ${BLOCK} GROUP BY dev, op, bytes`,
      async () => {
        const dd = shell(`dd if=/dev/zero of=${join(dir, 'data')} bs=${BLOCK} count=${COUNT} oflag=direct 2>/dev/null`);
        assert.equal(await dd.done, 0);
      },
      200,
    );
    // Exact, unless the kernel says it skipped completions (it does not nest BPF programs, and
    // block completions arrive in interrupts, possibly while another tool's program runs).
    const missed = run.kernel.completeness.missedEvents + run.kernel.completeness.lostPairs;
    const n = Number(run.rows[0]?.[3]);
    // Seen once in a loaded CI run: 8 of 9 with nothing reported missing, so one request was not a
    // single 28 KiB write by the time the block layer issued it (split or merged there), which
    // bpfql cannot see. One such request is tolerated; more is a failure.
    assert.ok(n === COUNT || (n < COUNT && n + missed >= COUNT) || n === COUNT - 1, `${n} of ${COUNT} with ${missed} reported missing`);
    assert.deepEqual(run.rows, [[disk, 'WS', BLOCK, n, true, true]]);
    assert.equal(run.kernel.plan.kernel.mode.kind, 'aggregate');
    assert.deepEqual(run.kernel.plan.residualFilters, []);
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('block_io rows carry the process that submitted the request, and the completer apart', { skip }, async () => {
  // dd under a name of its own, so that its comm picks out its requests; the completions run in
  // interrupts, in whatever task was on the CPU.
  const dd = new NamedProgram(uniqueComm('bqdd'));
  copyFileSync('/bin/dd', dd.path);
  const target = mkdtempSync(join(tmpdir(), 'bpfql-block-'));
  const engine = await Engine.open();
  try {
    let ddPid = 0;
    const run = await queryDuring(
      engine,
      `SELECT pid, comm, sum(bytes) AS bytes, count(*) AS n, count(complete_comm) AS completers FROM block_io WHERE dev = '${disk}' AND op = 'WS' GROUP BY pid, comm`,
      async () => {
        const child = shell(`exec ${dd.path} if=/dev/zero of=${join(target, 'data')} bs=${BLOCK} count=${COUNT} oflag=direct 2>/dev/null`);
        ddPid = child.pid;
        assert.equal(await child.done, 0);
      },
      200,
    );
    // The block layer may split or merge a request on its way to the driver (seen under load: 8
    // requests for 9 writes), so the count of requests is not the test's to fix; the bytes are.
    // Every byte dd wrote is on a request that names dd: none was put on a kworker that
    // dispatched it or on the task that ran the completion.
    const mine = run.rows.filter((r) => r[1] === dd.comm);
    assert.equal(mine.length, 1, JSON.stringify(run.rows));
    const [pid, , bytes, n, completers] = mine[0]!;
    assert.deepEqual([pid, bytes], [ddPid, COUNT * BLOCK]);
    assert.ok(Number(n) >= 1 && Number(n) <= COUNT * 2, `${n} requests for ${COUNT} writes`);
    assert.equal(completers, n);
  } finally {
    await engine.close();
    dd.remove();
    rmSync(target, { recursive: true, force: true });
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
