// `syscalls`: one row per completed system call, pairing raw_syscalls:sys_enter with
// raw_syscalls:sys_exit on the same thread. A call already in flight when the query starts has
// no entry and lies outside the query's window; exit and exit_group never return, so their
// entries are not kept (they would sit in the pairing map for ever).
import type { Column } from '../column.js';
import type { FieldRef } from '../table.js';
import type { CuratedTable, TableShape } from '../curated.js';
import { fieldRef, intColumn, requireEntry } from '../curated.js';
import { DECODERS } from '../decoders.js';
import { S64 } from '../types.js';
import { entryColumn, latencyColumn } from './columns.js';

/**
 * The raw tracepoints' arguments: TP_PROTO(struct pt_regs *regs, long id) for sys_enter and
 * TP_PROTO(struct pt_regs *regs, long ret) for sys_exit, 8 bytes each. sys_exit has no id
 * argument (its record reads the number back from pt_regs), so the entry saves it: every row has
 * an entry, and the kernel passes sys_enter the same number.
 */
const RAW_ENTER_ID = { offset: 8, size: 8, signed: true } as const;
const RAW_EXIT_RET = { offset: 8, size: 8, signed: true } as const;

/** Numbers of the calls that never return, where this machine's syscall table names them. */
function neverReturning(): bigint[] {
  return ['exit', 'exit_group'].flatMap((name) => {
    const n = DECODERS.syscall.encode(name);
    return n === undefined ? [] : [n];
  });
}

const SYSCALL_NAME = 'syscall name (x86_64 table; syscall_<n> for numbers it does not name)';
const SYSCALL_NUMBER = 'syscall number';
const RETURN_VALUE = 'return value, or -errno';
const LATENCY = 'nanoseconds from entry to return';

/**
 * The calls seen at sys_enter, given its id column. These are the pairs' rows, but a call counts
 * when it enters: one still blocked when the query ends counts here and makes no pair. exit and
 * exit_group, which never return and so never make a pair, are left out here too.
 */
function entryAlone(id: Column): TableShape {
  const never = neverReturning();
  return {
    columns: [{ ...id, name: 'syscall', description: SYSCALL_NAME, decode: 'syscall' }, id],
    ...(never.length > 0 ? { where: [{ column: id, oneOf: never, negated: true }] } : {}),
  };
}

/**
 * The pairs' columns on either hook: the number is the entry's, saved in the pair. The exit's own
 * would be wrong for rt_sigreturn, whose exit record says -1: restoring the signal frame sets the
 * registers' orig_ax, which the record reads the number back from, to -1.
 */
function pairedShape(saved: readonly (FieldRef & { readonly signed: boolean })[], ret: Column): TableShape {
  const never = neverReturning();
  return {
    columns: [
      { ...entryColumn(saved, 0, 'syscall', SYSCALL_NAME, S64), decode: 'syscall' },
      entryColumn(saved, 0, 'id', SYSCALL_NUMBER, S64),
      ret,
      latencyColumn(LATENCY),
    ],
    pairing: { key: { kind: 'thread' }, saved, ...(never.length > 0 ? { never: { field: saved[0]!, values: never } } : {}) },
  };
}

export const syscallsTable: CuratedTable = {
  name: 'syscalls',
  description: 'every system call with its result and latency (raw_syscalls:sys_enter/sys_exit)',
  event: { category: 'raw_syscalls', event: 'sys_exit' },
  entries: [{ category: 'raw_syscalls', event: 'sys_enter' }],
  build(exit, entryFormat) {
    const entry = requireEntry(entryFormat, 'syscalls');
    return pairedShape([fieldRef(entry, 'id')], intColumn(exit, 'ret', 'ret', RETURN_VALUE, S64));
  },
  entryOnly: {
    build(entry) {
      return entryAlone(intColumn(entry, 'id', 'id', SYSCALL_NUMBER, S64));
    },
    raw() {
      return entryAlone({ name: 'id', type: S64, source: { kind: 'field', ...RAW_ENTER_ID }, description: SYSCALL_NUMBER });
    },
  },
  raw() {
    return pairedShape([RAW_ENTER_ID], { name: 'ret', type: S64, source: { kind: 'field', ...RAW_EXIT_RET }, description: RETURN_VALUE });
  },
};
