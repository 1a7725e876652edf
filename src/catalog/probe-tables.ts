// The tables that are not tracepoints: `profile` (timed CPU samples with their call stacks),
// `uprobe('<binary>', '<symbol>')` (every call of a user-space function, with its arguments) and
// `uretprobe('<binary>', '<symbol>')` (every return of one, paired with its call on the thread).
import { closest } from '../diag/messages.js';
import type { Column } from './column.js';
import { COMMON_COLUMNS } from './common-columns.js';
import { ElfError, ElfFile } from './elf.js';
import type { KernelTable } from './table.js';
import { SAMPLE_STACK_COLUMNS, withStackColumns } from './stack-columns.js';
import { SYSCALL_TABLE } from './syscall-table.js';
import { S64, STRING, U64 } from './types.js';
import { latencyColumn } from './tables/columns.js';

export const PROFILE_TABLE = 'profile';
export const UPROBE_TABLE = 'uprobe';
export const URETPROBE_TABLE = 'uretprobe';
/** The kernel tables named by a call in FROM. */
export const TABLE_FUNCTIONS: readonly string[] = [PROFILE_TABLE, UPROBE_TABLE, URETPROBE_TABLE, SYSCALL_TABLE];
/** bcc's and bpftrace's habit: not 100, so samples do not beat against timers firing at 100 Hz. */
export const DEFAULT_PROFILE_HZ = 99;
/** The kernel caps rates lower still (kernel.perf_event_max_sample_rate); this only stops nonsense. */
export const MAX_PROFILE_HZ = 100_000;

export function profileTable(frequencyHz: number): KernelTable {
  return {
    name: PROFILE_TABLE,
    description: `CPU samples at ${frequencyHz} Hz on every CPU, with kernel and user call stacks`,
    source: { kind: 'perf-sample', frequencyHz },
    columns: [
      ...COMMON_COLUMNS,
      ...SAMPLE_STACK_COLUMNS,
    ],
  };
}

/** Where the System V x86_64 calling convention puts the first six integer arguments. */
const X86_64_ARGUMENT_REGISTERS = ['di', 'si', 'dx', 'cx', 'r8', 'r9'] as const;

function uprobeColumns(): Column[] {
  return X86_64_ARGUMENT_REGISTERS.map((reg, i) => ({
    name: `arg${i}`,
    type: U64,
    source: { kind: 'ctx-reg', member: reg },
    description: `argument ${i} of the call (register ${reg})`,
  }));
}

/** Where the x86_64 calling convention puts a function's return value. */
const X86_64_RETURN_REGISTER = 'ax';

/**
 * A return's columns: the value (any integer or pointer type, as a signed 64-bit number), the
 * same read as a user string for functions returning `char *` (left out of `SELECT *`: for
 * other functions it is noise), and the time since the call.
 */
function uretprobeColumns(symbol: string): Column[] {
  return [
    { name: 'ret', type: S64, source: { kind: 'ctx-reg', member: X86_64_RETURN_REGISTER }, description: `what ${symbol} returned (register ${X86_64_RETURN_REGISTER})` },
    { name: 'ret_str', type: STRING, source: { kind: 'reg-user-string', member: X86_64_RETURN_REGISTER }, description: `the NUL-terminated user string ret points to (for a ${symbol} returning char *)`, hidden: true },
    latencyColumn(`nanoseconds from the call of ${symbol} to its return on the same thread`),
  ];
}

/** A binary as the catalog environment found it. */
export interface BinaryFile {
  /** The path the name led to (names without '/' are looked up in PATH). */
  readonly path: string;
  readonly bytes: Uint8Array;
}

export type UprobeResolution =
  | { readonly kind: 'table'; readonly table: KernelTable }
  | { readonly kind: 'no-binary'; readonly binary: string }
  | { readonly kind: 'not-elf'; readonly path: string; readonly reason: string }
  | { readonly kind: 'no-symbol'; readonly path: string; readonly symbol: string; readonly suggestions: readonly string[] }
  | { readonly kind: 'unavailable'; readonly reason: string };

/**
 * `uprobe(…)`, or with `retprobe` `uretprobe(…)`: its rows are returns, each paired with the call
 * the same thread made last (a recursive function's inner calls replace the outer ones' entries).
 */
export function resolveUprobe(file: BinaryFile | undefined, binary: string, symbol: string, arch: string, retprobe = false): UprobeResolution {
  if (arch !== 'x64') return { kind: 'unavailable', reason: `uprobe arguments are only known for x86_64, not ${arch}` };
  if (!file) return { kind: 'no-binary', binary };
  let elf: ElfFile;
  try {
    elf = ElfFile.parse(file.bytes);
  } catch (e) {
    if (e instanceof ElfError) return { kind: 'not-elf', path: file.path, reason: e.message };
    throw e;
  }
  const sym = elf.find(symbol);
  const offset = sym && elf.fileOffsetOf(sym.address);
  if (!sym || offset === undefined) {
    return { kind: 'no-symbol', path: file.path, symbol, suggestions: closest(symbol, [...new Set(elf.functions.map((f) => f.name))]) };
  }
  const call = { kind: 'uprobe', binary: file.path, symbol, offset } as const;
  if (!retprobe) {
    return {
      kind: 'table',
      table: { name: UPROBE_TABLE, description: `calls of ${symbol} in ${file.path}`, source: call, columns: withStackColumns([...COMMON_COLUMNS, ...uprobeColumns()]) },
    };
  }
  return {
    kind: 'table',
    table: {
      name: URETPROBE_TABLE,
      description: `returns of ${symbol} in ${file.path}, with the time since its call`,
      source: { ...call, retprobe: true },
      columns: withStackColumns([...COMMON_COLUMNS, ...uretprobeColumns(symbol)]),
      pairing: { entries: [{ source: call }], key: { kind: 'thread' }, saved: [] },
    },
  };
}
