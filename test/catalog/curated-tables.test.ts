import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Catalog } from '../../src/catalog/catalog.js';
import type { Column } from '../../src/catalog/column.js';
import { COMMON_COLUMNS } from '../../src/catalog/common-columns.js';
import type { KernelTable } from '../../src/catalog/table.js';
import { typeName } from '../../src/catalog/types.js';
import { fixtureCatalog, fixtureFormat } from '../helpers/fixture-catalog.js';

/** The tables on the classic hook: their records' fields (raw-tables.test.ts has the raw tracepoints' sources). */
const CLASSIC = fixtureCatalog({}, 'tracepoint');

function table(name: string, catalog: Catalog = fixtureCatalog()): KernelTable {
  const r = catalog.resolve(name);
  if (r.kind !== 'table') throw new Error(`${name}: ${JSON.stringify(r)}`);
  return r.table;
}

/** The table's own columns (after the common ones) as name, type, source kind and decoder. */
/** The table's own columns, between the common ones and the stack columns every table ends with. */
function own(t: KernelTable): string[] {
  assert.deepEqual(t.columns.slice(0, COMMON_COLUMNS.length), COMMON_COLUMNS);
  assert.deepEqual(t.columns.slice(-2).map((c) => `${c.name} ${c.source.kind} ${c.hidden === true ? 'hidden' : 'in *'}`), ['kstack stack hidden', 'ustack stack hidden']);
  return t.columns.slice(COMMON_COLUMNS.length, -2).map((c) => `${c.name} ${typeName(c.type)} ${c.source.kind}${c.decode ? ` ${c.decode}` : ''}`);
}

function column(t: KernelTable, name: string): Column {
  const c = t.columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return c;
}

test('exit: exit code and lifetime from task_struct, last_thread from the record', () => {
  const t = table('exit');
  assert.deepEqual(own(t), ['exit_code s32 task', 'lifetime_ns u64 task', 'last_thread u8 field']);
  assert.deepEqual(column(t, 'lifetime_ns').source, { kind: 'task', path: ['start_time'], size: 8, signed: false, elapsed: true });
  // The record's field on the classic hook; the raw tracepoint's second argument otherwise (test/catalog/hook.test.ts).
  assert.deepEqual(column(t, 'last_thread').source, { kind: 'field', offset: 8, size: 1, signed: false });
  assert.deepEqual(column(table('exit', fixtureCatalog({}, 'tracepoint')), 'last_thread').source, { kind: 'field', offset: 32, size: 1, signed: false });
  assert.deepEqual(t.source, { kind: 'raw-tracepoint', category: 'sched', event: 'sched_process_exit' });
});

test('fork: the child from the record, the parent in the common columns', () => {
  const t = table('fork', CLASSIC);
  assert.deepEqual(own(t), ['child_pid s32 field', 'child_comm string data-loc-string']);
  assert.deepEqual(column(t, 'child_pid').source, { kind: 'field', offset: 20, size: 4, signed: true });
});

test('syscalls: on the raw tracepoints by default, the id saved from sys_enter and ret the argument of sys_exit', () => {
  const t = table('syscalls');
  assert.deepEqual(own(t), ['syscall s64 entry-field syscall', 'id s64 entry-field', 'ret s64 field', 'latency_ns u64 latency']);
  assert.deepEqual(column(t, 'syscall').source, { kind: 'entry-field', index: 0, signed: true });
  // TP_PROTO(struct pt_regs *regs, long ret): ret is the second 8-byte argument.
  assert.deepEqual(column(t, 'ret').source, { kind: 'field', offset: 8, size: 8, signed: true });
  assert.deepEqual(t.source, { kind: 'raw-tracepoint', category: 'raw_syscalls', event: 'sys_exit' });
  assert.deepEqual(t.pairing, {
    entries: [{ source: { kind: 'raw-tracepoint', category: 'raw_syscalls', event: 'sys_enter' } }],
    key: { kind: 'thread' },
    // TP_PROTO(struct pt_regs *regs, long id): the id is the second argument.
    saved: [{ offset: 8, size: 8, signed: true }],
    never: { field: { offset: 8, size: 8, signed: true }, values: [60n, 231n] },
  });
});

test('syscalls on the classic hook: raw_syscalls records paired by thread, the name decoded from the id the entry saved', () => {
  const t = table('syscalls', fixtureCatalog({}, 'tracepoint'));
  assert.deepEqual(own(t), ['syscall s64 entry-field syscall', 'id s64 entry-field', 'ret s64 field', 'latency_ns u64 latency']);
  // The entry's number, not the exit record's: rt_sigreturn's exit record says -1.
  assert.deepEqual(column(t, 'syscall').source, { kind: 'entry-field', index: 0, signed: true });
  assert.deepEqual(t.source, { kind: 'tracepoint', category: 'raw_syscalls', event: 'sys_exit' });
  assert.deepEqual(t.pairing, {
    entries: [{ source: { kind: 'tracepoint', category: 'raw_syscalls', event: 'sys_enter' } }],
    key: { kind: 'thread' },
    saved: [{ offset: 8, size: 8, signed: true }],
    // exit and exit_group never return: their entries are not kept.
    never: { field: { offset: 8, size: 8, signed: true }, values: [60n, 231n] },
  });
});

