// Column builders the curated tables share: each reads its field's offset and size from the
// live format, so no table hard-codes where anything is.
import type { Column, MemberPath, SocketAddressPaths, TaskBuiltin } from '../column.js';
import { COMMON_COLUMNS } from '../common-columns.js';
import type { CuratedTable } from '../curated.js';
import { intColumn, MissingFieldError, requireField } from '../curated.js';
import type { DecoderName } from '../decoders.js';
import type { TracepointFormat } from '../format.js';
import { fieldColumn } from '../tracepoint-columns.js';
import type { FieldRef } from '../table.js';
import type { ValueType } from '../types.js';
import { STRING, U16, U64, U8 } from '../types.js';
import { CUT_PATH_MARK, FD_PATH_BYTES, FD_PATH_LEVELS } from '../fd-path.js';

/** A string field (char array or __data_loc string) as a column of the given name. */
export function stringColumn(format: TracepointFormat, field: string, name: string, description: string): Column {
  const f = requireField(format, field);
  if (f.layout.kind !== 'char-array' && f.layout.kind !== 'data-loc-string') throw new MissingFieldError(`${field} (as a string)`, format.name);
  return { ...fieldColumn(f, name), description };
}

/** An integer field the planner shows as text (see decoders.ts). */
export function decodedColumn(format: TracepointFormat, field: string, name: string, decode: DecoderName, description: string): Column {
  return { ...intColumn(format, field, name, description), decode };
}

/**
 * A socket's address as text, IPv4 or IPv6 by the socket's family: made from the 16-byte field
 * (`__u8 daddr_v6[16]`, where the kernel keeps an AF_INET socket's address IPv4-mapped) and the
 * u16 family field.
 */
export function socketAddressColumn(format: TracepointFormat, field: string, familyField: string, name: string, description: string): Column {
  const f = requireField(format, field);
  if (f.size !== 16) throw new MissingFieldError(`${field} (of 16 bytes)`, format.name);
  const family = requireField(format, familyField);
  if (family.layout.kind !== 'int' || family.layout.size !== 2) throw new MissingFieldError(`${familyField} (as a u16)`, format.name);
  return { name, type: STRING, source: { kind: 'address', offset: f.offset, family: family.offset }, description };
}

/** An integer field when the format has it (fields some kernels lack); none otherwise. */
export function optionalIntColumn(format: TracepointFormat, field: string, name: string, description: string): Column[] {
  return format.fields.some((f) => f.name === field) ? [intColumn(format, field, name, description)] : [];
}

/**
 * A value the entry event saved (by its index in the pairing's `saved` list), of the saved
 * field's real width and sign, unless `type` says otherwise (a pointer kept as a number).
 */
export function entryColumn(saved: readonly (FieldRef & { readonly signed: boolean })[], index: number, name: string, description: string, type?: ValueType): Column {
  const f = saved[index];
  if (!f) throw new Error(`no saved field ${index} for ${name}`);
  const t: ValueType = type ?? { kind: 'int', bits: (f.size * 8) as 8 | 16 | 32 | 64, signed: f.signed };
  return { name, type: t, source: { kind: 'entry-field', index, signed: f.signed }, description };
}

const ENTRY_TASK: readonly TaskBuiltin[] = ['pid', 'tid', 'uid', 'gid', 'comm', 'cgroup_id'];

/**
 * The common columns that name a task or its cgroup, as the entry's task (`whose`): a paired
 * table's row is about the task that opened the pair (or took it over), not the exit's.
 */
export function entryTaskColumns(whose: string): Column[] {
  return COMMON_COLUMNS.flatMap((c): Column[] => {
    const description = `${c.description}, of ${whose}`;
    if (c.source.kind === 'cgroup') return [{ ...c, source: { ...c.source, entry: true }, description }];
    const name = ENTRY_TASK.find((b) => b === c.name);
    return name ? [{ ...c, source: { kind: 'entry-builtin', name }, description }] : [];
  });
}

/** A pointer field holding a kernel code address, shown as the function it is in (see the kernel-symbol source). */
export function kernelSymbolColumn(format: TracepointFormat, field: string, name: string, description: string): Column {
  const f = requireField(format, field);
  if (f.size !== 8 || f.offset % 8 !== 0) throw new MissingFieldError(`${field} (as an aligned 8-byte address)`, format.name);
  return { name, type: STRING, source: { kind: 'kernel-symbol', offset: f.offset }, description };
}

/**
 * `filename` and `inode` of the file an fd the entry saved (by its index) refers to, looked up in
 * the task's file table when the call returns. Left out of `*`: only a query that names them pays
 * for the lookup, and needs the kernel's BTF for it.
 */
export function fdFileColumns(fdIndex: number): Column[] {
  return [
    {
      name: 'filename',
      type: STRING,
      source: { kind: 'fd-file', fdIndex, part: 'path' },
      description: `path of the fd's file from the root of its mount tree (${FD_PATH_BYTES} bytes, ${FD_PATH_LEVELS} names and mounts at most: a longer one starts with '${CUT_PATH_MARK}'); pipe:[inode] or socket:[inode] for a pipe or socket, the bare name for other files outside any tree ([eventfd]); '' when the fd was not open at return`,
      hidden: true,
    },
    { name: 'inode', type: U64, source: { kind: 'fd-file', fdIndex, part: 'inode' }, description: 'inode number of the fd\'s file (0 when the fd was not open at return)', hidden: true },
  ];
}

export function latencyColumn(description: string): Column {
  return { name: 'latency_ns', type: U64, source: { kind: 'latency' }, description };
}

