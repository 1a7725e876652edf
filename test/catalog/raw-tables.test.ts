// The curated tables on raw tracepoints: each column keeps its classic name and type, read from
// the TP_PROTO arguments (8 bytes each) or through the structs they point to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KernelTable } from '../../src/catalog/table.js';
import { hookName } from '../../src/catalog/table.js';
import { fixtureCatalog } from '../helpers/fixture-catalog.js';

function table(name: string, hook?: 'tracepoint'): KernelTable {
  const r = fixtureCatalog({}, hook).resolve(name);
  if (r.kind !== 'table') throw new Error(`${name}: ${JSON.stringify(r)}`);
  return r.table;
}

const RAW = ['exec', 'fork', 'sched_switch', 'page_faults', 'packet_drops', 'net_dev', 'tcp_state', 'tcp_connect', 'tcp_retransmit'];

test('the converted tables go on raw tracepoints, with the classic tables\' column names and types', () => {
  for (const name of RAW) {
    const raw = table(name);
    const classic = table(name, 'tracepoint');
    assert.equal(hookName(raw.source), 'raw tracepoint', name);
    assert.equal(hookName(classic.source), 'tracepoint', name);
    assert.deepEqual(raw.columns.map((c) => [c.name, c.type, c.decode]), classic.columns.map((c) => [c.name, c.type, c.decode]), name);
    for (const o of raw.also ?? []) assert.equal(hookName(o.source), 'raw tracepoint', `${name}'s further event`);
  }
});

test('the columns of the tables that stay classic say so by their hook', () => {
  for (const name of ['open', 'read', 'write', 'signals', 'oom_kill', 'block_io', 'runq_latency', 'tcp_reset', 'socket_io']) {
    const r = fixtureCatalog().resolve(name);
    if (r.kind === 'table') assert.equal(hookName(r.table.source), 'tracepoint', name);
  }
});

const column = (t: KernelTable, name: string) => t.columns.find((c) => c.name === name)?.source;

test('sched_switch: both tasks from their task_struct arguments, prev_state computed from preempt, state and the task', () => {
  const t = table('sched_switch');
  assert.deepEqual(column(t, 'prev_pid'), { kind: 'pointee', pointer: 8, path: [['task_struct', 'pid']], size: 4, signed: true });
  assert.deepEqual(column(t, 'next_comm'), { kind: 'pointee-string', pointer: 16, hops: [[['task_struct', 'comm']]], size: 16 });
  assert.deepEqual(column(t, 'prev_state'), { kind: 'switch-state', preempt: 0, task: 8, state: 24, exitState: [['task_struct', 'exit_state']] });
});

test('exec\'s filename through bprm->filename; net_dev\'s device through skb->dev on receive; strings as long as the classic ones', () => {
  assert.deepEqual(column(table('exec'), 'filename'), { kind: 'pointee-string', pointer: 16, hops: [[['linux_binprm', 'filename']], []] });
  const receive = table('net_dev').also?.[0];
  assert.deepEqual(receive?.columns.find((c) => c.name === 'device')?.source, { kind: 'pointee-string', pointer: 0, hops: [[['sk_buff', 'dev']], [['net_device', 'name']]] });
});

test('socket tables read the family in the socket; ports in network order there', () => {
  const t = table('tcp_state');
  assert.deepEqual(column(t, 'saddr'), {
    kind: 'address', offset: 0, family: 0,
    socket: { v4: [['inet_sock', 'inet_saddr']], v6: [['sock', '__sk_common'], ['sock_common', 'skc_v6_rcv_saddr']], family: [['sock', '__sk_common'], ['sock_common', 'skc_family']] },
  });
  assert.deepEqual(column(t, 'dport'), { kind: 'pointee', pointer: 0, path: [['sock', '__sk_common'], ['sock_common', 'skc_dport']], size: 2, signed: false, bigEndian: true });
  assert.deepEqual(column(t, 'newstate'), { kind: 'field', offset: 16, size: 4, signed: true });
  assert.deepEqual(column(table('tcp_retransmit'), 'state'), { kind: 'pointee', pointer: 0, path: [['sock', '__sk_common'], ['sock_common', 'skc_state']], size: 1, signed: false });
  assert.deepEqual(table('tcp_connect').where?.map((w) => w.column.source), [
    { kind: 'pointee', pointer: 0, path: [['sock', 'sk_protocol']], size: 2, signed: false },
    { kind: 'field', offset: 16, size: 4, signed: true },
  ]);
});