test('read and write: fd and requested bytes saved at entry, the fd\'s file, returned bytes at exit', () => {
  for (const name of ['read', 'write']) {
    const t = table(name);
    // `unsigned int fd`: the low 4 bytes of its 8-byte slot; `size_t count`: all 8.
    assert.deepEqual(own(t), ['fd u32 entry-field', 'requested u64 entry-field', 'filename string fd-file', 'inode u64 fd-file', 'returned s64 field', 'latency_ns u64 latency']);
    // The file of the fd the entry saved first.
    assert.deepEqual([column(t, 'filename').source, column(t, 'inode').source], [{ kind: 'fd-file', fdIndex: 0, part: 'path' }, { kind: 'fd-file', fdIndex: 0, part: 'inode' }]);
    assert.deepEqual(t.pairing?.saved, [{ offset: 16, size: 4, signed: false }, { offset: 32, size: 8, signed: false }]);
    assert.deepEqual(t.source, { kind: 'tracepoint', category: 'syscalls', event: `sys_exit_${name}` });
  }
});

test('tcp_state and tcp_connect: addresses are text made from the 16-byte fields and the family, conditions in the table', () => {
  const s = table('tcp_state', CLASSIC);
  assert.deepEqual(own(s), [
    'skaddr u64 field', 'family u16 field address-family', 'saddr string address', 'daddr string address',
    'sport u16 field', 'dport u16 field', 'oldstate s32 field tcp-state', 'newstate s32 field tcp-state',
  ]);
  assert.deepEqual(column(s, 'saddr').source, { kind: 'address', offset: 40, family: 28 });
  assert.deepEqual(column(s, 'daddr').source, { kind: 'address', offset: 56, family: 28 });
  assert.deepEqual(s.where?.map((w) => [w.column.name, 'oneOf' in w ? w.oneOf : w.above]), [['protocol', [6n]]]);
  const c = table('tcp_connect', CLASSIC);
  assert.deepEqual(own(c), ['skaddr u64 field', 'family u16 field address-family', 'saddr string address', 'daddr string address', 'dport u16 field']);
  assert.deepEqual(c.where?.map((w) => [w.column.name, w.column.source, 'oneOf' in w ? w.oneOf : w.above]), [
    ['protocol', { kind: 'field', offset: 30, size: 2, signed: false }, [6n]],
    ['newstate', { kind: 'field', offset: 20, size: 4, signed: true }, [2n]],
  ]);
});

test('block_io: issue and completion paired by device and sector; the task is the submitter', () => {
  const t = table('block_io');
  assert.deepEqual(t.columns.slice(2, 9).map((c) => `${c.name} ${c.source.kind}`), [
    'pid entry-builtin', 'tid entry-builtin', 'ppid task', 'uid entry-builtin', 'gid entry-builtin', 'comm entry-builtin', 'cgroup_id entry-builtin',
  ]);
  assert.deepEqual(t.columns.slice(COMMON_COLUMNS.length, -2).map((c) => `${c.name} ${typeName(c.type)} ${c.source.kind}`), [
    'dev u32 field', 'sector u64 field', 'bytes u32 entry-field', 'op string char-array', 'error s32 field', 'latency_ns u64 latency',
    'complete_pid s32 builtin', 'complete_comm string builtin',
  ]);
  assert.deepEqual(t.pairing, {
    // The submitter's task comes from block_io_start; block_rq_issue renews the time and keeps it.
    entries: [
      { source: { kind: 'tracepoint', category: 'block', event: 'block_rq_issue' }, restamp: true },
      { source: { kind: 'tracepoint', category: 'block', event: 'block_io_start' } },
    ],
    key: { kind: 'fields', entry: [{ offset: 8, size: 4, signed: false }, { offset: 16, size: 8, signed: false }], exit: [{ offset: 8, size: 4, signed: false }, { offset: 16, size: 8, signed: false }] },
    saved: [{ offset: 28, size: 4, signed: false }],
  });
});

