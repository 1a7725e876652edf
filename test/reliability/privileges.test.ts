// Without privileges, whichever step the kernel refuses first, the user reads one sentence that
// says what bpfql needs, and the exit code is 1. The kernel is a fake here; the same run as the
// real user 'nobody' is in test/live/reliability-privileges.test.ts.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { reportError } from '../../src/engine/report-error.js';
import { Engine } from '../../src/engine/engine.js';
import { BpfCmd } from '../../src/kernel/bpf-cmd.js';
import { KernelError, PRIVILEGES_NEEDED, VerifierError } from '../../src/kernel/errors.js';
import { setSys } from '../../src/kernel/sys.js';
import { FakeSys } from '../kernel/fake-sys.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

const EPERM = 1;
const EACCES = 13;
const SENTENCE = `error: ${PRIVILEGES_NEEDED}.`;

afterEach(() => setSys(undefined));

test('the sentence names root and each capability bpfql needs', () => {
  assert.equal(PRIVILEGES_NEEDED, 'bpfql needs root, or the capabilities CAP_BPF, CAP_PERFMON and CAP_DAC_READ_SEARCH, to trace the kernel');
});

test('a kernel query refused at BPF_MAP_CREATE (EPERM) reports exactly the sentence, exit 1', async () => {
  const fake = new FakeSys();
  fake.onBpf = (cmd) => (cmd === BpfCmd.MAP_CREATE ? -EPERM : -22);
  setSys(fake);
  const engine = await Engine.open({}, fixtureCatalog(), fixturePlannerEnv);
  try {
    const sql = 'SELECT comm, count(*) FROM tracepoint.syscalls.sys_enter_openat GROUP BY comm FOR 1s';
    const error = await engine.execute(sql).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof KernelError, String(error));
    assert.deepEqual(reportError(error, sql), { text: SENTENCE, exitCode: 1 });
    assert.equal(fake.bpfCalls.filter((c) => c.cmd === BpfCmd.MAP_CREATE).length, 1);
  } finally {
    await engine.close();
  }
});

test('the same sentence whichever step was refused: program load, perf event, ioctl, tracefs', () => {
  for (const e of [
    new KernelError('BPF_PROG_LOAD', EPERM, { subject: "program 'p'" }),
    new KernelError('perf_event_open', EACCES, { subject: 'tracepoint syscalls:sys_enter_openat' }),
    new KernelError('ioctl(PERF_EVENT_IOC_SET_BPF)', EPERM),
    new KernelError('tracefs', EACCES, { message: 'cannot read tracefs at /sys/kernel/tracing/events' }),
    new KernelError('tracepoint sched:sched_process_exec', EACCES, { message: 'cannot read it' }),
  ]) {
    assert.deepEqual(reportError(e, ''), { text: SENTENCE, exitCode: 1 }, e.op);
  }
});

test('a verifier rejection (EACCES with a log) and other errors keep their own message', () => {
  const verifier = new VerifierError('p', EACCES, '0: (b7) r0 = 0\nR1 invalid mem access\n');
  assert.equal(reportError(verifier, '').text, "error: the kernel verifier rejected program 'p' (EACCES): R1 invalid mem access");
  const full = new KernelError('BPF_MAP_UPDATE_ELEM', 7);
  assert.equal(reportError(full, '').text, 'error: BPF_MAP_UPDATE_ELEM failed: E2BIG (argument list too long)\nhint: the map is full: give it a larger max_entries');
  const other = new KernelError('munmap', EPERM);
  assert.equal(reportError(other, '').text, 'error: munmap failed: EPERM (operation not permitted)');
});
