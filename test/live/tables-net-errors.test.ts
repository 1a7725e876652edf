// `tcp_reset`, `packet_drops`, `tcp_retransmit` and `net_dev` on traffic the test makes: connects
// to a closed port, datagrams to a port nobody listens on, and a transfer over a veth pair between
// two namespaces of the test's, once clean and once through an nftables rule dropping a tenth of
// the packets. bpftrace, on the same tracepoints at the same time, counts the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { DECODERS } from '../../src/catalog/decoders.js';
import { Engine } from '../../src/engine/engine.js';
import type { QueryRun } from '../helpers/query-during.js';
import { hookName } from '../../src/catalog/table.js';
import { engineOn, hookOf } from '../helpers/hook-engine.js';
import { queryDuring } from '../helpers/query-during.js';
import { NetChild } from '../helpers/net-child.js';
import { VethPair } from '../helpers/netns.js';
import { kernelSkip } from '../helpers/workload.js';
import { Bpftrace, bpftraceSkip } from '../helpers/bpftrace.js';

const skip = kernelSkip() || bpftraceSkip();

/** Runs `sql` during `workload` with bpftrace running `script` beside it; bpftrace's printed maps as name[key] → value. */
async function withBpftrace(engine: Engine, script: string, sql: string, workload: () => Promise<unknown>): Promise<{ run: QueryRun; theirs: Map<string, number> }> {
  const bt = await Bpftrace.start(script);
  try {
    const run = await queryDuring(engine, sql, workload);
    const out = await bt.stop();
    return { run, theirs: new Map([...out.matchAll(/^@(\w+(?:\[[^\]]*\])?): (\d+)$/gm)].map((m) => [m[1]!, Number(m[2])])) };
  } finally {
    bt.kill();
  }
}

async function closedPort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const CONNECTS = 20;

for (const host of ['127.0.0.1', '::1']) {
  test(`tcp_reset over ${host}: ${CONNECTS} connects to a closed port, each a reset sent and one received, with the ends; bpftrace counts the same`, { skip, timeout: 120_000 }, async () => {
    const port = await closedPort(host);
    const engine = await Engine.open();
    try {
      const { run, theirs } = await withBpftrace(
        engine,
        `tracepoint:tcp:tcp_receive_reset /args->dport == ${port}/ { @received = count(); }
tracepoint:tcp:tcp_send_reset /args->saddr[2] * 256 + args->saddr[3] == ${port}/ { @sent = count(); }`,
        `SELECT direction, family, saddr, sport, daddr, dport, skaddr = 0 AS no_socket FROM tcp_reset WHERE (direction = 'send' AND sport = ${port}) OR (direction = 'receive' AND dport = ${port})`,
        async () => {
          for (let i = 0; i < CONNECTS; i++) {
            // A connect that succeeds (the port taken meanwhile) ends too, and fails the counts.
            await new Promise<void>((resolve) => {
              const c = createConnection(port, host);
              c.on('error', () => resolve());
              c.on('connect', () => {
                c.destroy();
                resolve();
              });
            });
          }
        },
      );
      assert.deepEqual(run.kernel.plan.residualFilters, []);
      const family = host === '::1' ? 'AF_INET6' : 'AF_INET';
      const sent = run.rows.filter((r) => r[0] === 'send');
      const received = run.rows.filter((r) => r[0] === 'receive');
      assert.equal(sent.length, CONNECTS);
      assert.equal(received.length, CONNECTS);
      // The closed port answers with no socket of its own; the connecting socket gets it.
      for (const r of sent) assert.deepEqual([r[1], r[2], r[3], r[4], r[6]], [family, host, port, host, true]);
      for (const r of received) assert.deepEqual([r[1], r[2], r[4], r[5], r[6]], [family, host, host, port, false]);
      assert.deepEqual(sent.map((r) => r[5]).sort(), received.map((r) => r[3]).sort());
      assert.deepEqual(theirs, new Map([['sent', CONNECTS], ['received', CONNECTS]]));
    } finally {
      await engine.close();
    }
  });
}

const DATAGRAMS = 50;

/** Whether /proc/kallsyms has a function (a text symbol) of this name. */
function kernelFunction(name: string): boolean {
  return readFileSync('/proc/kallsyms', 'latin1').split('\n').some((l) => {
    const [, type, sym] = l.split(/\s+/);
    return sym === name && (type === 't' || type === 'T');
  });
}

