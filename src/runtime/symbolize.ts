// Turns the stack ids kernel keys and records carry into text: "inner+0x1a;caller+0x2f;…",
// innermost frame first. Kernel frames are named from /proc/kallsyms; user frames from the
// process's mappings (/proc/<pid>/maps) and the ELF symbols of the mapped file. Everything is
// read after the kernel produced the ids and cached per run; a process that has exited by then
// leaves its frames as bare addresses.
import type { StackSpace } from '../catalog/column.js';
import { ElfError, ElfFile } from '../catalog/elf.js';
import { NO_STACK_ID } from '../catalog/nulls.js';
import { KernelSymbols } from './kallsyms.js';

/** Stack text by id, as the decoders ask for it; null when the event had no such stack. */
export interface StackText {
  text(space: StackSpace, id: bigint): string | null;
}

/** The kernel's stack map, read back. */
export interface StackStore {
  /** The addresses of stack `id`, innermost first; undefined when the map has no such id. */
  frames(id: number): readonly bigint[] | undefined;
  /** The process that produced user stack `id`, when known. */
  pidOf(id: number): number | undefined;
}

/** What the symboliser reads from the system; tests give their own. */
export interface SymbolSources {
  /** The text of /proc/kallsyms. */
  kallsyms(): string | undefined;
  /** The text of /proc/<pid>/maps; undefined once the process is gone. */
  maps(pid: number): string | undefined;
  /** The bytes of a file the process maps. */
  mappedFile(pid: number, m: Mapping): Uint8Array | undefined;
}

export interface Mapping {
  readonly start: number;
  readonly end: number;
  /** File offset mapped at `start`. */
  readonly offset: number;
  /** "dev:inode": the file's identity, the same for every process mapping it. */
  readonly file: string;
  /** The path, or a pseudo-name like [vdso]; '' for anonymous memory. */
  readonly path: string;
}

/** Parses /proc/<pid>/maps: "start-end perms offset dev inode path". Only executable mappings matter for stacks. */
export function parseMaps(text: string): Mapping[] {
  const out: Mapping[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+)\s+(\S+)\s+([0-9a-f]+)\s+(\S+)\s+(\d+)\s*(.*)$/.exec(line);
    if (!m || !m[3]!.includes('x')) continue;
    out.push({
      start: Number.parseInt(m[1]!, 16),
      end: Number.parseInt(m[2]!, 16),
      offset: Number.parseInt(m[4]!, 16),
      file: `${m[5]}:${m[6]}`,
      path: m[7]!.trim(),
    });
  }
  return out;
}


/**
 * The frames a raw-tracepoint program's own stack starts with: the program itself (its name holds
 * its tag, different for every program) and the kernel's code that ran it. A classic tracepoint's
 * stack starts at the traced code; so does this one once they are left out, and two programs on
 * one event give the same text.
 */
const PROGRAM_FRAME = /^(bpf_prog_[0-9a-f]+_|bpf_trace_run\d+\+|__bpf_trace_)/;

export function withoutProgramFrames(frames: readonly string[]): readonly string[] {
  let i = 0;
  while (i < frames.length - 1 && PROGRAM_FRAME.test(frames[i]!)) i++;
  return frames.slice(i);
}

const hex = (n: number | bigint): string => `0x${n.toString(16)}`;

export class Symbolizer implements StackText {
  private kernel: KernelSymbols | undefined;
  private readonly texts = new Map<string, string | null>();
  private readonly processes = new Map<number, readonly Mapping[] | undefined>();
  private readonly files = new Map<string, ElfFile | undefined>();

  constructor(private readonly store: StackStore, private readonly sources: SymbolSources) {}

  text(space: StackSpace, id: bigint): string | null {
    const key = `${space}${id}`;
    let t = this.texts.get(key);
    if (t === undefined) {
      t = this.resolve(space, id);
      this.texts.set(key, t);
    }
    return t;
  }

  private resolve(space: StackSpace, id: bigint): string | null {
    if (id < 0n) {
      // Other errors (EEXIST: another stack holds the hash bucket; ENOMEM: the map is full) lost a stack that existed.
      return id === NO_STACK_ID ? null : `[stack lost: error ${-id}]`;
    }
    const frames = this.store.frames(Number(id));
    if (!frames) return `[stack ${id} not in the map]`;
    // Every frame but the innermost is a return address, which points after its call: look up
    // the byte before it, so a call that ends a function is named after that function.
    const back = (i: number): number => (i === 0 ? 0 : 1);
    if (space === 'kernel') return withoutProgramFrames(frames.map((a, i) => this.kernelFrame(a, back(i)))).join(';');
    const pid = this.store.pidOf(Number(id));
    return frames.map((a, i) => this.userFrame(pid, Number(a), back(i))).join(';');
  }

  private kernelFrame(address: bigint, back: number): string {
    this.kernel ??= KernelSymbols.parse(this.sources.kallsyms() ?? '');
    return this.kernel.text(address, BigInt(back));
  }

  private userFrame(pid: number | undefined, address: number, back: number): string {
    const m = pid === undefined ? undefined : this.mappings(pid).find((x) => address >= x.start && address < x.end);
    // Anonymous executable memory (JIT code) has no file to name it from.
    if (!m || pid === undefined || m.path === '') return hex(address);
    if (m.path.startsWith('[')) return `${m.path}+${hex(address - m.start)}`;
    const fileOffset = address - m.start + m.offset;
    const name = `[${m.path.slice(m.path.lastIndexOf('/') + 1)}]`;
    const elf = this.elf(pid, m);
    const vaddr = elf?.addressOf(fileOffset - back);
    const fn = vaddr === undefined ? undefined : elf!.functionAt(vaddr);
    return fn ? `${fn.symbol.name}+${hex(fn.offset + back)}` : `${name}+${hex(fileOffset)}`;
  }

  private mappings(pid: number): readonly Mapping[] {
    if (!this.processes.has(pid)) {
      const text = this.sources.maps(pid);
      this.processes.set(pid, text === undefined ? undefined : parseMaps(text));
    }
    return this.processes.get(pid) ?? [];
  }

  private elf(pid: number, m: Mapping): ElfFile | undefined {
    if (!this.files.has(m.file)) {
      const bytes = this.sources.mappedFile(pid, m);
      let elf: ElfFile | undefined;
      try {
        elf = bytes && ElfFile.parse(bytes);
      } catch (e) {
        if (!(e instanceof ElfError)) throw e;
      }
      this.files.set(m.file, elf);
    }
    return this.files.get(m.file);
  }
}
