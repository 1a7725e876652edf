// The TP_PROTO arguments of a tracepoint as columns of its table on tp_btf, whose context holds
// them 8 bytes each in order: an integer is the low bytes of its slot (little-endian), a pointer
// the whole slot (its fields are read through it, see planner/typed-fields.ts).
import type { CType, TracepointArg } from './btf-types.js';
import { cTypeText } from './btf-types.js';
import type { Column } from './column.js';
import { U64 } from './types.js';

/** Bytes of the context per argument. */
export const ARG_SLOT = 8;

/** An integer C type as a column's type and read size; undefined for any other type. */
export function intOf(t: CType): { readonly size: 1 | 2 | 4 | 8; readonly signed: boolean } | undefined {
  if (t.kind !== 'int' || ![1, 2, 4, 8].includes(t.size)) return undefined;
  return { size: t.size as 1 | 2 | 4 | 8, signed: t.signed };
}

/** The argument as a column, or undefined when its type has no value to read whole (a struct by value). */
export function argColumn(arg: TracepointArg): Column | undefined {
  const description = `argument ${arg.index} (${cTypeText(arg.type)}), from BTF`;
  const offset = arg.index * ARG_SLOT;
  if (arg.type.kind === 'pointer') return { name: arg.name, type: U64, source: { kind: 'field', offset, size: 8, signed: false }, description };
  const int = intOf(arg.type);
  if (int === undefined) return undefined;
  return { name: arg.name, type: { kind: 'int', bits: (int.size * 8) as 8 | 16 | 32 | 64, signed: int.signed }, source: { kind: 'field', offset, size: int.size, signed: int.signed }, description };
}
