import { test } from 'node:test';
import { constants } from 'node:os';
import assert from 'node:assert/strict';
import { DECODERS, decoderMacrosSql } from '../../src/catalog/decoders.js';
import type { DecoderName } from '../../src/catalog/decoders.js';
import { SYSCALLS_X86_64 } from '../../src/catalog/syscall-names-x86_64.js';
import { Session } from '../../src/store/session.js';

test('syscall names: the generated x86_64 table and its encoding', () => {
  const byName = new Map(SYSCALLS_X86_64.map(([n, s]) => [s, n]));
  assert.equal(byName.get('read'), 0);
  assert.equal(byName.get('openat'), 257);
  assert.equal(byName.get('exit_group'), 231);
  assert.equal(byName.get('clock_nanosleep'), 230);
  assert.equal(SYSCALLS_X86_64.length, 362);
  const d = DECODERS.syscall;
  if (process.arch !== 'x64') return;
  assert.equal(d.decode(257n), 'openat');
  assert.equal(d.encode('getppid'), 110n);
  // Numbers the headers do not name (a hole, newer calls, garbage) keep their number.
  assert.equal(d.decode(400n), 'syscall_400');
  assert.equal(d.decode(-1n), 'syscall_-1');
  assert.equal(d.encode('syscall_400'), 400n);
  assert.equal(d.encode('syscall_-1'), -1n);
  // A named number's fallback text is not its text: the kernel and DuckDB must agree.
  assert.equal(d.encode('syscall_0'), undefined);
  assert.equal(d.encode('syscall_0400'), undefined);
  assert.equal(d.encode('reed'), undefined);
  assert.equal(d.encode('READ'), undefined);
});

test('IPv4 addresses: network byte order read as a little-endian u32', () => {
  const d = DECODERS.ipv4;
  assert.equal(d.encode('127.0.0.1'), 0x0100007fn);
  assert.equal(d.decode(0x0100007fn), '127.0.0.1');
  assert.equal(d.encode('10.1.2.255'), 0xff02010an);
  assert.equal(d.encode('0.0.0.0'), 0n);
  for (const bad of ['256.0.0.1', '1.2.3', '01.2.3.4', '1.2.3.4.5', 'localhost', ' 1.2.3.4']) assert.equal(d.encode(bad), undefined, bad);
});

test('devices, TCP states, signals, address families', () => {
  assert.equal(DECODERS.dev.encode('254:0'), 254n << 20n);
  assert.equal(DECODERS.dev.decode((8n << 20n) | 17n), '8:17');
  assert.equal(DECODERS.dev.encode('4096:0'), undefined);
  assert.equal(DECODERS.dev.encode('8:01'), undefined);
  assert.equal(DECODERS['tcp-state'].encode('SYN_SENT'), 2n);
  assert.equal(DECODERS['tcp-state'].decode(7n), 'CLOSE');
  assert.equal(DECODERS['tcp-state'].encode('TCP_CLOSE'), undefined);
  assert.equal(DECODERS.signal.encode('SIGKILL'), 9n);
  assert.equal(DECODERS.signal.decode(34n), 'SIG34');
  assert.equal(DECODERS.signal.encode('SIG34'), 34n);
  assert.equal(DECODERS.signal.encode('SIG9'), undefined);
  assert.equal(DECODERS['address-family'].decode(10n), 'AF_INET6');
  assert.equal(DECODERS['address-family'].encode('AF_INET'), 2n);
});

test('every DuckDB macro computes what decode() does, and encode() inverts it', async () => {
  const session = await Session.open();
  try {
    await session.run(decoderMacrosSql());
    const samples: Readonly<Record<DecoderName, readonly bigint[]>> = {
      'syscall': [-5n, -1n, 0n, 1n, 2n, 59n, 110n, 231n, 257n, 334n, 335n, 423n, 424n, 450n, 451n, 1000n],
      'ipv4': [0n, 0x0100007fn, 0xff02010an, 0xffffffffn, 0x12345678n],
      'tcp-state': [0n, 1n, 2n, 7n, 12n, 13n, 14n, 99n],
      'dev': [0n, 254n << 20n, (8n << 20n) | 17n, 0xffffffffn],
      'signal': [0n, 1n, 9n, 15n, 31n, 32n, 34n, 64n],
      'address-family': [0n, 1n, 2n, 10n, 44n],
      'direction': [0n, 1n, 2n],
      'drop-reason': [0n, 2n, 3n, 70000n],
    };
    for (const [name, values] of Object.entries(samples) as [DecoderName, readonly bigint[]][]) {
      const d = DECODERS[name];
      const sql = `SELECT ${values.map((v) => `${d.macro}(${v}::BIGINT)`).join(', ')}`;
      const got = (await session.run(sql)).rows[0];
      assert.deepEqual(got, values.map((v) => d.decode(v)), name);
      for (const v of values) assert.equal(d.encode(d.decode(v)), v, `${name} ${v}`);
    }
    // The kernel's unsigned 64-bit values arrive as UBIGINT.
    assert.deepEqual((await session.run('SELECT bpfql_syscall_name(257::UBIGINT), bpfql_ipv4(16777343::UBIGINT)')).rows[0], [process.arch === 'x64' ? 'openat' : 'syscall_257', '127.0.0.1']);
  } finally {
    await session.close();
  }
});

test('signal names: every Linux signal number has the name node:os gives it, both ways', () => {
  if (process.platform !== 'linux') return;
  // Aliases share a number with the name the decoder prints.
  const ALIASES = new Set(['SIGIOT', 'SIGPOLL', 'SIGUNUSED']);
  const d = DECODERS.signal;
  const named = Object.entries(constants.signals).filter(([name]) => !ALIASES.has(name));
  assert.equal(named.length, 31);
  for (const [name, n] of named) {
    assert.equal(d.decode(BigInt(n)), name, `signal ${n}`);
    assert.equal(d.encode(name), BigInt(n), name);
  }
});

test('TCP state names: each number of include/net/tcp_states.h, both ways', () => {
  const STATES = ['ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING', 'NEW_SYN_RECV', 'BOUND_INACTIVE'];
  const d = DECODERS['tcp-state'];
  STATES.forEach((name, i) => {
    assert.equal(d.decode(BigInt(i + 1)), name, `state ${i + 1}`);
    assert.equal(d.encode(name), BigInt(i + 1), name);
  });
});

test('address family names: AF_UNIX, AF_INET and AF_INET6 (include/linux/socket.h), both ways', () => {
  const d = DECODERS['address-family'];
  for (const [n, name] of [[1n, 'AF_UNIX'], [2n, 'AF_INET'], [10n, 'AF_INET6']] as const) {
    assert.equal(d.decode(n), name);
    assert.equal(d.encode(name), n);
  }
});
