// A lazy reader of raw BTF (the kernel's own type information, /sys/kernel/btf/vmlinux), for the
// struct offsets programs need. It answers only "where is this member", "how big is this
// struct", "which id has this typedef" and "what does this enum name": the type section is walked once to find where each type record starts, names are
// compared as bytes, and nothing else is decoded.
import { readFileSync } from 'node:fs';
import type { BtfTypes, CMember, CType, TracepointArg } from '../catalog/btf-types.js';
import { Errno, KernelError } from './errors.js';

type StructType = Extract<CType, { kind: 'struct' }>;

export interface Btf extends BtfTypes {
  /** Byte offset of `member` in `struct` (a struct or union), looking inside anonymous members. */
  memberOffset(struct: string, member: string): number;
  /** sizeof(struct). */
  structSize(struct: string): number;
  /** The type id of typedef `name` (a tp_btf program names its event by `btf_trace_<event>`'s); undefined when there is none. */
  typedefId(name: string): number | undefined;
  /** The names and values of `enum name` (the kernel's own spelling of each name), in order. */
  enumValues(name: string): readonly (readonly [value: bigint, name: string])[];
  /** The TP_PROTO arguments of `btf_trace_<event>` after its first (`void *`); undefined when BTF has no such typedef. */
  tracepointArgs(event: string): readonly TracepointArg[] | undefined;
}

const MAGIC = 0xeb9f;
const TYPE_HEADER = 12;

const Kind = {
  INT: 1,
  PTR: 2,
  ARRAY: 3,
  STRUCT: 4,
  UNION: 5,
  ENUM: 6,
  FWD: 7,
  TYPEDEF: 8,
  VOLATILE: 9,
  CONST: 10,
  RESTRICT: 11,
  FUNC: 12,
  FUNC_PROTO: 13,
  VAR: 14,
  DATASEC: 15,
  DECL_TAG: 17,
  TYPE_TAG: 18,
  FLOAT: 16,
  ENUM64: 19,
} as const;

/** INT's encoding bits (the word after the header): signed, and bool. */
const INT_SIGNED = 1;
const INT_BOOL = 4;

/** How deep a type's C spelling is followed (pointers to pointers, typedef chains). */
const MAX_TYPE_DEPTH = 16;

/** Bytes that follow the 12-byte common header of a type of this kind with `vlen` items. */
function trailingBytes(kind: number, vlen: number): number {
  switch (kind) {
    case Kind.INT:
    case Kind.VAR:
    case Kind.DECL_TAG:
      return 4;
    case Kind.ARRAY:
      return 12;
    case Kind.STRUCT:
    case Kind.UNION:
    case Kind.DATASEC:
    case Kind.ENUM64:
      return 12 * vlen;
    case Kind.ENUM:
    case Kind.FUNC_PROTO:
      return 8 * vlen;
    default:
      return 0;
  }
}

function btfError(message: string): KernelError {
  return new KernelError('BTF', Errno.ENOENT, { message });
}