for (const [hook, kind] of [['cheapest', 'raw tracepoint'], ['tracepoint', 'tracepoint']] as const) test(`packet_drops on the ${hook} hook: ${DATAGRAMS} UDP datagrams to a port nobody listens on are ${DATAGRAMS} drops for NO_SOCKET in one kernel function, as bpftrace counts and names it`, { skip, timeout: 120_000 }, async () => {
  const port = await closedPort('127.0.0.1');
  const child = await NetChild.start(['udp', '127.0.0.1', String(port), String(DATAGRAMS)]);
  const engine = await engineOn(hook);
  try {
    const noSocket = DECODERS['drop-reason'].encode('NO_SOCKET');
    assert.notEqual(noSocket, undefined, 'the kernel\'s BTF names NO_SOCKET');
    const { run, theirs } = await withBpftrace(
      engine,
      `tracepoint:skb:kfree_skb /cgroup == ${child.cgroupId} && args->reason == ${noSocket}/ { @drops[ksym(args->location)] = count(); }`,
      `SELECT reason, protocol, location, device, count(*) AS n FROM packet_drops WHERE cgroup_id = ${child.cgroupId} AND reason = 'NO_SOCKET' GROUP BY reason, protocol, location, device`,
      () => child.go(),
    );
    assert.equal(run.kernel.plan.kernel.mode.kind, 'aggregate');
    assert.deepEqual(run.kernel.plan.residualFilters, []);
    // EtherType 0x0800: IPv4. Every datagram is dropped at the same place of UDP's receive path.
    assert.equal(run.rows.length, 1, JSON.stringify(run.rows));
    const [reason, protocol, location, device, n] = run.rows[0]!;
    // Sent to 127.0.0.1: received on the loopback device.
    assert.deepEqual([reason, protocol, device, n], ['NO_SOCKET', 2048, 'lo', DATAGRAMS]);
    const fn = /^([\w.]+)\+0x[0-9a-f]+$/.exec(String(location))?.[1];
    assert.ok(fn !== undefined && kernelFunction(fn), `location ${String(location)} is a kernel function and offset`);
    assert.match(fn, /udp/);
    assert.deepEqual(theirs, new Map([[`drops[${fn}]`, DATAGRAMS]]));
    assert.equal(hookOf(run.kernel), kind);
  } finally {
    await engine.close();
    await child.stop();
  }
});

/** Starts net-traffic servers on `ports` in namespace B of `link`. */
async function serveOn(link: VethPair, ports: readonly number[]): Promise<NetChild[]> {
  const servers: NetChild[] = [];
  for (const port of ports) {
    const s = await NetChild.start(['serve', link.addrB, String(port)], { netns: link.nsB, cpu: link.cpu });
    servers.push(s);
    // A server runs until stop() ends it: its go() never resolves.
    s.go().catch(() => {});
  }
  return servers;
}

/** One transfer of `bytes` from namespace A to the server on `port` in B. */
async function transfer(link: VethPair, port: number, bytes: number): Promise<void> {
  const c = await NetChild.start(['send', link.addrB, String(port), String(bytes)], { netns: link.nsA, cpu: link.cpu });
  try {
    const [t] = await c.go();
    assert.equal(t?.sent, bytes);
  } finally {
    await c.stop();
  }
}

