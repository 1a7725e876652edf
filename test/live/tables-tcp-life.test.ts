// `tcp_life`: one row per TCP connection that ended, for 10 connections of known sizes (1 B to
// 10 MB) between a server and a client process the test starts (C, tcp-peers.ts), each in a
// cgroup of its own, over IPv4 and IPv6 loopback. Every connection has two sockets, so two rows,
// each owned by its own process. Their lifetimes are compared with the peers' CLOCK_MONOTONIC
// readings: the client's row runs from connect(2) to the client's close(2); the server's from
// the handshake's last segment, which on loopback arrives inside the client's connect(2), to
// the server's close(2), which lingers until the client has acknowledged everything. Ends and
// bytes are exact; bpftrace on the same tracepoint counts the same sockets ending.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Engine } from '../../src/engine/engine.js';
import { isComplete } from '../../src/runtime/completeness.js';
import { Bpftrace, bpftraceSkip } from '../helpers/bpftrace.js';
import type { CProgram } from '../helpers/c-program.js';
import type { Transfer } from '../helpers/net-child.js';
import { NetChild, reply } from '../helpers/net-child.js';
import { queryDuring } from '../helpers/query-during.js';
import { tcpPeers } from '../helpers/tcp-peers.js';
import { kernelSkip } from '../helpers/workload.js';

const skip = kernelSkip() || bpftraceSkip();
const SIZES = [1, 7, 100, 1460, 4096, 65536, 100_001, 1_000_000, 3_000_000, 10_000_000];
/** How far a row's lifetime may be from the peers' own measurement of it. */
const TOLERANCE_MS = 5;

/** A port nobody listens on now, for the server to take. */
function freePort(host: string): Promise<number> {
  const s = createServer();
  return new Promise((resolve) => s.listen(0, host, () => {
    const { port } = s.address() as AddressInfo;
    s.close(() => resolve(port));
  }));
}

/** bpftrace counting what tcp_life's rows are: connected sockets of the port destroyed (not the listener, whose remote port is 0). */
function bpftraceEnds(port: number): string {
  return `tracepoint:tcp:tcp_destroy_sock /args->dport != 0 && (args->sport == ${port} || args->dport == ${port})/ { @ended[args->family] = count(); }`;
}

function comm(pid: number): string {
  return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
}

/** A server and a client child of the peers, the server listening on a free port. */
async function peers(program: CProgram, host: string, sizes: readonly number[]): Promise<{ server: NetChild; client: NetChild; port: number }> {
  const port = await freePort(host);
  const server = await NetChild.start(['server', host, String(port), String(sizes.length)], { program: program.path });
  try {
    return { server, client: await NetChild.start(['client', host, String(port), ...sizes.map(String)], { program: program.path }), port };
  } catch (e) {
    await server.stop();
    throw e;
  }
}

for (const host of ['127.0.0.1', '::1']) {
  test(`tcp_life over ${host}: a row per socket of 10 connections (1 B to 10 MB), owners, ends and bytes exact, lifetimes within ${TOLERANCE_MS} ms, bpftrace's count`, { skip }, async () => {
    const program = tcpPeers();
    const engine = await Engine.open();
    let bt: Bpftrace | undefined;
    let children: NetChild[] = [];
    try {
      const { server, client, port } = await peers(program, host, SIZES);
      children = [server, client];
      // The peers exit when they are done: their names are read while they wait.
      const owners = { client: `${client.pid} ${comm(client.pid)}`, server: `${server.pid} ${comm(server.pid)}` };
      bt = await Bpftrace.start(bpftraceEnds(port));
      let clientSide: Transfer[] = [];
      let serverSide: Transfer[] = [];
      const run = await queryDuring(
        engine,
        `SELECT pid, comm, family, saddr, sport, daddr, dport, duration_ns, tx_bytes, rx_bytes FROM tcp_life WHERE cgroup_id IN (${server.cgroupId}, ${client.cgroupId})`,
        async () => ([serverSide, clientSide] = await Promise.all([server.go(), client.go()])),
      );
      const ended = Bpftrace.counts(await bt.stop(), 'ended');
      assert.ok(isComplete(run.kernel.completeness), JSON.stringify(run.kernel.completeness));
      const family = host === '::1' ? 'AF_INET6' : 'AF_INET';
      const served = new Map(serverSide.map((s) => [s.clientPort, s]));
      assert.equal(clientSide.length, SIZES.length);
      assert.equal(served.size, SIZES.length);
      const want = new Map<string, string>();
      const lifetimes = new Map<string, number>();
      for (const t of clientSide) {
        const s = served.get(t.clientPort);
        assert.ok(s, `the server saw the connection from port ${t.clientPort}`);
        assert.deepEqual([s.received, s.sent, t.received], [t.sent, reply(t.sent), reply(t.sent)]);
        const clientEnd = `${family} ${host} ${t.clientPort} ${host} ${port}`;
        const serverEnd = `${family} ${host} ${port} ${host} ${t.clientPort}`;
        want.set(clientEnd, `${owners.client} tx ${t.sent} rx ${t.received}`);
        want.set(serverEnd, `${owners.server} tx ${s.sent} rx ${s.received}`);
        lifetimes.set(clientEnd, t.ms);
        lifetimes.set(serverEnd, s.end! - t.start!);
      }
      const ends = (r: (typeof run.rows)[number]): string => `${r[2]} ${r[3]} ${r[4]} ${r[5]} ${r[6]}`;
      const got = new Map(run.rows.map((r) => [ends(r), `${r[0]} ${r[1]} tx ${r[8]} rx ${r[9]}`]));
      assert.equal(run.rows.length, 2 * SIZES.length, 'one row per socket, each once');
      assert.deepEqual(got, want);
      for (const r of run.rows) {
        const ms = Number(r[7]) / 1e6;
        const theirs = lifetimes.get(ends(r))!;
        assert.ok(Math.abs(ms - theirs) <= TOLERANCE_MS, `${ends(r)}: tcp_life says ${ms.toFixed(3)} ms, the peers measured ${theirs.toFixed(3)} ms`);
      }
      assert.deepEqual(ended, new Map([[host === '::1' ? '10' : '2', 2 * SIZES.length]]));
    } finally {
      bt?.kill();
      await engine.close();
      for (const c of children) await c.stop();
      program.remove();
    }
  });
}

test('tcp_life with the container columns and EVERY: connections per container per second, aggregated in the kernel', { skip: kernelSkip() }, async () => {
  const program = tcpPeers();
  const engine = await Engine.open();
  let children: NetChild[] = [];
  try {
    const { server, client } = await peers(program, '127.0.0.1', [10, 20, 30]);
    children = [server, client];
    const run = await queryDuring(
      engine,
      `SELECT container_id, count(*) AS n FROM tcp_life WHERE cgroup_id IN (${server.cgroupId}, ${client.cgroupId}) GROUP BY container_id EVERY 1s`,
      () => Promise.all([server.go(), client.go()]),
    );
    assert.equal(run.kernel.plan.kernel.mode.kind, 'aggregate');
    const n = run.columns.indexOf('n');
    const container = run.columns.indexOf('container_id');
    assert.ok(n >= 0 && container >= 0, run.columns.join(', '));
    // The test's cgroups are no container's: every row is a window's NULL container.
    assert.ok(run.rows.every((r) => r[container] === null), JSON.stringify(run.rows));
    assert.equal(run.rows.reduce((sum, r) => sum + Number(r[n]), 0), 6, 'two sockets for each of 3 connections');
  } finally {
    await engine.close();
    for (const c of children) await c.stop();
    program.remove();
  }
});
