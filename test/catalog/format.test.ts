import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fromRoot } from '../helpers/paths.js';
import { FormatParseError, parseFormat } from '../../src/catalog/format.js';
import { tracepointColumns } from '../../src/catalog/tracepoint-columns.js';
import { typeName } from '../../src/catalog/types.js';

const fixture = (name: string): string =>
  readFileSync(fromRoot('test', 'catalog', 'fixtures', `${name}.format`), 'utf8');

test('sched_process_exec: data_loc string and ints, common fields dropped', () => {
  const f = parseFormat(fixture('sched_process_exec'));
  assert.equal(f.name, 'sched_process_exec');
  assert.equal(f.id, 365);
  assert.deepEqual(f.fields, [
    { name: 'filename', cType: 'char[]', offset: 8, size: 4, signed: false, layout: { kind: 'data-loc-string' } },
    { name: 'pid', cType: 'pid_t', offset: 12, size: 4, signed: true, layout: { kind: 'int', size: 4, signed: true } },
    { name: 'old_pid', cType: 'pid_t', offset: 16, size: 4, signed: true, layout: { kind: 'int', size: 4, signed: true } },
  ]);
});

test('sys_enter_openat: user string pointer, 8-byte args', () => {
  const f = parseFormat(fixture('sys_enter_openat'));
  assert.deepEqual(f.fields.map((x) => [x.name, x.offset, x.size, x.layout.kind]), [
    ['__syscall_nr', 8, 4, 'int'],
    ['dfd', 16, 8, 'int'],
    ['filename', 24, 8, 'pointer'],
    ['flags', 32, 8, 'int'],
    ['mode', 40, 8, 'int'],
  ]);
  assert.deepEqual(f.fields[2]!.layout, { kind: 'pointer', userString: true });
});

test('sched_switch: char arrays; inet_sock_set_state: byte arrays the print fmt shows as addresses are addresses', () => {
  const s = parseFormat(fixture('sched_switch'));
  assert.deepEqual(s.fields[0], { name: 'prev_comm', cType: 'char[16]', offset: 8, size: 16, signed: false, layout: { kind: 'char-array', size: 16 } });
  const i = parseFormat(fixture('inet_sock_set_state'));
  assert.deepEqual(i.fields.find((x) => x.name === 'saddr')!.layout, { kind: 'address', address: 'ipv4', size: 4 });
  assert.deepEqual(i.fields.find((x) => x.name === 'daddr_v6')!.layout, { kind: 'address', address: 'ipv6', size: 16 });
  assert.deepEqual(i.fields.find((x) => x.name === 'skaddr')!.layout, { kind: 'pointer', userString: false });
  assert.deepEqual(i.fields.find((x) => x.name === 'sport')!.layout, { kind: 'int', size: 2, signed: false });
});

test('a malformed field line names its line number', () => {
  const text = 'name: x\nID: 1\nformat:\n\tfield:int a;\toffset:8;\n';
  assert.throws(() => parseFormat(text), (e: unknown) => e instanceof FormatParseError && e.line === 4);
});

test('missing ID is an error', () => {
  assert.throws(() => parseFormat('name: x\nformat:\n'), /no ID/);
});

test('every field is a column: __data_loc arrays other than char[] and fixed arrays are BLOBs', () => {
  const text = [
    'name: x', 'ID: 1', 'format:',
    '\tfield:__data_loc char[] name;\toffset:8;\tsize:4;\tsigned:0;',
    '\tfield:__data_loc u64[] addrs;\toffset:12;\tsize:4;\tsigned:0;',
    '\tfield:__data_loc cpumask_t cpumask;\toffset:16;\tsize:4;\tsigned:0;',
    '\tfield:unsigned long args[6];\toffset:24;\tsize:48;\tsigned:0;',
    '\tfield:u8 key[16];\toffset:72;\tsize:16;\tsigned:0;',
    'print fmt: "%s %pI4", __get_str(name), REC->key',
  ].join('\n');
  const f = parseFormat(text);
  assert.deepEqual(f.fields.map((x) => [x.name, x.layout]), [
    ['name', { kind: 'data-loc-string' }],
    ['addrs', { kind: 'data-loc-bytes' }],
    ['cpumask', { kind: 'data-loc-bytes' }],
    ['args', { kind: 'bytes', size: 48 }],
    // Printed with %pI4 but not 4 bytes long: no address.
    ['key', { kind: 'bytes', size: 16 }],
  ]);
  assert.deepEqual(tracepointColumns(f.fields).map((c) => [c.name, typeName(c.type), c.source.kind]), [
    ['name', 'string', 'data-loc-string'],
    ['addrs', 'blob', 'data-loc-bytes'],
    ['cpumask', 'blob', 'data-loc-bytes'],
    ['args', 'blob', 'byte-array'],
    ['key', 'blob', 'byte-array'],
  ]);
});
