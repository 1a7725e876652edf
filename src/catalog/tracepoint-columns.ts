// Turns a tracepoint's format fields into columns. Fields whose names clash with a common column
// (sched_process_exec has its own `pid`) are offered with a `tp_` prefix.
import type { Column } from './column.js';
import { COMMON_COLUMN_NAMES } from './common-columns.js';
import type { FormatField } from './format.js';
import type { ValueType } from './types.js';
import { BYTES, STRING, U32, U64 } from './types.js';
import { assertNever } from '../diag/assert-never.js';

/** Every field of a format is a column: an integer, text (strings, addresses) or a BLOB. */
export function fieldColumn(field: FormatField, name: string = field.name): Column {
  const l = field.layout;
  switch (l.kind) {
    case 'int': {
      const type: ValueType = { kind: 'int', bits: (l.size * 8) as 8 | 16 | 32 | 64, signed: l.signed };
      return { name, type, source: { kind: 'field', offset: field.offset, size: l.size, signed: l.signed }, description: field.cType };
    }
    case 'char-array':
      return { name, type: STRING, source: { kind: 'char-array', offset: field.offset, size: l.size }, description: field.cType };
    case 'data-loc-string':
      return { name, type: STRING, source: { kind: 'data-loc-string', offset: field.offset }, description: 'string' };
    case 'pointer':
      return l.userString
        ? { name, type: STRING, source: { kind: 'user-string', offset: field.offset }, description: `user string (${field.cType})` }
        : { name, type: U64, source: { kind: 'field', offset: field.offset, size: 8, signed: false }, description: field.cType };
    case 'address':
      // An IPv4 address is its 4 bytes read as one u32 and decoded; an IPv6 one is text made from its 16 bytes.
      return l.address === 'ipv4'
        ? { name, type: U32, source: { kind: 'field', offset: field.offset, size: 4, signed: false }, description: `${field.cType} (IPv4 address)`, decode: 'ipv4' }
        : { name, type: STRING, source: { kind: 'address', offset: field.offset }, description: `${field.cType} (IPv6 address)` };
    case 'data-loc-bytes':
      return { name, type: BYTES, source: { kind: 'data-loc-bytes', offset: field.offset }, description: field.cType };
    case 'bytes':
      return { name, type: BYTES, source: { kind: 'byte-array', offset: field.offset, size: l.size }, description: field.cType };
    default:
      return assertNever(l);
  }
}

export function tracepointColumns(fields: readonly FormatField[]): Column[] {
  const out: Column[] = [];
  for (const f of fields) {
    const name = COMMON_COLUMN_NAMES.has(f.name) ? `tp_${f.name}` : f.name;
    out.push(fieldColumn(f, name));
  }
  return out;
}
