// `tcp_connect` and `tcp_state`: 20 loopback connections to a server this test runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { Engine } from '../../src/engine/engine.js';
import { printKExpr } from '../../src/planner/print-kexpr.js';
import { queryDuring } from '../helpers/query-during.js';
import { kernelSkip } from '../helpers/workload.js';

const skip = kernelSkip();
const CONNECTIONS = 20;

/** A server on `host` (127.0.0.1 or ::1) that closes each connection once the client has. */
async function listen(host = '127.0.0.1'): Promise<{ server: Server; port: number; closed: () => Promise<void> }> {
  let serverSides = 0;
  let notify = (): void => {};
  const server = createServer((socket) => {
    socket.on('end', () => socket.end());
    socket.on('close', () => {
      serverSides++;
      notify();
    });
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const closed = (): Promise<void> => new Promise((resolve) => {
    notify = () => serverSides === CONNECTIONS && resolve();
    notify();
  });
  return { server, port: (server.address() as AddressInfo).port, closed };
}

/** Connects and closes, one connection after another; resolves when every socket is closed. */
async function connectAll(port: number, closed: () => Promise<void>, host = '127.0.0.1'): Promise<void> {
  for (let i = 0; i < CONNECTIONS; i++) {
    await new Promise<void>((resolve, reject) => {
      const c = createConnection(port, host, () => c.end());
      c.on('error', reject);
      c.on('close', () => resolve());
      c.resume();
    });
  }
  await closed();
}

test('tcp_connect: 20 connects, in this process, addresses as text', { skip }, async () => {
  const { server, port, closed } = await listen();
  const engine = await Engine.open();
  try {
    const run = await queryDuring(
      engine,
      `SELECT pid, comm, saddr, daddr, dport, family, count(*) AS n FROM tcp_connect WHERE daddr = '127.0.0.1' AND dport = ${port} GROUP BY pid, comm, saddr, daddr, dport, family`,
      () => connectAll(port, closed),
    );
    const comm = readFileSync('/proc/self/comm', 'utf8').trim();
    assert.deepEqual(run.rows, [[process.pid, comm, '127.0.0.1', '127.0.0.1', port, 'AF_INET', CONNECTIONS]]);
    assert.equal(run.kernel.plan.kernel.mode.kind, 'aggregate');
    assert.deepEqual(run.kernel.plan.residualFilters, []);
  } finally {
    await engine.close();
    server.close();
  }
});

test('tcp_state: every connection of both sides opens and closes', { skip }, async () => {
  const { server, port, closed } = await listen();
  const engine = await Engine.open();
  try {
    const run = await queryDuring(
      engine,
      `SELECT oldstate, newstate, count(*) AS n FROM tcp_state WHERE sport = ${port} OR dport = ${port} GROUP BY oldstate, newstate`,
      () => connectAll(port, closed),
      100,
    );
    const count = (oldState: string | undefined, newState: string): number =>
      run.rows.filter((r) => (oldState === undefined || r[0] === oldState) && r[1] === newState).reduce((n, r) => n + Number(r[2]), 0);
    // Client: CLOSE→SYN_SENT→ESTABLISHED; server: LISTEN→SYN_RECV→ESTABLISHED; both end in CLOSE.
    assert.equal(count('CLOSE', 'SYN_SENT'), CONNECTIONS);
    assert.equal(count('SYN_SENT', 'ESTABLISHED'), CONNECTIONS);
    assert.equal(count('LISTEN', 'SYN_RECV'), CONNECTIONS);
    assert.equal(count('SYN_RECV', 'ESTABLISHED'), CONNECTIONS);
    assert.equal(count(undefined, 'CLOSE'), 2 * CONNECTIONS);
    // The listening socket was opened before the query and closed after it.
    assert.equal(count(undefined, 'LISTEN'), 0);
    assert.equal(run.kernel.plan.kernel.mode.kind, 'aggregate');
  } finally {
    await engine.close();
    server.close();
  }
});

test('tcp_connect over IPv6: addresses are \'::1\', and WHERE daddr = \'::1\' filters in the kernel, as in DuckDB', { skip }, async () => {
  for (const opts of [{}, { kernelFilter: false, kernelAggregation: false }]) {
    const { server, port, closed } = await listen('::1');
    const engine = await Engine.open(opts);
    try {
      const run = await queryDuring(
        engine,
        `SELECT saddr, daddr, family, count(*) AS n FROM tcp_connect WHERE daddr = '::1' AND dport = ${port} GROUP BY saddr, daddr, family`,
        () => connectAll(port, closed, '::1'),
      );
      assert.deepEqual(run.rows, [['::1', '::1', 'AF_INET6', CONNECTIONS]]);
      if (opts.kernelFilter === undefined) {
        assert.deepEqual(run.kernel.plan.residualFilters, []);
        assert.match(printKExpr(run.kernel.plan.kernel.filter!), /daddr = '::1'/);
      }
    } finally {
      await engine.close();
      server.close();
    }
  }
});

test('tcp_state over IPv6 and IPv4: each address as text of its own family, filtered in the kernel', { skip }, async () => {
  for (const host of ['::1', '127.0.0.1']) {
    const { server, port, closed } = await listen(host);
    const engine = await Engine.open();
    try {
      const run = await queryDuring(
        engine,
        `SELECT family, saddr, daddr, count(*) AS n FROM tcp_state WHERE daddr = '${host}' AND dport = ${port} AND newstate = 'ESTABLISHED' GROUP BY family, saddr, daddr`,
        () => connectAll(port, closed, host),
      );
      assert.deepEqual(run.rows, [[host === '::1' ? 'AF_INET6' : 'AF_INET', host, host, CONNECTIONS]]);
      assert.deepEqual(run.kernel.plan.residualFilters, []);
    } finally {
      await engine.close();
      server.close();
    }
  }
});

test('tracepoint.sock.inet_sock_set_state: saddr_v6 and daddr_v6 are columns, IPv6 text (IPv4-mapped for AF_INET)', { skip }, async () => {
  const engine = await Engine.open();
  try {
    const described = await engine.execute('DESCRIBE tracepoint.sock.inet_sock_set_state');
    if (described.kind !== 'rows') throw new Error('DESCRIBE gave no rows');
    const types = new Map(described.result.rows.map((r) => [r[0], r[1]]));
    assert.deepEqual(['saddr', 'daddr', 'saddr_v6', 'daddr_v6'].map((n) => types.get(n)), ['string', 'string', 'string', 'string']);
  } finally {
    await engine.close();
  }
  for (const [host, v6, family] of [['::1', '::1', 10], ['127.0.0.1', '::ffff:127.0.0.1', 2]] as const) {
    const { server, port, closed } = await listen(host);
    const engine = await Engine.open();
    try {
      const run = await queryDuring(
        engine,
        `SELECT family, saddr_v6, daddr_v6, count(*) AS n FROM tracepoint.sock.inet_sock_set_state WHERE daddr_v6 = '${v6}' AND dport = ${port} AND newstate = 1 GROUP BY family, saddr_v6, daddr_v6`,
        () => connectAll(port, closed, host),
      );
      // newstate 1: ESTABLISHED, once on the client's side (the server's dport is the client's port).
      assert.deepEqual(run.rows, [[family, v6, v6, CONNECTIONS]]);
      assert.deepEqual(run.kernel.plan.residualFilters, []);
    } finally {
      await engine.close();
      server.close();
    }
  }
});
