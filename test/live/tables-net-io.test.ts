// `socket_io`: the bytes of each connection, both ways, exactly as the test's own client and
// server wrote and read them, over IPv4 and IPv6 loopback; aggregated in the kernel, and the
// same totals as bpftrace on the same tracepoints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../src/engine/engine.js';
import { NetChild, reply } from '../helpers/net-child.js';
import { queryDuring } from '../helpers/query-during.js';
import { kernelSkip } from '../helpers/workload.js';
import { Bpftrace, bpftraceSkip } from '../helpers/bpftrace.js';

const skip = kernelSkip();
const SIZES = [1, 7, 100, 1460, 4096, 65536, 100_001, 1_000_000, 3_000_000, 10_000_000];

/** bpftrace summing what socket_io sums, per direction, for one cgroup. */
function bpftraceSums(cgroupId: bigint): string {
  return `
tracepoint:sock:sock_send_length /cgroup == ${cgroupId} && args->ret > 0 && (args->family == 2 || args->family == 10)/ { @bytes["send"] = sum(args->ret); }
tracepoint:sock:sock_recv_length /cgroup == ${cgroupId} && args->ret > 0 && (args->family == 2 || args->family == 10)/ { @bytes["receive"] = sum(args->ret); }`;
}

for (const host of ['127.0.0.1', '::1']) {
  test(`socket_io over ${host}: bytes sent and received per connection, exact for 10 sizes (1 B to 10 MB), and bpftrace's totals`, { skip: skip || bpftraceSkip() }, async () => {
    const child = await NetChild.start(['loopback', host, ...SIZES.map(String)]);
    const bt = await Bpftrace.start(bpftraceSums(child.cgroupId));
    const engine = await Engine.open();
    try {
      let transfers: Awaited<ReturnType<NetChild['go']>> = [];
      const run = await queryDuring(
        engine,
        `SELECT direction, family, saddr, sport, daddr, dport, sum(bytes) AS bytes FROM socket_io WHERE cgroup_id = ${child.cgroupId} GROUP BY direction, family, saddr, sport, daddr, dport`,
        async () => (transfers = await child.go()),
      );
      const out = await bt.stop();
      assert.equal(run.kernel.plan.kernel.mode.kind, 'aggregate');
      assert.deepEqual(run.kernel.plan.residualFilters, []);
      assert.equal(transfers.length, SIZES.length);
      const family = host === '::1' ? 'AF_INET6' : 'AF_INET';
      const got = new Map(run.rows.map((r) => [`${r[0]} ${r[1]} ${r[2]} ${r[3]} ${r[4]} ${r[5]}`, Number(r[6])]));
      const want = new Map<string, number>();
      for (const t of transfers) {
        assert.equal(t.received, reply(t.sent));
        // The client's socket sends the request and receives the reply; the server's the reverse.
        want.set(`send ${family} ${host} ${t.clientPort} ${host} ${t.serverPort}`, t.sent);
        want.set(`receive ${family} ${host} ${t.serverPort} ${host} ${t.clientPort}`, t.sent);
        want.set(`send ${family} ${host} ${t.serverPort} ${host} ${t.clientPort}`, t.received);
        want.set(`receive ${family} ${host} ${t.clientPort} ${host} ${t.serverPort}`, t.received);
      }
      assert.deepEqual(got, want);
      const theirs = Bpftrace.counts(out, 'bytes');
      const total = (direction: string): number => [...got].filter(([k]) => k.startsWith(`${direction} `)).reduce((n, [, v]) => n + v, 0);
      assert.deepEqual(theirs, new Map([['send', total('send')], ['receive', total('receive')]]));
    } finally {
      bt.kill();
      await engine.close();
      await child.stop();
    }
  });
}
