// Each kind of loss a result reports, forced by the test and counted exactly: ring-buffer records
// lost on both CPUs (a tiny ring, a consumer that cannot read), map updates that failed (a map of
// two keys, five keys), and events the kernel skipped (its recursion guard). And a LIMIT with no
// FOR, which must end the query by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Helper, add, assemble, call, comment, encode, exit, jeq, label, ldMap, ldx, mov, st, stx } from '../../src/bpf/index.js';
import { R0, R1, R2, R10 } from '../../src/bpf/register.js';
import { Catalog } from '../../src/catalog/catalog.js';
import { Engine } from '../../src/engine/engine.js';
import { kernelCatalogEnv } from '../../src/runtime/kernel-env.js';
import { attachPerfSampling } from '../../src/kernel/attach.js';
import { possibleCpus } from '../../src/kernel/cpus.js';
import { BpfMap } from '../../src/kernel/map.js';
import { BpfProgram } from '../../src/kernel/program.js';
import { startCli } from '../helpers/cli.js';
import { kernelSkip, NamedProgram, execTimes, uniqueComm } from '../helpers/workload.js';
import { callGetpgid } from './kernel-root.js';

/** bpf_trace_printk's helper id. */
const TRACE_PRINTK = 6;

const skip = kernelSkip() || (possibleCpus() < 2 ? 'losses on two CPUs need two CPUs' : false);

/** A node process named `comm`, pinned to `cpu`, that calls getppid `n` times; runs to its end. */
function getppidPinnedSync(comm: string, cpu: number, n: number): number {
  const script = `process.title = ${JSON.stringify(comm)}; for (let i = 0; i < ${n}; i++) void process.ppid;`;
  const r = spawnSync('taskset', ['-c', String(cpu), process.execPath, '-e', script], { stdio: 'ignore' });
  assert.equal(r.status, 0, `the workload on CPU ${cpu} failed`);
  return r.pid;
}

test('records lost to a full ring are counted on every CPU: lost = produced - delivered, exactly', { skip }, async () => {
  const comm = uniqueComm('bqlost');
  const PER_CPU = 3000;
  // A record is pid and cpu (16 bytes) after an 8-byte header: 24 bytes. The kernel refuses a
  // reserve that would fill the ring to its last byte, so a 4096-byte ring holds 4095 / 24 = 170
  // of them. The workloads run with spawnSync, which blocks this process's
  // event loop, so the query cannot drain the ring until both have ended: the ring fills on
  // CPU 0 and everything after is lost there, then everything on CPU 1 is lost.
  const engine = await Engine.open({ ringBytes: 4096 });
  try {
    const pids: number[] = [];
    let attached!: () => void;
    const ready = new Promise<void>((resolve) => (attached = resolve));
    const until = ready.then(() => {
      pids.push(getppidPinnedSync(comm, 0, PER_CPU), getppidPinnedSync(comm, 1, PER_CPU));
    });
    const outcome = await engine.execute(`SELECT pid, cpu FROM tracepoint.syscalls.sys_enter_getppid WHERE comm = '${comm}'`, { onAttached: attached, until });
    await until;
    assert.ok(outcome.kind === 'rows' && outcome.kernel);
    const fits = Math.floor(4095 / 24);
    assert.deepEqual(outcome.result.rows, Array.from({ length: fits }, () => [pids[0], 0]));
    assert.equal(outcome.kernel.completeness.lostRecords, 2 * PER_CPU - fits);
    assert.equal(outcome.kernel.completeness.failedUpdates, 0);
  } finally {
    await engine.close();
  }
});

test('--max-keys 2 with five keys: the failed updates are exactly the events of the three keys left out', { skip }, async () => {
  const cli = startCli(['--max-keys', '2', '--format', 'json', `SELECT tp_pid AS k, count(*) AS n FROM tracepoint.syscalls.sys_enter_getpgid WHERE pid = ${process.pid} GROUP BY tp_pid ORDER BY k`], { verbose: true });
  await cli.attached;
  // Keys 101 and 102 come first and take the map; 103, 104 and 105 come 2 + 3 + 1 times.
  callGetpgid([101, 102, 101, 103, 102, 104, 104, 103, 105, 104, 101]);
  process.kill(cli.pid, 'SIGINT');
  const r = await cli.done;
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [{ k: 101, n: 3 }, { k: 102, n: 2 }]);
  // With --format json the completeness goes to stderr as JSON.
  assert.match(r.stderr, /"completeness":\{"lostRecords":0,"failedUpdates":6,/);
});