class BtfReader implements Btf {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private readonly typesStart: number;
  private readonly typesEnd: number;
  private readonly stringsStart: number;
  private readonly stringsEnd: number;
  /** Byte offset of each type record, by type id (id 0 is void and has none). */
  private offsets: Uint32Array | undefined;
  private readonly composites: number[] = [];
  private readonly enums: number[] = [];
  private readonly byName = new Map<string, number>();
  private readonly encoder = new TextEncoder();

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.byteLength < 24 || this.view.getUint16(0, true) !== MAGIC) {
      throw new KernelError('BTF', Errno.EINVAL, { message: 'not raw little-endian BTF (magic 0xeb9f missing)' });
    }
    const hdrLen = this.view.getUint32(4, true);
    this.typesStart = hdrLen + this.view.getUint32(8, true);
    this.typesEnd = this.typesStart + this.view.getUint32(12, true);
    this.stringsStart = hdrLen + this.view.getUint32(16, true);
    this.stringsEnd = this.stringsStart + this.view.getUint32(20, true);
    if (this.typesEnd > bytes.byteLength || this.stringsEnd > bytes.byteLength) {
      throw new KernelError('BTF', Errno.EINVAL, { message: 'truncated BTF: sections run past the end of the data' });
    }
  }

  memberOffset(struct: string, member: string): number {
    const id = this.composite(struct);
    const bits = this.findMember(id, this.encoder.encode(member));
    if (bits === undefined) throw btfError(`struct ${struct} has no member '${member}' in the kernel's BTF`);
    if (bits % 8 !== 0) throw new KernelError('BTF', Errno.EINVAL, { message: `${struct}.${member} is a bitfield (bit offset ${bits})` });
    return bits / 8;
  }

  structSize(struct: string): number {
    return this.view.getUint32(this.offsetOf(this.composite(struct)) + 8, true);
  }

  typedefId(name: string): number | undefined {
    return this.named(Kind.TYPEDEF, name);
  }

  /** The id of the type of `kind` named `name`. */
  private named(kind: number, name: string): number | undefined {
    const offsets = this.index();
    const wanted = this.encoder.encode(name);
    for (let id = 1; id < offsets.length; id++) {
      const at = offsets[id]!;
      if (((this.view.getUint32(at + 4, true) >>> 24) & 0x1f) === kind && this.nameIs(this.view.getUint32(at, true), wanted)) return id;
    }
    return undefined;
  }

  /**
   * The parameter names of the function the kernel calls for a raw tracepoint (its typedef's
   * prototype has none): `__bpf_trace_<event>`, else the `__probestub_<event>` newer kernels have.
   */
  private argNames(event: string): readonly string[] {
    for (const fn of [`__bpf_trace_${event}`, `__probestub_${event}`]) {
      const id = this.named(Kind.FUNC, fn);
      if (id === undefined) continue;
      const proto = this.resolve(this.view.getUint32(this.offsetOf(id) + 8, true));
      if (proto === 0 || this.kindOf(proto) !== Kind.FUNC_PROTO) continue;
      const at = this.offsetOf(proto);
      const names: string[] = [];
      for (let i = 0; i < (this.view.getUint32(at + 4, true) & 0xffff); i++) names.push(this.stringAt(this.view.getUint32(at + TYPE_HEADER + 8 * i, true)));
      return names;
    }
    return [];
  }

  enumValues(name: string): readonly (readonly [bigint, string])[] {
    this.index();
    const wanted = this.encoder.encode(name);
    const id = this.enums.find((e) => this.nameIs(this.view.getUint32(this.offsets![e]!, true), wanted) && (this.view.getUint32(this.offsets![e]! + 4, true) & 0xffff) > 0);
    if (id === undefined) throw btfError(`the kernel's BTF has no enum '${name}'`);
    const at = this.offsetOf(id);
    const info = this.view.getUint32(at + 4, true);
    const wide = ((info >>> 24) & 0x1f) === Kind.ENUM64;
    // The kind flag says the values are signed.
    const signed = (info & 0x80000000) !== 0;
    const out: (readonly [bigint, string])[] = [];
    for (let i = 0; i < (info & 0xffff); i++) {
      const m = at + TYPE_HEADER + (wide ? 12 : 8) * i;
      const low = BigInt(signed && !wide ? this.view.getInt32(m + 4, true) : this.view.getUint32(m + 4, true));
      const value = wide ? (BigInt(signed ? this.view.getInt32(m + 8, true) : this.view.getUint32(m + 8, true)) << 32n) | low : low;
      out.push([value, this.stringAt(this.view.getUint32(m, true))]);
    }
    return out;
  }

  tracepointArgs(event: string): readonly TracepointArg[] | undefined {
    const typedef = this.typedefId(`btf_trace_${event}`);
    if (typedef === undefined) return undefined;
    const ptr = this.view.getUint32(this.offsetOf(typedef) + 8, true);
    const proto = ptr === 0 || this.kindOf(ptr) !== Kind.PTR ? 0 : this.resolve(this.view.getUint32(this.offsetOf(ptr) + 8, true));
    if (proto === 0 || this.kindOf(proto) !== Kind.FUNC_PROTO) return undefined;
    const at = this.offsetOf(proto);
    const params = this.view.getUint32(at + 4, true) & 0xffff;
    const names = this.argNames(event);
    const out: TracepointArg[] = [];
    for (let i = 1; i < params; i++) {
      const p = at + TYPE_HEADER + 8 * i;
      // A kernel whose BTF names no parameter still gives each argument a name: arg0, arg1, ….
      const name = names.length === params && names[i] !== '' ? names[i]! : `arg${i - 1}`;
      out.push({ name, type: this.ctype(this.view.getUint32(p + 4, true)), index: i - 1 });
    }
    return out;
  }

  struct(name: string): StructType | undefined {
    try {
      const t = this.ctype(this.composite(name));
      return t.kind === 'struct' ? t : undefined;
    } catch (e) {
      if (e instanceof KernelError) return undefined;
      throw e;
    }
  }

  members(struct: StructType): readonly CMember[] {
    let id = struct.id;
    // A forward declaration (`struct foo;`) has its members under the full definition's id.
    if (this.kindOf(id) === Kind.FWD || (this.view.getUint32(this.offsetOf(id) + 4, true) & 0xffff) === 0) {
      if (struct.name === '' || struct.typedef === true) return [];
      id = this.composite(struct.name);
    }
    return this.membersOf(id, 0);
  }

  private membersOf(id: number, base: number): CMember[] {
    const at = this.offsetOf(id);
    const info = this.view.getUint32(at + 4, true);
    const kindFlag = (info & 0x80000000) !== 0;
    const out: CMember[] = [];
    for (let i = 0; i < (info & 0xffff); i++) {
      const m = at + TYPE_HEADER + 12 * i;
      const nameOff = this.view.getUint32(m, true);
      const typeId = this.view.getUint32(m + 4, true);
      const raw = this.view.getUint32(m + 8, true);
      const bits = base + (kindFlag ? raw & 0xffffff : raw);
      const inner = this.resolve(typeId);
      const innerKind = inner === 0 ? 0 : this.kindOf(inner);
      if (nameOff === 0) {
        if (innerKind === Kind.STRUCT || innerKind === Kind.UNION) out.push(...this.membersOf(inner, bits));
        continue;
      }
      const type = this.ctype(typeId);
      // A bitfield: a width in the member (kind flag), or an INT narrower than its bytes.
      const width = kindFlag ? raw >>> 24 : innerKind === Kind.INT ? this.view.getUint32(this.offsetOf(inner) + TYPE_HEADER, true) & 0xff : 0;
      const bitfield = width !== 0 && (type.kind !== 'int' || width !== type.size * 8 || bits % 8 !== 0);
      out.push({ name: this.stringAt(nameOff), type, offset: Math.floor(bits / 8), ...(bitfield ? { bitfield: true as const } : {}) });
    }
    return out;
  }

  /** The C type of type id `id`, typedefs kept as the names of integers and anonymous structs. */
  private ctype(id: number, depth = 0): CType {
    if (id === 0) return { kind: 'void' };
    if (depth > MAX_TYPE_DEPTH) return { kind: 'other', text: '…' };
    const at = this.offsetOf(id);
    const info = this.view.getUint32(at + 4, true);
    const kind = (info >>> 24) & 0x1f;
    const name = this.stringAt(this.view.getUint32(at, true));
    const next = this.view.getUint32(at + 8, true);
    switch (kind) {
      case Kind.INT: {
        const encoding = this.view.getUint32(at + TYPE_HEADER, true) >>> 24;
        return { kind: 'int', name, size: next, signed: (encoding & INT_SIGNED) !== 0 && (encoding & INT_BOOL) === 0 };
      }
      case Kind.ENUM: case Kind.ENUM64:
        return { kind: 'int', name: `enum ${name}`, size: next, signed: (info & 0x80000000) !== 0 };
      case Kind.STRUCT: case Kind.UNION:
        return { kind: 'struct', id, name, size: next, union: kind === Kind.UNION };
      case Kind.FWD:
        return { kind: 'struct', id, name, size: 0, union: (info & 0x80000000) !== 0 };
      case Kind.PTR:
        return { kind: 'pointer', to: this.ctype(next, depth + 1) };
      case Kind.ARRAY: {
        const element = this.view.getUint32(at + TYPE_HEADER, true);
        return { kind: 'array', element: this.ctype(element, depth + 1), length: this.view.getUint32(at + TYPE_HEADER + 8, true) };
      }
      case Kind.TYPEDEF: {
        const t = this.ctype(next, depth + 1);
        if (t.kind === 'int') return { ...t, name };
        if (t.kind === 'struct' && t.name === '') return { ...t, name, typedef: true };
        return t;
      }
      case Kind.VOLATILE: case Kind.CONST: case Kind.RESTRICT: case Kind.TYPE_TAG:
        return this.ctype(next, depth + 1);
      case Kind.FUNC_PROTO: case Kind.FUNC:
        return { kind: 'other', text: 'function' };
      case Kind.FLOAT:
        return { kind: 'other', text: name };
      default:
        return { kind: 'other', text: name === '' ? `BTF kind ${kind}` : name };
    }
  }

  /** The NUL-terminated string at `nameOff` of the string section. */
  private stringAt(nameOff: number): string {
    const start = this.stringsStart + nameOff;
    const end = this.bytes.indexOf(0, start);
    return new TextDecoder().decode(this.bytes.subarray(start, end < 0 || end > this.stringsEnd ? this.stringsEnd : end));
  }

  /** One pass over the type section: where each record starts, and which are structs or unions. */
  private index(): Uint32Array {
    if (this.offsets !== undefined) return this.offsets;
    const view = this.view;
    let offsets = new Uint32Array(1 << 16);
    let id = 1;
    for (let at = this.typesStart; at < this.typesEnd; id++) {
      if (id === offsets.length) {
        const grown = new Uint32Array(offsets.length * 2);
        grown.set(offsets);
        offsets = grown;
      }
      offsets[id] = at;
      const info = view.getUint32(at + 4, true);
      const kind = (info >>> 24) & 0x1f;
      if (kind === Kind.STRUCT || kind === Kind.UNION) this.composites.push(id);
      else if (kind === Kind.ENUM || kind === Kind.ENUM64) this.enums.push(id);
      at += TYPE_HEADER + trailingBytes(kind, info & 0xffff);
    }
    this.offsets = offsets.subarray(0, id);
    return this.offsets;
  }

  private offsetOf(id: number): number {
    const offsets = this.index();
    if (id <= 0 || id >= offsets.length) throw new KernelError('BTF', Errno.EINVAL, { message: `BTF type id ${id} out of range` });
    return offsets[id]!;
  }

  private kindOf(id: number): number {
    return (this.view.getUint32(this.offsetOf(id) + 4, true) >>> 24) & 0x1f;
  }

  /** Whether the NUL-terminated string at `nameOff` equals `name`. */
  private nameIs(nameOff: number, name: Uint8Array): boolean {
    const start = this.stringsStart + nameOff;
    if (start + name.length >= this.stringsEnd || this.bytes[start + name.length] !== 0) return false;
    for (let i = 0; i < name.length; i++) if (this.bytes[start + i] !== name[i]) return false;
    return true;
  }

  /** The id of the struct or union named `name`; a declaration with no members counts only as a last resort. */
  private composite(name: string): number {
    const known = this.byName.get(name);
    if (known !== undefined) return known;
    this.index();
    const wanted = this.encoder.encode(name);
    let found: number | undefined;
    for (const id of this.composites) {
      const at = this.offsets![id]!;
      if (!this.nameIs(this.view.getUint32(at, true), wanted)) continue;
      found = id;
      if ((this.view.getUint32(at + 4, true) & 0xffff) > 0) break;
    }
    if (found === undefined) throw btfError(`the kernel's BTF has no struct '${name}'`);
    this.byName.set(name, found);
    return found;
  }

  /** Follows typedefs and qualifiers to the type they name. */
  private resolve(id: number): number {
    let current = id;
    for (let depth = 0; depth < 32 && current !== 0; depth++) {
      const kind = this.kindOf(current);
      if (kind !== Kind.TYPEDEF && kind !== Kind.VOLATILE && kind !== Kind.CONST && kind !== Kind.RESTRICT && kind !== Kind.TYPE_TAG) {
        return current;
      }
      current = this.view.getUint32(this.offsetOf(current) + 8, true);
    }
    return current;
  }

  /** Bit offset of `member` within composite `id`, searching anonymous struct/union members too. */
  private findMember(id: number, member: Uint8Array): number | undefined {
    const at = this.offsetOf(id);
    const info = this.view.getUint32(at + 4, true);
    const bitfields = (info & 0x80000000) !== 0;
    const vlen = info & 0xffff;
    for (let i = 0; i < vlen; i++) {
      const m = at + TYPE_HEADER + 12 * i;
      const nameOff = this.view.getUint32(m, true);
      const raw = this.view.getUint32(m + 8, true);
      // With the kind flag set, the top 8 bits hold a bitfield width and the rest the bit offset.
      const bits = bitfields ? raw & 0xffffff : raw;
      if (nameOff === 0) {
        const inner = this.resolve(this.view.getUint32(m + 4, true));
        const kind = inner === 0 ? 0 : this.kindOf(inner);
        if (kind === Kind.STRUCT || kind === Kind.UNION) {
          const found = this.findMember(inner, member);
          if (found !== undefined) return bits + found;
        }
      } else if (this.nameIs(nameOff, member)) {
        return bits;
      }
    }
    return undefined;
  }
}

/** A reader over raw BTF bytes (the format of /sys/kernel/btf/vmlinux). */
export function parseBtf(bytes: Uint8Array): Btf {
  return new BtfReader(bytes);
}

let vmlinux: Btf | undefined;

/** Where the kernel's BTF is read; BPFQL_BTF replaces it (another kernel's BTF, or a test's missing file). */
function vmlinuxBtfPath(): string {
  return process.env['BPFQL_BTF'] ?? '/sys/kernel/btf/vmlinux';
}

/** The running kernel's BTF, read on first use and kept. */
export function vmlinuxBtf(): Btf {
  if (vmlinux !== undefined) return vmlinux;
  const path = vmlinuxBtfPath();
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = e instanceof Error && 'code' in e ? String(e.code) : String(e);
    throw new KernelError('BTF', Errno.ENOENT, {
      message: `the kernel's BTF cannot be read at ${path} (${code})`,
      hint: process.env['BPFQL_BTF'] === undefined ? 'this kernel was built without CONFIG_DEBUG_INFO_BTF' : 'the path comes from BPFQL_BTF',
    });
  }
  vmlinux = parseBtf(bytes);
  return vmlinux;
}
