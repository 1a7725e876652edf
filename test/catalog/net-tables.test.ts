// The network tables over this kernel's formats (test/catalog/fixtures): their columns, and for
// the tables over two events, each event's columns where that event keeps them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMON_COLUMNS } from '../../src/catalog/common-columns.js';
import { DECODERS, provideDropReasons } from '../../src/catalog/decoders.js';
import type { KernelTable } from '../../src/catalog/table.js';
import { describeTableSource } from '../../src/catalog/table.js';
import { typeName } from '../../src/catalog/types.js';
import { fixtureCatalog } from '../helpers/fixture-catalog.js';

/** On the classic hook: the records' fields (raw-tables.test.ts has the raw tracepoints' sources). */
function table(name: string): KernelTable {
  const r = fixtureCatalog({}, 'tracepoint').resolve(name);
  if (r.kind !== 'table') throw new Error(`${name}: ${JSON.stringify(r)}`);
  return r.table;
}

function own(columns: KernelTable['columns']): string[] {
  return columns.slice(COMMON_COLUMNS.length, -2).map((c) => `${c.name} ${typeName(c.type)} ${c.source.kind}${c.decode ? ` ${c.decode}` : ''}`);
}

test('tcp_retransmit: the socket, its ends and its state', () => {
  const t = table('tcp_retransmit');
  assert.deepEqual(own(t.columns), ['skaddr u64 field', 'family u16 field address-family', 'saddr string address', 'daddr string address', 'sport u16 field', 'dport u16 field', 'state s32 field tcp-state']);
});

test('tcp_reset: resets sent read their ends from sockaddrs (ports in network order), received ones from the socket fields', () => {
  const t = table('tcp_reset');
  assert.equal(describeTableSource(t), 'tracepoint tcp:tcp_send_reset and tracepoint tcp:tcp_receive_reset');
  const shape = ['direction u8 constant direction', 'skaddr u64 field', 'family u16 field address-family', 'saddr string address', 'daddr string address', 'sport u16 field', 'dport u16 field'];
  assert.deepEqual(own(t.columns), shape);
  assert.equal(t.also?.length, 1);
  assert.deepEqual(own(t.also[0]!.columns), shape);
  const sent = new Map(t.columns.map((c) => [c.name, c.source]));
  // struct sockaddr_in6 saddr at 32, daddr at 60 in tcp_send_reset's record.
  assert.deepEqual(sent.get('saddr'), { kind: 'address', offset: 32, family: 32, sockaddr: true });
  assert.deepEqual(sent.get('dport'), { kind: 'field', offset: 62, size: 2, signed: false, bigEndian: true });
  assert.deepEqual(sent.get('direction'), { kind: 'constant', value: 0n });
  const received = new Map(t.also[0]!.columns.map((c) => [c.name, c.source]));
  assert.deepEqual(received.get('direction'), { kind: 'constant', value: 1n });
  assert.deepEqual(received.get('dport'), { kind: 'field', offset: 18, size: 2, signed: false });
});

test('socket_io: ends read through the record\'s struct sock; only calls that moved bytes, on IPv4 and IPv6 sockets', () => {
  const t = table('socket_io');
  assert.deepEqual(own(t.columns), [
    'direction u8 constant direction', 'bytes s32 field', 'family u16 field address-family', 'protocol u16 field',
    'saddr string address', 'sport u16 pointee', 'daddr string address', 'dport u16 pointee', 'skaddr u64 field',
  ]);
  const sources = new Map(t.columns.map((c) => [c.name, c.source]));
  assert.deepEqual(sources.get('dport'), { kind: 'pointee', pointer: 8, path: [['sock', '__sk_common'], ['sock_common', 'skc_dport']], size: 2, signed: false, bigEndian: true });
  assert.deepEqual(sources.get('daddr'), { kind: 'address', offset: 8, family: 16, socket: { v4: [['sock', '__sk_common'], ['sock_common', 'skc_daddr']], v6: [['sock', '__sk_common'], ['sock_common', 'skc_v6_daddr']] } });
  assert.deepEqual(t.where?.map((w) => [w.column.name, 'above' in w ? `> ${w.above}` : w.oneOf]), [['bytes', '> 0'], ['family', [2n, 10n]]]);
});

