// Column builders the curated tables share: each reads its field's offset and size from the
// live format, so no table hard-codes where anything is.
import type { Column } from '../column.js';
import type { CuratedTable } from '../curated.js';
import { intColumn, MissingFieldError, requireField } from '../curated.js';
import type { DecoderName } from '../decoders.js';
import type { TracepointFormat } from '../format.js';
import { fieldColumn } from '../tracepoint-columns.js';
import type { ValueType } from '../types.js';
import { U32, U64 } from '../types.js';

/** A string field (char array or __data_loc string) as a column of the given name. */
export function stringColumn(format: TracepointFormat, field: string, name: string, description: string): Column {
  const f = requireField(format, field);
  const col = f.layout.kind === 'char-array' || f.layout.kind === 'data-loc-string' ? fieldColumn(f, name) : undefined;
  if (!col) throw new MissingFieldError(`${field} (as a string)`, format.name);
  return { ...col, description };
}

/** An integer field the planner shows as text (see decoders.ts). */
export function decodedColumn(format: TracepointFormat, field: string, name: string, decode: DecoderName, description: string): Column {
  return { ...intColumn(format, field, name, description), decode };
}

/** A 4-byte array (`__u8 saddr[4]`, an IPv4 address) read as one u32 and shown as a dotted address. */
export function ipv4Column(format: TracepointFormat, field: string, name: string, description: string): Column {
  const f = requireField(format, field);
  if (f.size !== 4) throw new MissingFieldError(`${field} (of 4 bytes)`, format.name);
  return { name, type: U32, source: { kind: 'field', offset: f.offset, size: 4, signed: false }, description, decode: 'ipv4' };
}

/** An integer field when the format has it (fields some kernels lack); none otherwise. */
export function optionalIntColumn(format: TracepointFormat, field: string, name: string, description: string): Column[] {
  return format.fields.some((f) => f.name === field) ? [intColumn(format, field, name, description)] : [];
}

/** A value the entry event saved (by its index in the pairing's `saved` list). */
export function entryColumn(index: number, name: string, type: ValueType, description: string): Column {
  return { name, type, source: { kind: 'entry-field', index, signed: type.kind === 'int' && type.signed }, description };
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
          const col = fieldColumn(f, column);
          if (!col) throw new MissingFieldError(`${field} (as an integer or string)`, format.name);
          return { ...col, description: text };
        }),
      };
    },
  };
}