test('sched_switch and runq_latency', () => {
  assert.deepEqual(own(table('sched_switch', CLASSIC)), [
    'prev_pid s32 field', 'prev_comm string char-array', 'prev_prio s32 field', 'prev_state s64 field',
    'next_pid s32 field', 'next_comm string char-array', 'next_prio s32 field',
  ]);
  const r = table('runq_latency', CLASSIC);
  assert.deepEqual(own(r), ['task_pid s32 field', 'task_comm string char-array', 'task_prio s32 field', 'latency_ns u64 latency']);
  assert.deepEqual(r.pairing, {
    entries: [
      { source: { kind: 'tracepoint', category: 'sched', event: 'sched_wakeup' } },
      { source: { kind: 'tracepoint', category: 'sched', event: 'sched_wakeup_new' } },
    ],
    key: { kind: 'fields', entry: [{ offset: 24, size: 4, signed: true }], exit: [{ offset: 56, size: 4, signed: true }] },
    saved: [],
    // A task switched out while runnable (prev_state 0, or 256 when preempted) waits again.
    reopen: { key: [{ offset: 24, size: 4, signed: true }], field: { offset: 32, size: 8, signed: true }, mask: 0xff },
  });
});

test('block_io without block_io_start (kernels before 6.5): the issuing task stands in', () => {
  const t = table('block_io', fixtureCatalog({ 'block/block_io_start': undefined }));
  assert.deepEqual(t.pairing?.entries, [{ source: { kind: 'tracepoint', category: 'block', event: 'block_rq_issue' }, restamp: true }]);
});

test('runq_latency is unavailable when sched_wakeup_new records differ from sched_wakeup', () => {
  const r = fixtureCatalog({ 'sched/sched_wakeup_new': fixtureFormat('sched_wakeup').replace('offset:24;', 'offset:28;') }).resolve('runq_latency');
  assert.deepEqual(r, { kind: 'unavailable', name: 'runq_latency', reason: 'sched:sched_wakeup_new records differ from sched:sched_wakeup' });
});

test('page_faults, signals, oom_kill', () => {
  assert.deepEqual(own(table('page_faults', CLASSIC)), ['address u64 field', 'ip u64 field', 'error_code u64 field']);
  assert.deepEqual(own(table('signals', CLASSIC)), [
    'signal s32 field signal', 'signo s32 field', 'target_pid s32 field', 'target_comm string char-array', 'code s32 field', 'result s32 field',
  ]);
  assert.deepEqual(own(table('oom_kill', CLASSIC)), [
    'victim_pid s32 field', 'victim_comm string data-loc-string', 'total_vm_kb u64 field', 'anon_rss_kb u64 field', 'file_rss_kb u64 field',
    'shmem_rss_kb u64 field', 'victim_uid u32 field', 'pgtables_kb u64 field', 'oom_score_adj s16 field',
  ]);
});

/** A fixture format without one of its fields, as an older kernel might have it. */
function without(fixture: string, field: string): string {
  const text = fixtureFormat(fixture);
  const out = text.split('\n').filter((l) => !new RegExp(`\\b${field};`).test(l)).join('\n');
  assert.notEqual(out, text);
  return out;
}

test('a missing tracepoint makes its tables unavailable with the reason; nothing else breaks', () => {
  const catalog = fixtureCatalog({ 'block/block_rq_issue': undefined, 'sched/sched_wakeup': undefined });
  assert.deepEqual(catalog.resolve('block_io'), { kind: 'unavailable', name: 'block_io', reason: 'this kernel has no tracepoint block:block_rq_issue' });
  assert.deepEqual(catalog.resolve('runq_latency'), { kind: 'unavailable', name: 'runq_latency', reason: 'this kernel has no tracepoint sched:sched_wakeup' });
  for (const name of catalog.curatedNames().filter((n) => n !== 'block_io' && n !== 'runq_latency')) {
    assert.equal(catalog.resolve(name).kind, 'table', name);
  }
  assert.equal(catalog.resolve('tracepoint.block.block_rq_issue').kind, 'unknown');
});

test('a missing field makes the table unavailable with the reason', () => {
  const catalog = fixtureCatalog({
    'sched/sched_process_fork': without('sched_process_fork', 'child_comm'),
    'sock/inet_sock_set_state': without('inet_sock_set_state', 'protocol'),
  });
  assert.deepEqual(catalog.resolve('fork'), { kind: 'unavailable', name: 'fork', reason: "the format of sched_process_fork has no field 'child_comm'" });
  assert.deepEqual(catalog.resolve('tcp_connect'), { kind: 'unavailable', name: 'tcp_connect', reason: "the format of inet_sock_set_state has no field 'protocol'" });
  assert.equal(catalog.resolve('tcp_state').kind, 'unavailable');
  assert.equal(catalog.resolve('exec').kind, 'table');
});

test('fields some kernels lack are left out, not fatal', () => {
  const exit = table('exit', fixtureCatalog({ 'sched/sched_process_exit': without('sched_process_exit', 'group_dead') }));
  assert.deepEqual(own(exit), ['exit_code s32 task', 'lifetime_ns u64 task']);
  const old = fixtureFormat('mark_victim').split('\n').filter((l) => !/field:(?!int pid)[^;]*;/.test(l) || /common_/.test(l)).join('\n');
  assert.deepEqual(own(table('oom_kill', fixtureCatalog({ 'oom/mark_victim': old }))), ['victim_pid s32 field']);
});
