// `tcp_connect` and `tcp_state`: 20 loopback connections to a server this test runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { Engine } from '../../src/engine/engine.js';
import { queryDuring } from '../helpers/query-during.js';
import { kernelSkip } from '../helpers/workload.js';

const skip = kernelSkip();
const CONNECTIONS = 20;

/** A server on 127.0.0.1 that closes each connection once the client has. */
async function listen(): Promise<{ server: Server; port: number; closed: () => Promise<void> }> {
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const closed = (): Promise<void> => new Promise((resolve) => {
    notify = () => serverSides === CONNECTIONS && resolve();
    notify();
  });
  return { server, port: (server.address() as AddressInfo).port, closed };
}

/** Connects and closes, one connection after another; resolves when every socket is closed. */
async function connectAll(port: number, closed: () => Promise<void>): Promise<void> {
  for (let i = 0; i < CONNECTIONS; i++) {
    await new Promise<void>((resolve, reject) => {
      const c = createConnection(port, '127.0.0.1', () => c.end());
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
