// bpfql run by an unprivileged user (nobody) on this kernel: one sentence says what it needs,
// whichever step the kernel refuses first, and what the sentence names is enough.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { PRIVILEGES_NEEDED } from '../../src/kernel/errors.js';
import { startCli, waitAttached } from '../helpers/cli.js';
import { getppidTimes } from '../helpers/getppid.js';
import { kernelSkip, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();
const SENTENCE = `error: ${PRIVILEGES_NEEDED}.\n`;

/** setpriv as nobody, keeping the given capabilities (names as setpriv spells them: bpf, perfmon, …). */
function asNobody(caps: readonly string[]): readonly string[] {
  const list = caps.map((c) => `+${c}`).join(',');
  return ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...(caps.length > 0 ? [`--inh-caps=${list}`, `--ambient-caps=${list}`] : [])];
}

function runAs(caps: readonly string[], args: readonly string[]): ReturnType<typeof startCli> {
  return startCli(args, { wrapper: asNobody(caps), cwd: tmpdir() });
}

test('as nobody, a streaming and an aggregating kernel query each exit 1 with exactly the one sentence', { skip }, async () => {
  for (const q of ["SELECT pid, comm FROM tracepoint.syscalls.sys_enter_getppid WHERE comm = 'x' FOR 1s", 'SELECT comm, count(*) FROM exec GROUP BY comm FOR 1s']) {
    const r = await runAs([], [q]).done;
    assert.equal(r.code, 1, q);
    assert.equal(r.stdout, '', q);
    assert.equal(r.stderr, SENTENCE, q);
  }
});

test('refused further on (tracefs readable, then BPF_MAP_CREATE or the perf event refused): the same sentence', { skip }, async () => {
  for (const caps of [['dac_read_search'], ['dac_read_search', 'bpf'], ['bpf', 'perfmon']]) {
    const r = await runAs(caps, ['SELECT comm, count(*) FROM exec GROUP BY comm FOR 1s']).done;
    assert.equal(r.code, 1, caps.join(','));
    assert.equal(r.stderr, SENTENCE, caps.join(','));
  }
});

test('as nobody with the capabilities the sentence names, the query runs and counts exactly', { skip }, async () => {
  const comm = uniqueComm('cap');
  const run = runAs(['bpf', 'perfmon', 'dac_read_search'], ['--format', 'json', `SELECT pid, count(*) AS n FROM tracepoint.syscalls.sys_enter_getppid WHERE comm = '${comm}' GROUP BY pid`]);
  await waitAttached(run.pid);
  const work = getppidTimes(comm, 250);
  await work.done;
  process.kill(run.pid, 'SIGINT');
  const r = await run.done;
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [{ pid: work.pid, n: 250 }]);
});