test('events the kernel skips (a tracepoint hit while another BPF program runs on the CPU) are counted exactly', { skip }, async () => {
  // A sampling program (cpu-clock, on every CPU) calls bpf_trace_printk at each sample and counts
  // its calls. bpf_trace_printk hits the tracepoint bpf_trace:bpf_trace_printk from inside that
  // program: the kernel runs no tracing program while another runs on the CPU (bpf_prog_active),
  // so the query's program on that tracepoint is skipped once per call, and its recursion_misses
  // says so. (A tracepoint program would not do as the outer one: perf's own recursion guard
  // drops the inner tracepoint before BPF is asked. bpf_trace_printk also writes to the trace
  // buffer, and its first use prints a notice to the kernel log.)
  const counter = BpfMap.create({ name: 'bq_printks', type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 });
  const printer = assemble([
    comment('count this call', st.w(R10, -16, 0)),
    ldMap(R1, 'count'),
    mov.reg(R2, R10),
    add.imm(R2, -16),
    call(Helper.mapLookupElem),
    jeq.imm(R0, 0, 'out'),
    ldx.dw(R1, R0, 0),
    add.imm(R1, 1),
    stx.dw(R0, 0, R1),
    comment('"m\\n" and NUL', st.w(R10, -8, 0x0a6d)),
    st.w(R10, -4, 0),
    mov.reg(R1, R10),
    add.imm(R1, -8),
    mov.imm(R2, 3),
    call(TRACE_PRINTK),
    label('out'),
    mov.imm(R0, 0),
    exit(),
  ]);
  // Loading a program that calls bpf_trace_printk switches its tracepoint's ftrace event on; put
  // it back as it was.
  const printkEnable = '/sys/kernel/tracing/events/bpf_trace/bpf_trace_printk/enable';
  const wasEnabled = readFileSync(printkEnable, 'utf8');
  // The classic hook skips a tracepoint hit inside any BPF program (bpf_prog_active); a query
  // reading only common columns would go on tp_btf, which skips only its own program's recursion.
  const engine = await Engine.open({}, new Catalog({ ...kernelCatalogEnv, hook: 'tracepoint' }));
  try {
    let attached!: () => void;
    const ready = new Promise<void>((resolve) => (attached = resolve));
    const until = ready.then(async () => {
      const prog = BpfProgram.load({ name: 'bq_printk', type: 'perf_event', insns: encode(printer, new Map([['count', counter.fd]])), license: 'GPL' });
      try {
        const sampling = attachPerfSampling(prog, 499);
        await new Promise((resolve) => setTimeout(resolve, 500));
        sampling.close();
      } finally {
        prog.close();
      }
    });
    const outcome = await engine.execute(`SELECT count(*) AS n FROM tracepoint.bpf_trace.bpf_trace_printk WHERE pid = ${process.pid}`, { onAttached: attached, until });
    await until;
    assert.ok(outcome.kind === 'rows' && outcome.kernel);
    const perCpu = Buffer.alloc(8 * possibleCpus());
    assert.ok(counter.lookup(Buffer.alloc(4), perCpu));
    let calls = 0;
    for (let c = 0; c < possibleCpus(); c++) calls += Number(perCpu.readBigUInt64LE(8 * c));
    // About 499 a second on each CPU for half a second: a bound only to show the samples came.
    assert.ok(calls >= 20, `${calls} bpf_trace_printk calls`);
    assert.equal(outcome.kernel.completeness.missedEvents, calls);
    assert.deepEqual(outcome.result.rows, [[0]]);
  } finally {
    counter.close();
    await engine.close();
    writeFileSync(printkEnable, wasEnabled);
  }
});

test('LIMIT without FOR: a streaming query ends by itself once it has its rows', { skip }, async () => {
  const prog = new NamedProgram(uniqueComm('bqlim'));
  try {
    const cli = startCli(['--format', 'csv', `SELECT pid, comm FROM exec WHERE comm = '${prog.comm}' LIMIT 3`], { verbose: true });
    await cli.attached;
    const work = execTimes(prog.path, 5);
    assert.equal(await work.done, 0);
    // Generous: the query should end within a poll interval of the third row.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 20_000)));
    const ended = await Promise.race([cli.done, timeout]);
    clearTimeout(timer);
    if (ended === 'timeout') {
      process.kill(cli.pid, 'SIGKILL');
      assert.fail('the query with LIMIT 3 and no FOR was still running 20 s after its workload');
    }
    assert.equal(ended.code, 0, ended.stderr);
    const lines = ended.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'pid,comm');
    assert.equal(lines.length, 4, ended.stdout);
    for (const l of lines.slice(1)) assert.match(l, new RegExp(`^\\d+,${prog.comm}$`));
  } finally {
    prog.remove();
  }
});