/** A table that is the tracepoint's own records under a friendlier name, with some columns renamed. */
export function renamedTracepoint(name: string, description: string, category: string, event: string, columns: readonly (readonly [field: string, column: string, description: string])[]): CuratedTable {
  return {
    name,
    description,
    event: { category, event },
    build(format) {
      return {
        columns: columns.map(([field, column, text]) => {
          const f = requireField(format, field);
          return { ...fieldColumn(f, column), description: text };
        }),
      };
    },
  };
}

/**
 * A column whose value is fixed by the event (see the `constant` source): which of a table's
 * events a row came from, as a decoder names it.
 */
export function constantColumn(name: string, value: bigint, decode: DecoderName, description: string): Column {
  return { name, type: U8, source: { kind: 'constant', value }, description, decode };
}

/** A `struct sockaddr_in` or `sockaddr_in6` field (`__u8 saddr[28]`), checked for its room. */
function sockaddrField(format: TracepointFormat, field: string): number {
  const f = requireField(format, field);
  if (f.size < SOCKADDR_IN6_SIZE) throw new MissingFieldError(`${field} (a sockaddr_in6)`, format.name);
  return f.offset;
}

const SOCKADDR_IN6_SIZE = 28;

/** The address of a sockaddr field, shown as socketAddressColumn shows a socket's. */
export function sockaddrAddressColumn(format: TracepointFormat, field: string, name: string, description: string): Column {
  const offset = sockaddrField(format, field);
  return { name, type: STRING, source: { kind: 'address', offset, family: offset, sockaddr: true }, description };
}

/** The address family of a sockaddr field (its first u16). */
export function sockaddrFamilyColumn(format: TracepointFormat, field: string, name: string, description: string): Column {
  return { name, type: U16, source: { kind: 'field', offset: sockaddrField(format, field), size: 2, signed: false }, description, decode: 'address-family' };
}

/** The port of a sockaddr field: the u16 after the family, in network byte order. */
export function sockaddrPortColumn(format: TracepointFormat, field: string, name: string, description: string): Column {
  return { name, type: U16, source: { kind: 'field', offset: sockaddrField(format, field) + 2, size: 2, signed: false, bigEndian: true }, description };
}

/** A raw tracepoint's TP_PROTO argument slots: 8 bytes each. */
const ARG_BYTES = 8;

/**
 * The classic column `c` read from a raw tracepoint's argument `index` instead (an integer
 * argument: its low bytes, of the record field's width and sign; an argument narrower than 8
 * bytes is widened to its slot as the C call converts it).
 */
export function argColumn(c: Column, index: number): Column {
  const s = c.source;
  // A code address read as a symbol is read the same way from the argument.
  if (s.kind === 'kernel-symbol') return { ...c, source: { kind: 'kernel-symbol', offset: index * ARG_BYTES } };
  if (s.kind !== 'field') throw new Error(`${c.name} is no integer field of the record`);
  return { ...c, source: { kind: 'field', offset: index * ARG_BYTES, size: s.size, signed: s.signed } };
}

/**
 * The classic column `c` as an integer at `path` in the struct argument `index` points to, of
 * `c`'s width and sign unless `member` says the struct's is another (an unsigned char the record
 * widens to an int); `bigEndian` where the struct keeps it in network order and the record not.
 */
export function argMemberColumn(c: Column, index: number, path: MemberPath, member: { readonly bigEndian?: true; readonly size?: 1 | 2 | 4 | 8; readonly signed?: boolean } = {}): Column {
  const s = c.source;
  if (s.kind !== 'field') throw new Error(`${c.name} is no integer field of the record`);
  const { bigEndian, size = s.size, signed = s.signed } = member;
  return { ...c, source: { kind: 'pointee', pointer: index * ARG_BYTES, path, size, signed, ...(bigEndian ? { bigEndian } : {}) } };
}

/**
 * The classic address column `c` (of a socket, with its family) read in the socket argument
 * `index` points to, at `paths` (by default where `c` reads it), the family too.
 */
export function argSocketAddressColumn(c: Column, index: number, paths?: SocketAddressPaths): Column {
  const s = c.source;
  const at = paths ?? (s.kind === 'address' ? s.socket : undefined);
  if (s.kind !== 'address' || s.family === undefined || at === undefined) throw new Error(`${c.name} is no socket address of the record`);
  return { ...c, source: { kind: 'address', offset: index * ARG_BYTES, family: index * ARG_BYTES, socket: { v4: at.v4, v6: at.v6, family: SOCK_FAMILY } } };
}

/** The classic string column `c` as the string at the end of `hops` from argument `index` (see the pointee-string source), keeping as many bytes. */
export function argStringColumn(c: Column, index: number, hops: readonly MemberPath[]): Column {
  const s = c.source;
  if (s.kind !== 'char-array' && s.kind !== 'data-loc-string') throw new Error(`${c.name} is no string of the record`);
  return { ...c, source: { kind: 'pointee-string', pointer: index * ARG_BYTES, hops, ...(s.kind === 'char-array' ? { size: s.size } : {}) } };
}

/** A member of a socket's struct sock_common (the first member of every struct sock). */
export function sockCommon(member: string): MemberPath {
  return [['sock', '__sk_common'], ['sock_common', member]];
}

/** Where a socket keeps its family and the protocol (struct sock's sk_family, sk_protocol). */
export const SOCK_FAMILY = sockCommon('skc_family');
export const SOCK_PROTOCOL: MemberPath = [['sock', 'sk_protocol']];
/** inet_sport: not skc_num, which closing a socket zeroes before its last events. */
export const INET_SPORT: MemberPath = [['inet_sock', 'inet_sport']];
