// The kernel's symbol table as /proc/kallsyms shows it ("ffffffff81000000 T _stext [module]"),
// kept as sorted addresses for naming kernel stack frames.

export interface KernelSymbol {
  readonly name: string;
  /** Bytes from the symbol's start. */
  readonly offset: bigint;
}

/** Text symbols (functions) only: t/T, and w/W for weak ones, which are functions in practice. */
const TEXT_TYPES = new Set(['t', 'T', 'w', 'W']);
/**
 * No kernel function is this long: an address further than this past the last symbol before it
 * lies in no known function (e.g. past the end of a module's text).
 */
const MAX_FUNCTION_BYTES = 1n << 20n;

export class KernelSymbols {
  private constructor(
    private readonly addresses: BigUint64Array,
    private readonly names: readonly string[],
  ) {}

  static parse(text: string): KernelSymbols {
    const entries: { address: bigint; name: string }[] = [];
    for (const line of text.split('\n')) {
      const [addr, type, name] = line.split(/\s+/, 3);
      if (!addr || !type || !name || !TEXT_TYPES.has(type)) continue;
      const address = BigInt(`0x${addr}`);
      // Without CAP_SYSLOG every address reads as zero: nothing can be named then.
      if (address !== 0n) entries.push({ address, name });
    }
    entries.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    return new KernelSymbols(BigUint64Array.from(entries.map((e) => e.address)), entries.map((e) => e.name));
  }

  get size(): number {
    return this.names.length;
  }

  /**
   * An address as a kernel stack frame shows it: `function+0xoffset`, or its hex when no known
   * function holds it. `back` bytes are looked up before it (see Symbolizer) and added back.
   */
  text(address: bigint, back = 0n): string {
    const s = this.lookup(address - back);
    return s ? `${s.name}+0x${(s.offset + back).toString(16)}` : `0x${address.toString(16)}`;
  }

  /** The function an address is in, or undefined when it is in none known. */
  lookup(address: bigint): KernelSymbol | undefined {
    let lo = 0;
    let hi = this.addresses.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.addresses[mid]! <= address) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return undefined;
    const offset = address - this.addresses[found]!;
    return offset < MAX_FUNCTION_BYTES ? { name: this.names[found]!, offset } : undefined;
  }
}
