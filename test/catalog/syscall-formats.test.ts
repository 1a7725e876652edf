// Every field of every syscall tracepoint is a column whose width and sign are its C type's:
// the formats declare each argument as an unsigned 8-byte slot (`field:int dfd; size:8;
// signed:0;`), which made `dfd` 4294967196 for AT_FDCWD. Checked over the formats of the kernel
// bpfql was developed on (a fixture) and over those of the running kernel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Column } from '../../src/catalog/column.js';
import { parseFormat } from '../../src/catalog/format.js';
import { tracepointColumns } from '../../src/catalog/tracepoint-columns.js';
import { typeName } from '../../src/catalog/types.js';
import { listTracepoints, readFormat, tracefsRoot } from '../../src/kernel/tracefs.js';
import { fixtureFormat } from '../helpers/fixture-catalog.js';

/**
 * The C types of syscall arguments on x86_64 Linux, written out here from the kernel's headers
 * (not from bpfql's table): s = signed, u = unsigned, by bits. A type missing here fails the test.
 */
const C_TYPES: Readonly<Record<string, string>> = {
  'int': 's32', 'long': 's64', 'unsigned int': 'u32', 'unsigned': 'u32', 'unsigned long': 'u64', 'size_t': 'u64',
  'pid_t': 's32', 'u32': 'u32', '__u32': 'u32', '__u64': 'u64', '__s32': 's32', 'umode_t': 'u16', 'uid_t': 'u32', 'gid_t': 'u32',
  'loff_t': 's64', 'off_t': 's64', 'clockid_t': 's32', 'aio_context_t': 'u64', 'timer_t': 's32', 'mqd_t': 's32',
  'key_t': 's32', 'key_serial_t': 's32', 'qid_t': 'u32', 'rwf_t': 's32', 'enum landlock_rule_type': 'u32',
};
const POINTER_TYPEDEFS = new Set(['cap_user_header_t', 'cap_user_data_t']);

interface Event { readonly name: string; readonly text: string }

function fixtureEvents(): Event[] {
  return fixtureFormat('syscalls-x86_64-6.18').split(/^(?=name: )/m).map((text) => ({ name: /^name: (\S+)/.exec(text)![1]!, text }));
}

/** The column type a field of this C type must have; a pointer is a number or, for a path, its user string. */
function expectedType(cType: string): string {
  const bare = cType.replace(/\bconst\b/g, ' ').replace(/\s+/g, ' ').trim();
  if (bare.includes('*') || POINTER_TYPEDEFS.has(bare)) return 'u64|string';
  const t = C_TYPES[bare];
  assert.ok(t !== undefined, `C type '${cType}' is not in this test's table`);
  return t;
}

/** Checks every field of every event; returns the column of each `event.field` for spot checks. */
function checkAll(events: readonly Event[]): Map<string, Column> {
  const byName = new Map<string, Column>();
  for (const e of events) {
    const format = parseFormat(e.text);
    const columns = tracepointColumns(format.fields);
    assert.equal(columns.length, format.fields.length, `${e.name}: a field was dropped`);
    format.fields.forEach((f, i) => {
      const c = columns[i]!;
      assert.ok(c.name === f.name || c.name === `tp_${f.name}`, `${e.name}.${f.name}`);
      const want = expectedType(f.cType);
      const got = typeName(c.type);
      assert.ok(want.split('|').includes(got), `${e.name}.${f.name} (${f.cType}) is ${got}, not ${want}`);
      // The kernel reads the value at its real width and sign: the low bytes of the slot.
      if (c.source.kind === 'field' && c.type.kind === 'int') {
        assert.deepEqual([c.source.offset, c.source.size * 8, c.source.signed], [f.offset, c.type.bits, c.type.signed], `${e.name}.${f.name}`);
      }
      byName.set(`${e.name}.${c.name}`, c);
    });
  }
  return byName;
}

function spotChecks(columns: ReadonlyMap<string, Column>): void {
  const type = (key: string): string => {
    const c = columns.get(key);
    assert.ok(c, `no column ${key}`);
    return typeName(c.type);
  };
  assert.equal(type('sys_enter_newfstatat.dfd'), 's32');
  assert.equal(type('sys_enter_kill.tp_pid'), 's32');
  assert.equal(type('sys_enter_kill.sig'), 's32');
  assert.equal(type('sys_enter_lseek.offset'), 's64');
  assert.equal(type('sys_enter_lseek.whence'), 'u32');
  assert.equal(type('sys_enter_read.fd'), 'u32');
  assert.equal(type('sys_enter_read.count'), 'u64');
  assert.equal(type('sys_enter_openat.mode'), 'u16');
  assert.equal(type('sys_exit_read.ret'), 's64');
  assert.equal(type('sys_enter_openat.filename'), 'string');
}

test('syscall formats (fixture): every field is a column of its C type\'s width and sign', () => {
  const events = fixtureEvents();
  assert.ok(events.length >= 700, `${events.length} events`);
  spotChecks(checkAll(events));
});

test('syscall formats of the running kernel: every field is a column of its C type\'s width and sign', (t) => {
  try {
    tracefsRoot();
  } catch (e) {
    t.skip(`tracefs cannot be read here: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  const events = listTracepoints().filter((x) => x.category === 'syscalls').map((x) => ({ name: x.event, text: readFormat('syscalls', x.event) }));
  assert.ok(events.length >= 700, `${events.length} events`);
  spotChecks(checkAll(events));
});