test('tcp_retransmit: none on a clean veth link, some through a rule dropping a tenth of the packets, as bpftrace counts', { skip: skip || (existsSync('/usr/sbin/nft') ? false : 'nft is not installed'), timeout: 120_000 }, async () => {
  // Two links: on the clean one nothing is sent again that was not lost, however busy the machine
  // (VethPair.clean), the lossy one drops a tenth of what comes to its server.
  const cleanLink = VethPair.create();
  const link = VethPair.create();
  const [clean, lossy] = [5001, 5002];
  let servers: NetChild[] = [];
  const engine = await Engine.open();
  try {
    cleanLink.clean();
    link.nftB('add', 'table', 'inet', 't');
    link.nftB('add', 'chain', 'inet', 't', 'c', '{ type filter hook input priority 0; }');
    link.nftB('add', 'rule', 'inet', 't', 'c', 'tcp', 'dport', String(lossy), 'numgen', 'random', 'mod', '10', '0', 'drop');
    servers = [...(await serveOn(cleanLink, [clean])), ...(await serveOn(link, [lossy]))];
    const { run, theirs } = await withBpftrace(
      engine,
      `tracepoint:tcp:tcp_retransmit_skb /args->dport == ${clean} || args->sport == ${clean}/ { @clean = count(); }
tracepoint:tcp:tcp_retransmit_skb /args->dport == ${lossy} || args->sport == ${lossy}/ { @lossy = count(); }`,
      `SELECT family, state, sport = ${clean} OR dport = ${clean} AS clean, count(*) AS n FROM tcp_retransmit WHERE saddr IN ('${cleanLink.addrA}', '${cleanLink.addrB}', '${link.addrA}', '${link.addrB}') GROUP BY ALL`,
      async () => {
        // 10 MB: some 160 segments of 64 kB (the veth pair offloads segmentation), so that a tenth
        // of them lost is never none.
        await transfer(cleanLink, clean, 10_000_000);
        await transfer(link, lossy, 10_000_000);
      },
    );
    assert.deepEqual(run.kernel.plan.residualFilters, []);
    assert.ok(run.rows.every((r) => r[0] === 'AF_INET' && typeof r[1] === 'string'), JSON.stringify(run.rows));
    const count = (isClean: boolean): number => run.rows.filter((r) => r[2] === isClean).reduce((n, r) => n + Number(r[3]), 0);
    assert.equal(count(true), 0, `${JSON.stringify(run.rows)}\nclean link: ${cleanLink.counters()}`);
    assert.ok(count(false) > 0, 'retransmits through the lossy rule');
    // bpftrace prints a map it never counted in as 0, or not at all.
    assert.equal(theirs.get('clean') ?? 0, 0);
    assert.equal(theirs.get('lossy'), count(false));
  } finally {
    await engine.close();
    for (const s of servers) await s.stop();
    link.remove();
    cleanLink.remove();
  }
});

for (const [hook, kind] of [['cheapest', 'raw tracepoint'], ['tracepoint', 'tracepoint']] as const) test(`net_dev on the ${hook} hook: the packets and bytes of a transfer over a veth pair, sent on one end and received on the other, as bpftrace counts them`, { skip, timeout: 120_000 }, async () => {
  const link = VethPair.create();
  let servers: NetChild[] = [];
  const engine = await engineOn(hook);
  try {
    servers = await serveOn(link, [5003]);
    const { run, theirs } = await withBpftrace(
      engine,
      `tracepoint:net:net_dev_xmit /str(args->name) == "${link.devA}" || str(args->name) == "${link.devB}"/ { @send[str(args->name)] = count(); @send_bytes[str(args->name)] = sum(args->len); }
tracepoint:net:netif_receive_skb /str(args->name) == "${link.devA}" || str(args->name) == "${link.devB}"/ { @receive[str(args->name)] = count(); @receive_bytes[str(args->name)] = sum(args->len); }`,
      `SELECT direction, device, count(*) AS n, sum(len) AS bytes FROM net_dev WHERE device = '${link.devA}' OR device = '${link.devB}' GROUP BY direction, device`,
      () => transfer(link, 5003, 1_000_000),
    );
    assert.equal(run.kernel.plan.kernel.mode.kind, 'aggregate');
    assert.deepEqual(run.kernel.plan.residualFilters, []);
    const ours = new Map<string, number>();
    for (const [direction, device, n, bytes] of run.rows) {
      ours.set(`${String(direction)}[${String(device)}]`, Number(n));
      ours.set(`${String(direction)}_bytes[${String(device)}]`, Number(bytes));
    }
    // What one end sends the other receives (its length counted without the Ethernet header).
    assert.equal(ours.get(`send[${link.devA}]`), ours.get(`receive[${link.devB}]`));
    assert.equal(ours.get(`send[${link.devB}]`), ours.get(`receive[${link.devA}]`));
    assert.equal(ours.get(`send_bytes[${link.devB}]`), ours.get(`receive_bytes[${link.devA}]`)! + 14 * ours.get(`receive[${link.devA}]`)!);
    assert.ok(ours.get(`send_bytes[${link.devA}]`)! > 1_000_000);
    assert.deepEqual(theirs, ours);
    assert.equal(hookOf(run.kernel), kind);
    assert.equal(hookName(run.kernel.plan.kernel.also?.[0]?.source ?? run.kernel.plan.kernel.source), kind);
  } finally {
    await engine.close();
    for (const s of servers) await s.stop();
    link.remove();
  }
});
