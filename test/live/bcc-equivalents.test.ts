// The README's "bcc tools as queries": each one-liner is read from README.md (so the README and
// this test cannot drift) and run against a workload whose events it must show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, type EngineOptions } from '../../src/engine/engine.js';
import { CommandCgroup, findCgroup2 } from '../../src/kernel/cgroup.js';
import type { Bucket } from '../../src/catalog/types.js';
import { typeInto } from '../helpers/bash.js';
import { Workload, workloadSkip } from '../helpers/c-workload.js';
import type { Transfer } from '../helpers/net-child.js';
import { NetChild } from '../helpers/net-child.js';
import { VethPair } from '../helpers/netns.js';
import { ABSENT_DIR, Mounter, MOUNT_SOURCE } from '../helpers/mounts.js';
import { fromRoot } from '../helpers/paths.js';
import type { QueryRun } from '../helpers/query-during.js';
import { queryDuring } from '../helpers/query-during.js';
import { execTimes, kernelSkip, NamedProgram, shell, uniqueComm } from '../helpers/workload.js';

/** `- tool: \`query\`` lines between the README's bcc-queries markers. */
function readmeQueries(): Map<string, string> {
  const readme = readFileSync(fromRoot('README.md'), 'utf8');
  const start = readme.indexOf('<!-- bcc-queries:start -->');
  const end = readme.indexOf('<!-- bcc-queries:end -->');
  assert.ok(start >= 0 && end > start, 'README.md has the bcc-queries markers');
  const out = new Map<string, string>();
  for (const line of readme.slice(start, end).split('\n').slice(1)) {
    if (line.trim() === '') continue;
    const m = /^- ([a-z0-9]+): `([^`]+)`$/.exec(line);
    assert.ok(m, `unexpected line in the bcc list: ${line}`);
    out.set(m[1]!, m[2]!);
  }
  return out;
}

const QUERIES = readmeQueries();
const skip = kernelSkip() || workloadSkip();

/** The rows as objects by column name. */
function records(run: QueryRun): Record<string, unknown>[] {
  return run.rows.map((r) => Object.fromEntries(run.columns.map((c, i) => [c, r[i]])));
}

function bucketTotal(value: unknown): number {
  return (value as Bucket[]).reduce((n, b) => n + Number(b.count), 0);
}

/** Runs the README's query for `tool` while `workload` runs. */
async function runTool(tool: string, workload: () => Promise<unknown>, settleMs = 0, opts: EngineOptions = {}): Promise<Record<string, unknown>[]> {
  const sql = QUERIES.get(tool);
  assert.ok(sql, `README.md lists ${tool}`);
  const engine = await Engine.open(opts);
  try {
    return records(await queryDuring(engine, sql, workload, settleMs));
  } finally {
    await engine.close();
  }
}

/** 5 loopback connections to a server of this test; resolves when both sides of each are closed. */
async function connections(n: number, run: (port: number) => Promise<Record<string, unknown>[]>): Promise<{ rows: Record<string, unknown>[]; port: number }> {
  let closedServerSides = 0;
  const server = createServer((s) => {
    s.on('end', () => s.end());
    s.on('close', () => closedServerSides++);
    s.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    return { rows: await run(port), port };
  } finally {
    assert.equal(closedServerSides, n);
    server.close();
  }
}

async function connectAll(port: number, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await new Promise<void>((resolve, reject) => {
      const c = createConnection(port, '127.0.0.1', () => c.end());
      c.on('error', reject);
      c.on('close', () => resolve());
      c.resume();
    });
  }
}

const CHECKS: Readonly<Record<string, () => Promise<void>>> = {
  async execsnoop() {
    const prog = new NamedProgram('bqexecsnoop');
    try {
      let shellPid = 0;
      const rows = await runTool('execsnoop', async () => {
        const s = execTimes(prog.path, 3);
        shellPid = s.pid;
        assert.equal(await s.done, 0);
      });
      assert.deepEqual(rows.filter((r) => r.comm === prog.comm).map((r) => [r.filename, r.ppid, r.argv]), Array.from({ length: 3 }, () => [prog.path, shellPid, [prog.path]]));
    } finally {
      prog.remove();
    }
  },
  async opensnoop() {
    const dir = mkdtempSync(join(tmpdir(), 'bpfql-opensnoop-'));
    try {
      const rows = await runTool('opensnoop', async () => {
        for (let i = 0; i < 5; i++) closeSync(openSync(join(dir, 'made'), 'w'));
        assert.throws(() => openSync(join(dir, 'absent'), 'r'));
      });
      const mine = rows.filter((r) => typeof r.filename === 'string' && r.filename.startsWith(dir));
      assert.deepEqual(mine.map((r) => [r.pid, r.filename, Number(r.fd) >= 0]), [
        ...Array.from({ length: 5 }, () => [process.pid, join(dir, 'made'), true]),
        [process.pid, join(dir, 'absent'), false],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  async syscount() {
    const w = await Workload.start('bqsyscount', ['getppid', '20000']);
    // The query counts every process's system calls; scoped to a cgroup holding only the workload
    // (as `bpfql run` scopes a command), the count is the workload's own and exact.
    const cgroup = CommandCgroup.create(findCgroup2(), `bpfql-test-syscount-${process.pid}`);
    try {
      writeFileSync(cgroup.procsFile, String(w.pid));
      const rows = await runTool('syscount', () => w.go(), 0, { cgroupId: cgroup.id });
      assert.ok(rows.length >= 1 && rows.length <= 10, JSON.stringify(rows.map((r) => r.syscall)));
      const calls = rows.map((r) => Number(r.calls));
      assert.deepEqual(calls, [...calls].sort((a, b) => b - a));
      // After go() the workload makes its getppid calls and exits (its read of 'go' was already in
      // flight, and exit_group never returns, so neither completes a pair): getppid, exactly.
      assert.deepEqual([rows[0]!.syscall, calls[0]], ['getppid', 20000]);
      assert.ok(calls.slice(1).every((n) => n <= 5), JSON.stringify(rows));
    } finally {
      w.remove();
      assert.ok(await cgroup.remove(5000), `${cgroup.dir} still holds processes`);
    }
  },
  async stackcount() {
    // Why tasks leave the CPU (bcc's `stackcount t:sched:sched_switch`), scoped to a cgroup that
    // holds only the workload: each of its 30 sleeps leaves the CPU through nanosleep, once.
    const w = await Workload.start('bqstackcount', ['sleep', '30', '2']);
    const cgroup = CommandCgroup.create(findCgroup2(), `bpfql-test-stackcount-${process.pid}`);
    try {
      writeFileSync(cgroup.procsFile, String(w.pid));
      const rows = await runTool('stackcount', () => w.go(), 0, { cgroupId: cgroup.id });
      const sleeps = rows.filter((r) => /(^|;)do_nanosleep\+0x[0-9a-f]+;/.test(String(r.kstack)));
      assert.equal(sleeps.length, 1, JSON.stringify(rows));
      assert.equal(Number(sleeps[0]!.n), 30);
      // The kernel calls a tracepoint's one probe directly, and two or more through its iterator,
      // which is then a frame of its own: whether another tracer is on sched_switch shows.
      assert.match(String(sleeps[0]!.kstack), /^(__traceiter_sched_switch\+0x[0-9a-f]+;)?__schedule\+0x[0-9a-f]+;schedule\+/);
    } finally {
      w.remove();
      assert.ok(await cgroup.remove(5000), `${cgroup.dir} still holds processes`);
    }
  },
  async offcputime() {
    // Where the workload waits, and how long: each of its 30 sleeps of 20 ms leaves the CPU
    // through nanosleep (state S) and comes back at least 20 ms later; the cgroup holds only it.
    const w = await Workload.start('bqoffcpu', ['sleep', '30', '20']);
    const cgroup = CommandCgroup.create(findCgroup2(), `bpfql-test-offcputime-${process.pid}`);
    try {
      writeFileSync(cgroup.procsFile, String(w.pid));
      const rows = await runTool('offcputime', () => w.go(), 0, { cgroupId: cgroup.id });
      const sleeps = rows.filter((r) => /(^|;)do_nanosleep\+0x[0-9a-f]+;/.test(String(r.kstack)));
      assert.equal(sleeps.length, 1, JSON.stringify(rows));
      // A sleep the thread was preempted in before it slept shows as a preemption instead. And
      // one sleep may be missing for a reason outside bpfql, measured on this machine: the
      // kernel delivers no sched_switch whose `prev` is one of the sandbox's own PID 1 threads
      // (tokio-rt-worker) to any BPF program, tp_btf, raw or classic (bpftrace misses the same
      // switches), so a thread that such a thread hands the CPU to comes back unseen, and its
      // next switch-out starts a new period. It happened in about 1 run in 10 on a busy CPU.
      const n = Number(sleeps[0]!.n);
      assert.ok(n <= 30 && n >= 30 - (rows.length - 1) - 1, JSON.stringify(rows));
      assert.ok(Number(sleeps[0]!.off_us) >= n * 20_000, JSON.stringify(rows));
    } finally {
      w.remove();
      assert.ok(await cgroup.remove(5000), `${cgroup.dir} still holds processes`);
    }
  },
  async biolatency() {
    const dir = mkdtempSync(join(tmpdir(), 'bpfql-biolatency-'));
    try {
      const dev = statSync(dir).dev;
      if (!existsSync(`/sys/dev/block/${(dev >> 8) & 0xfff}:${(dev & 0xff) | ((dev >> 12) & 0xfff00)}`)) {
        throw new Error(`${tmpdir()} is not on a block device: no block I/O to see`);
      }
      const rows = await runTool('biolatency', async () => {
        const dd = shell(`dd if=/dev/zero of=${join(dir, 'data')} bs=4096 count=20 oflag=direct 2>/dev/null`);
        assert.equal(await dd.done, 0);
      }, 200);
      assert.equal(rows.length, 1);
      // At least most of dd's 20 requests: completions come in interrupts, and the kernel skips a
      // program that interrupts another BPF program (see the README), so a few may go unseen
      // while other BPF tools run.
      assert.ok(bucketTotal(rows[0]!.usecs) >= 10, JSON.stringify(rows[0]!.usecs));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  async runqlat() {
    const w = await Workload.start('bqrunqlat', ['sleep', '30', '2']);
    try {
      const rows = await runTool('runqlat', () => w.go());
      assert.equal(rows.length, 1);
      // At least the workload's wakeups (a few may go unseen: see tables-sched.test.ts).
      assert.ok(bucketTotal(rows[0]!.usecs) >= 15, JSON.stringify(rows[0]!.usecs));
    } finally {
      w.remove();
    }
  },
  async tcpconnect() {
    const { rows, port } = await connections(5, (port) => runTool('tcpconnect', () => connectAll(port, 5)));
    assert.deepEqual(rows.filter((r) => r.dport === port).map((r) => [r.pid, r.saddr, r.daddr]), Array.from({ length: 5 }, () => [process.pid, '127.0.0.1', '127.0.0.1']));
  },
  async statsnoop() {
    const w = await Workload.start('bqstatsnoop', ['stat', '5', '3']);
    try {
      const rows = await runTool('statsnoop', () => w.go());
      assert.deepEqual(rows.filter((r) => r.comm === w.comm).map((r) => [r.pid, r.ret, r.filename]), [
        ...Array.from({ length: 5 }, () => [w.pid, 0, '/']),
        ...Array.from({ length: 3 }, () => [w.pid, -2, '/nonexistent/bpfql']),
      ]);
    } finally {
      w.remove();
    }
  },
  async killsnoop() {
    const w = await Workload.start('bqkillsnoop', ['refused', '0', '4']);
    try {
      const rows = await runTool('killsnoop', () => w.go());
      // kill(0x7fffffff, 0): no such process, ESRCH.
      assert.deepEqual(rows.filter((r) => r.comm === w.comm).map((r) => [r.pid, r.target, r.sig, r.ret]), Array.from({ length: 4 }, () => [w.pid, 0x7fffffff, 0, -3]));
    } finally {
      w.remove();
    }
  },
  async bashreadline() {
    const mark = `bpfql-${process.pid}-${Date.now()}`;
    const lines = [`echo ${mark} > /dev/null`, `: ${mark} again`];
    const rows = await runTool('bashreadline', () => typeInto('/bin/bash', [...lines, 'exit']));
    // Other shells on the machine may be read from too: this one's lines, in order, once each.
    assert.deepEqual(rows.map((r) => r.line).filter((l) => typeof l === 'string' && l.includes(mark)), lines);
  },
  async tcptop() {
    const child = await NetChild.start(['loopback', '127.0.0.1', '1000', '250000']);
    try {
      let transfers: Transfer[] = [];
      const rows = await runTool('tcptop', async () => (transfers = await child.go()));
      const ours = rows.filter((r) => r.pid === child.pid);
      // Each connection's request and reply, sent by one end and received by the other.
      for (const t of transfers) {
        for (const [direction, from, to, bytes] of [['send', t.clientPort, t.serverPort, t.sent], ['receive', t.serverPort, t.clientPort, t.sent], ['send', t.serverPort, t.clientPort, t.received], ['receive', t.clientPort, t.serverPort, t.received]] as const) {
          assert.deepEqual(ours.filter((r) => r.direction === direction && r.sport === from && r.dport === to).map((r) => Number(r.total)), [bytes], `${direction} ${from} → ${to}`);
        }
      }
      assert.equal(ours.length, 4 * transfers.length);
    } finally {
      await child.stop();
    }
  },
  async tcpretrans() {
    const link = VethPair.create();
    let server: NetChild | undefined;
    try {
      link.nftB('add', 'table', 'inet', 't');
      link.nftB('add', 'chain', 'inet', 't', 'c', '{ type filter hook input priority 0; }');
      link.nftB('add', 'rule', 'inet', 't', 'c', 'tcp', 'dport', '5004', 'numgen', 'random', 'mod', '10', '0', 'drop');
      server = await NetChild.start(['serve', link.addrB, '5004'], { netns: link.nsB });
      server.go().catch(() => {});
      const rows = await runTool('tcpretrans', async () => {
        // Some 160 segments of 64 kB: a tenth of them lost is never none.
        const c = await NetChild.start(['send', link.addrB, '5004', '10000000'], { netns: link.nsA });
        try {
          await c.go();
        } finally {
          await c.stop();
        }
      });
      const ours = rows.filter((r) => r.dport === 5004 || r.sport === 5004);
      assert.ok(ours.length > 0, 'retransmits through the lossy rule');
      for (const r of ours) assert.ok([link.addrA, link.addrB].includes(String(r.saddr)) && typeof r.state === 'string', JSON.stringify(r));
    } finally {
      await server?.stop();
      link.remove();
    }
  },
  async tcpdrop() {
    const child = await NetChild.start(['udp', '127.0.0.1', '9', '10']);
    try {
      const rows = await runTool('tcpdrop', () => child.go());
      const ours = rows.filter((r) => r.pid === child.pid && r.reason === 'NO_SOCKET');
      assert.equal(ours.length, 10);
      for (const r of ours) {
        assert.equal(r.protocol, 2048);
        // Dropped by UDP's receive path, finding no socket for port 9.
        assert.match(String(r.kstack), /udp/);
        assert.match(String(r.location), /^\w*udp\w*\+0x[0-9a-f]+$/);
      }
    } finally {
      await child.stop();
    }
  },
  async filetop() {
    const dd = new NamedProgram(uniqueComm('bqfiletop'), '/bin/dd');
    try {
      const src = join(dd.dir, 'source');
      writeFileSync(src, Buffer.alloc(4 * 512));
      const rows = await runTool('filetop', async () => assert.equal(await shell(`${dd.path} if=${src} of=${join(dd.dir, 'copy')} bs=512 count=4 2>/dev/null`).done, 0));
      // dd's four reads of the source (count=4: it reads no further).
      assert.deepEqual(rows.filter((r) => r.comm === dd.comm && r.filename === src).map((r) => [Number(r.reads), Number(r.bytes)]), [[4, 4 * 512]]);
    } finally {
      dd.remove();
    }
  },
  async fileslower() {
    const dd = new NamedProgram(uniqueComm('bqfileslow'), '/bin/dd');
    try {
      const fifo = join(dd.dir, 'fifo');
      // Twice a pipe's 64 KiB in one write, to a reader that drains only after 300 ms: the write waits for it.
      const script = `mkfifo ${fifo} && { (exec 3<${fifo}; sleep 0.3; cat <&3 >/dev/null) & ${dd.path} if=/dev/zero of=${fifo} bs=131072 count=1 2>/dev/null; wait; }`;
      const rows = await runTool('fileslower', async () => assert.equal(await shell(script).done, 0));
      const ours = rows.filter((r) => r.comm === dd.comm);
      assert.deepEqual(ours.map((r) => [r.filename, Number(r.bytes)]), [[fifo, 131072]]);
      assert.ok(Number(ours[0]!.ms) >= 250, `${String(ours[0]!.ms)} ms`);
    } finally {
      dd.remove();
    }
  },
  async mountsnoop() {
    const dir = mkdtempSync(join(tmpdir(), 'bpfql-mountsnoop-'));
    const mounter = new Mounter();
    try {
      const rows = await runTool('mountsnoop', () => mounter.run(dir, 3));
      assert.deepEqual(rows.filter((r) => r.comm === mounter.comm).map((r) => [r.ret, r.dev_name, r.dir_name, r.type]), [
        ...Array.from({ length: 3 }, () => [0, MOUNT_SOURCE, dir, 'tmpfs']),
        [-2, MOUNT_SOURCE, join(dir, ABSENT_DIR), 'tmpfs'],
      ]);
    } finally {
      mounter.remove();
      rmSync(dir, { recursive: true, force: true });
    }
  },
  async biosnoop() {
    const dd = new NamedProgram(uniqueComm('bqbiosnoop'), '/bin/dd');
    try {
      const dev = statSync(dd.dir).dev;
      const device = `${(dev >> 8) & 0xfff}:${(dev & 0xff) | ((dev >> 12) & 0xfff00)}`;
      if (!existsSync(`/sys/dev/block/${device}`)) throw new Error(`${tmpdir()} is not on a block device: no block I/O to see`);
      const rows = await runTool('biosnoop', async () => {
        assert.equal(await shell(`${dd.path} if=/dev/zero of=${join(dd.dir, 'data')} bs=4096 count=20 oflag=direct 2>/dev/null`).done, 0);
      }, 200);
      const ours = rows.filter((r) => r.comm === dd.comm);
      // Most of the 20 direct writes at least (see biolatency), each one request of 4096 bytes.
      assert.ok(ours.length >= 10 && ours.length <= 20, `${ours.length} requests`);
      for (const r of ours) assert.deepEqual([r.dev, String(r.op)[0], r.bytes], [device, 'W', 4096], JSON.stringify(r));
    } finally {
      dd.remove();
    }
  },
  async tcplife() {
    const child = await NetChild.start(['loopback', '127.0.0.1', '1000', '250000']);
    try {
      let transfers: Transfer[] = [];
      const rows = await runTool('tcplife', async () => (transfers = await child.go()));
      // Client and server are one process here, and it owns both sockets of each connection.
      const ours = rows.filter((r) => r.pid === child.pid);
      assert.equal(ours.length, 2 * transfers.length);
      for (const t of transfers) {
        for (const [lport, rport, tx, rx] of [[t.clientPort, t.serverPort, t.sent, t.received], [t.serverPort, t.clientPort, t.received, t.sent]] as const) {
          const row = ours.filter((r) => r.lport === lport && r.rport === rport);
          assert.deepEqual(row.map((r) => [r.laddr, r.raddr, Number(r.tx_bytes), Number(r.rx_bytes)]), [['127.0.0.1', '127.0.0.1', tx, rx]], `${lport} → ${rport}`);
          // The socket's life is inside the client's own connect-to-close, give or take the server's last ACK.
          assert.ok(Number(row[0]!.ms) > 0 && Number(row[0]!.ms) <= t.ms + 5, `lifetime ${String(row[0]!.ms)} ms of a ${t.ms} ms connection`);
        }
      }
    } finally {
      await child.stop();
    }
  },
};

test('the README lists a query for each bcc tool, and this file checks every query it lists', () => {
  for (const tool of ['execsnoop', 'opensnoop', 'syscount', 'biolatency', 'runqlat', 'tcpconnect', 'tcplife', 'stackcount', 'offcputime', 'statsnoop', 'killsnoop', 'bashreadline', 'tcptop', 'tcpretrans', 'tcpdrop', 'filetop', 'fileslower', 'mountsnoop', 'biosnoop']) assert.ok(QUERIES.has(tool), tool);
  for (const tool of QUERIES.keys()) assert.ok(tool in CHECKS, `README lists ${tool}: add a check for it to test/live/bcc-equivalents.test.ts`);
});

for (const tool of Object.keys(CHECKS)) {
  test(`README's ${tool}`, { skip }, async () => CHECKS[tool]!());
}
