// Parser for tracefs `events/<category>/<event>/format` files: text in, field list out.
// Pure, so it is tested on fixture text without a kernel.
import { cIntType, isPointerType } from './c-types.js';
import type { AddressKind } from './print-fmt.js';
import { addressFields } from './print-fmt.js';

/** How a field's bytes are to be read. */
export type FieldLayout =
  /**
   * An integer of `size` bytes at the field's offset: its C type's width and sign, which may be
   * less than the format's size (a syscall's `int dfd` is the low 4 bytes of an 8-byte slot;
   * x86_64 and arm64 are little-endian, so they start at the field's offset).
   */
  | { readonly kind: 'int'; readonly size: 1 | 2 | 4 | 8; readonly signed: boolean }
  /** A fixed char array stored in the record itself (e.g. `char prev_comm[16]`). */
  | { readonly kind: 'char-array'; readonly size: number }
  /** `__data_loc char[]`: a u32 whose low 16 bits are the string's offset in the record, high 16 its length. */
  | { readonly kind: 'data-loc-string' }
  /** `__data_loc` of anything else (`u64[]`, `cpumask_t`): the bytes it locates, a BLOB. */
  | { readonly kind: 'data-loc-bytes' }
  /** A pointer; `userString` when it is a syscall argument that points to a NUL-terminated user string. */
  | { readonly kind: 'pointer'; readonly userString: boolean }
  /** An array the kernel prints as an IP address (`%pI4`, `%pI6c` in the format's print fmt). */
  | { readonly kind: 'address'; readonly address: AddressKind; readonly size: number }
  /**
   * Any other bytes in the record (arrays of integers, structs): a BLOB of `size` bytes. A
   * flexible array (`u32 buf[]`, size 0, only in ftrace's own events) has no known length.
   */
  | { readonly kind: 'bytes'; readonly size: number };

export interface FormatField {
  readonly name: string;
  readonly cType: string;
  readonly offset: number;
  readonly size: number;
  readonly signed: boolean;
  readonly layout: FieldLayout;
}

export interface TracepointFormat {
  readonly name: string;
  readonly id: number;
  /** The event's own fields, without the `common_*` header every record starts with. */
  readonly fields: readonly FormatField[];
}

export class FormatParseError extends Error {
  constructor(message: string, readonly line: number) {
    super(`format line ${line}: ${message}`);
    this.name = 'FormatParseError';
  }
}

const FIELD_LINE = /^\s*field:(.+);\s*offset:(\d+);\s*size:(\d+);\s*signed:(\d+);\s*$/;

/** Syscall argument names that point to NUL-terminated user strings (`char *` ones: mount's dev_name, dir_name and type too). */
const USER_STRING_ARGS = new Set(['filename', 'pathname', 'path', 'oldname', 'newname', 'name', 'specialfile', 'library', 'dev_name', 'dir_name', 'type']);

export function parseFormat(text: string): TracepointFormat {
  let name = '';
  let id = -1;
  const fields: FormatField[] = [];
  const lines = text.split('\n');
  const addresses = addressFields(text);
  lines.forEach((raw, i) => {
    const line = raw.trimEnd();
    if (line.startsWith('name: ')) name = line.slice(6).trim();
    else if (line.startsWith('ID: ')) id = Number(line.slice(4).trim());
    else if (line.trimStart().startsWith('field:')) {
      const m = FIELD_LINE.exec(line);
      if (!m) throw new FormatParseError(`cannot read field '${line.trim()}'`, i + 1);
      const field = parseField(m[1]!, Number(m[2]), Number(m[3]), m[4] === '1', i + 1, addresses);
      if (!field.name.startsWith('common_')) fields.push(field);
    }
  });
  if (name === '') throw new FormatParseError('no name: line', 1);
  if (!Number.isInteger(id) || id < 0) throw new FormatParseError('no ID: line', 1);
  return { name, id, fields };
}

/**
 * An integer field's real width and sign. Its C type decides the width when the type is no
 * wider than the field; it is signed when the format says so or its C type is signed (syscall
 * slots are all marked unsigned). A type this table does not know keeps the format's own.
 */
function intLayout(cType: string, size: number, signed: boolean): FieldLayout {
  const t = cIntType(cType);
  if (t !== undefined && t.bits / 8 <= size) return { kind: 'int', size: (t.bits / 8) as 1 | 2 | 4 | 8, signed: signed || t.signed === true };
  if (size === 1 || size === 2 || size === 4 || size === 8) return { kind: 'int', size, signed };
  return { kind: 'bytes', size };
}

function parseField(decl: string, offset: number, size: number, signed: boolean, line: number, addresses: ReadonlyMap<string, AddressKind>): FormatField {
  const d = decl.trim();
  const dataLoc = d.startsWith('__data_loc ');
  // The declarator is the last word, possibly with an array suffix: `char prev_comm[16]`, `char[] filename`.
  const m = /^(.*?)([A-Za-z_][A-Za-z0-9_]*)\s*(\[[^\]]*\])?$/.exec(d);
  if (!m) throw new FormatParseError(`cannot read declaration '${d}'`, line);
  const cType = (m[1] ?? '').trim() + (m[3] ?? '');
  const name = m[2]!;
  const isArray = m[3] !== undefined || /\[\s*\]$/.test(m[1]!.trim());
  const address = addresses.get(name);
  let layout: FieldLayout;
  if (dataLoc) layout = /^char\b/.test(d.slice('__data_loc '.length).trim()) ? { kind: 'data-loc-string' } : { kind: 'data-loc-bytes' };
  else if (isArray && address !== undefined && size === (address === 'ipv4' ? 4 : 16)) layout = { kind: 'address', address, size };
  else if (isArray && /\bchar\b/.test(cType) && !/\bunsigned\b/.test(cType)) layout = { kind: 'char-array', size };
  else if (isArray) layout = { kind: 'bytes', size };
  else if (isPointerType(cType)) layout = { kind: 'pointer', userString: /\bchar\s*\*$/.test(cType) && USER_STRING_ARGS.has(name) };
  else layout = intLayout(cType, size, signed);
  return { name, cType: dataLoc ? cType.replace(/^__data_loc\s+/, '') : cType, offset, size, signed, layout };
}