test('net_dev and packet_drops: devices by name both ways; drops with their reason', () => {
  assert.deepEqual(own(table('net_dev').columns), ['direction u8 constant direction', 'device string data-loc-string', 'len u32 field']);
  assert.deepEqual(own(table('packet_drops').columns), ['reason u32 field drop-reason', 'protocol u16 field', 'location string kernel-symbol', 'skaddr u64 field', 'device string pointee-string']);
});

test('drop reasons are the kernel\'s enum, named without SKB_DROP_REASON_, other subsystems\' as numbers', () => {
  provideDropReasons(() => [[0n, 'SKB_NOT_DROPPED_YET'], [2n, 'SKB_DROP_REASON_NOT_SPECIFIED'], [3n, 'SKB_DROP_REASON_NO_SOCKET'], [0xffff0000n, 'SKB_DROP_REASON_SUBSYS_MASK']]);
  const d = DECODERS['drop-reason'];
  assert.equal(d.decode(3n), 'NO_SOCKET');
  assert.equal(d.decode(0n), 'NOT_DROPPED_YET');
  assert.equal(d.decode(0x10001n), 'reason_65537');
  assert.equal(d.encode('NO_SOCKET'), 3n);
  assert.equal(d.encode('SUBSYS_MASK'), undefined);
});

test('tcp_life: opened by changes into SYN_SENT or SYN_RECV, owned by close(2), bytes added by sends and receives, ended by tcp_destroy_sock', () => {
  const t = table('tcp_life');
  assert.deepEqual(own(t.columns), [
    'skaddr u64 field', 'family u16 field address-family', 'saddr string address', 'daddr string address', 'sport u16 field', 'dport u16 field',
    'duration_ns u64 latency', 'tx_bytes u64 entry-field', 'rx_bytes u64 entry-field',
  ]);
  assert.deepEqual(t.source, { kind: 'tracepoint', category: 'tcp', event: 'tcp_destroy_sock' });
  const p = t.pairing!;
  // inet_sock_set_state: skaddr at 8, newstate at 20, protocol at 30; sock_*_length: sk at 8, protocol at 18, ret at 20.
  const tcp = { field: { offset: 30, size: 2, signed: false }, values: [6n] };
  assert.deepEqual(p.entries.map((e) => [e.source.kind === 'tracepoint' ? e.source.event : '', e.when, e.update]), [
    ['inet_sock_set_state', [tcp, { field: { offset: 20, size: 4, signed: true }, values: [2n, 3n] }], undefined],
    ['inet_sock_set_state', [tcp, { field: { offset: 20, size: 4, signed: true }, values: [4n, 9n] }], { key: [{ offset: 8, size: 8, signed: false }], task: true }],
    ['sock_send_length', [{ field: { offset: 18, size: 2, signed: false }, values: [6n] }], { key: [{ offset: 8, size: 8, signed: false }], add: { field: { offset: 20, size: 4, signed: true }, counter: 0 } }],
    ['sock_recv_length', [{ field: { offset: 18, size: 2, signed: false }, values: [6n] }], { key: [{ offset: 8, size: 8, signed: false }], add: { field: { offset: 20, size: 4, signed: true }, counter: 1 } }],
  ]);
  assert.equal(p.counters, 2);
  // The owner columns are the pair's task, not the task that destroys the socket.
  assert.deepEqual(t.columns.filter((c) => ['pid', 'comm', 'cgroup_id'].includes(c.name)).map((c) => c.source.kind), ['entry-builtin', 'entry-builtin', 'entry-builtin']);
});
