// A reader of the little that bpfql needs from ELF files: the function symbols of .symtab and
// .dynsym, and the loadable segments that relate virtual addresses to file offsets. The catalog
// uses it to place uprobes (the uprobe PMU wants a file offset), the symboliser to name user-space
// stack frames. Bytes in, plain data out: no I/O here. 64-bit little-endian files only (x86_64,
// arm64), which is every binary a tracer meets on these machines.

export class ElfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElfError';
  }
}

export interface ElfSymbol {
  readonly name: string;
  /** Virtual address (st_value). */
  readonly address: number;
  /** Bytes of code; 0 when the symbol table does not say. */
  readonly size: number;
}

export interface LoadSegment {
  readonly fileOffset: number;
  readonly address: number;
  readonly fileSize: number;
}

const SHT_SYMTAB = 2;
const SHT_DYNSYM = 11;
const PT_LOAD = 1;
const STT_FUNC = 2;
const STT_GNU_IFUNC = 10;
const SHN_UNDEF = 0;
const SYM_SIZE = 24;
const SHDR_SIZE = 64;
const PHDR_SIZE = 56;

export class ElfFile {
  /** Defined functions of both symbol tables, by address (one per address and name). */
  readonly functions: readonly ElfSymbol[];
  readonly segments: readonly LoadSegment[];
  private readonly byName = new Map<string, ElfSymbol>();

  private constructor(functions: ElfSymbol[], segments: LoadSegment[]) {
    this.functions = functions;
    this.segments = segments;
    // The first definition of a name wins: .symtab is read before .dynsym and is the fuller one.
    for (const f of functions) if (!this.byName.has(f.name)) this.byName.set(f.name, f);
  }

  static parse(bytes: Uint8Array): ElfFile {
    const r = new Reader(bytes);
    if (bytes.length < 64 || r.u32(0) !== 0x464c457f) throw new ElfError('not an ELF file');
    if (bytes[4] !== 2) throw new ElfError('not a 64-bit ELF file');
    if (bytes[5] !== 1) throw new ElfError('not a little-endian ELF file');
    const phoff = r.u64(0x20);
    const shoff = r.u64(0x28);
    const phnum = r.u16(0x38);
    const shnum = r.u16(0x3c);
    if (r.u16(0x36) !== PHDR_SIZE && phnum > 0) throw new ElfError('unexpected program header size');
    if (r.u16(0x3a) !== SHDR_SIZE && shnum > 0) throw new ElfError('unexpected section header size');

    const segments: LoadSegment[] = [];
    for (let i = 0; i < phnum; i++) {
      const at = phoff + i * PHDR_SIZE;
      if (r.u32(at) === PT_LOAD) segments.push({ fileOffset: r.u64(at + 8), address: r.u64(at + 16), fileSize: r.u64(at + 32) });
    }

    const sections = Array.from({ length: shnum }, (_, i) => {
      const at = shoff + i * SHDR_SIZE;
      return { type: r.u32(at + 4), offset: r.u64(at + 24), size: r.u64(at + 32), link: r.u32(at + 40) };
    });
    const functions: ElfSymbol[] = [];
    const seen = new Set<string>();
    for (const type of [SHT_SYMTAB, SHT_DYNSYM]) {
      for (const s of sections.filter((x) => x.type === type)) {
        const strings = sections[s.link];
        if (!strings) throw new ElfError('symbol table links to no string table');
        for (let at = s.offset; at + SYM_SIZE <= s.offset + s.size; at += SYM_SIZE) {
          const kind = bytes[at + 4]! & 0xf;
          if ((kind !== STT_FUNC && kind !== STT_GNU_IFUNC) || r.u16(at + 6) === SHN_UNDEF) continue;
          const address = r.u64(at + 8);
          if (address === 0) continue;
          const name = r.cString(strings.offset + r.u32(at));
          const key = `${address}:${name}`;
          if (name === '' || seen.has(key)) continue;
          seen.add(key);
          functions.push({ name, address, size: r.u64(at + 16) });
        }
      }
    }
    functions.sort((a, b) => a.address - b.address);
    return new ElfFile(functions, segments);
  }

  find(name: string): ElfSymbol | undefined {
    return this.byName.get(name);
  }

  /** Where the byte at a virtual address sits in the file (what the uprobe PMU wants). */
  fileOffsetOf(address: number): number | undefined {
    const s = this.segments.find((x) => address >= x.address && address < x.address + x.fileSize);
    return s && address - s.address + s.fileOffset;
  }

  /** The virtual address of a file offset (how a mapped stack address is read back). */
  addressOf(fileOffset: number): number | undefined {
    const s = this.segments.find((x) => fileOffset >= x.fileOffset && fileOffset < x.fileOffset + x.fileSize);
    return s && fileOffset - s.fileOffset + s.address;
  }

  /** The function containing `address`, and how far into it the address is. */
  functionAt(address: number): { readonly symbol: ElfSymbol; readonly offset: number } | undefined {
    let lo = 0;
    let hi = this.functions.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.functions[mid]!.address <= address) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // Several symbols may share an address (aliases such as malloc and __libc_malloc): of those
    // whose size covers it, the plainest name is the one people know.
    let best: ElfSymbol | undefined;
    for (let i = found; i >= 0 && this.functions[i]!.address === this.functions[found]!.address; i--) {
      const f = this.functions[i]!;
      if (address < f.address + Math.max(f.size, 1) && (!best || plainer(f.name, best.name))) best = f;
    }
    return best && { symbol: best, offset: address - best.address };
  }
}

/** Fewer leading underscores, then shorter, then alphabetical: a stable choice among aliases. */
function plainer(a: string, b: string): boolean {
  const underscores = (x: string): number => x.length - x.replace(/^_+/, '').length;
  const byUnderscores = underscores(a) - underscores(b);
  if (byUnderscores !== 0) return byUnderscores < 0;
  if (a.length !== b.length) return a.length < b.length;
  return a < b;
}

/** Bounds-checked little-endian reads; a truncated file is an ElfError, not a RangeError. */
class Reader {
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private check(at: number, n: number): void {
    if (at < 0 || at + n > this.bytes.length) throw new ElfError('truncated ELF file');
  }

  u16(at: number): number {
    this.check(at, 2);
    return this.view.getUint16(at, true);
  }

  u32(at: number): number {
    this.check(at, 4);
    return this.view.getUint32(at, true);
  }

  u64(at: number): number {
    this.check(at, 8);
    const v = this.view.getBigUint64(at, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfError(`value ${v} at ${at} is out of range`);
    return Number(v);
  }

  cString(at: number): string {
    this.check(at, 1);
    const end = this.bytes.indexOf(0, at);
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + at, (end < 0 ? this.bytes.length : end) - at).toString('utf8');
  }
}
