// Stack text for a run's decoders: the symboliser over the run's stack map and /proc; kernel
// addresses named from /proc/kallsyms the same way.
import { readFileSync } from 'node:fs';
import { STACK_DEPTH, STACK_PIDS_MAP, STACKS_MAP } from '../bpf-templates/stacks.js';
import type { BpfMap } from '../kernel/map.js';
import type { Mapping, StackStore, StackText, SymbolSources } from './symbolize.js';
import { Symbolizer } from './symbolize.js';
import { KernelSymbols } from './kallsyms.js';
import type { KernelAddressText } from './row-names.js';
import type { Column } from '../catalog/column.js';

function readOrUndefined(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

export const procSymbolSources: SymbolSources = {
  kallsyms: () => readOrUndefined('/proc/kallsyms')?.toString('latin1'),
  maps: (pid) => readOrUndefined(`/proc/${pid}/maps`)?.toString('latin1'),
  // map_files reaches the very file mapped, even when its path was replaced, deleted or is in another mount namespace.
  mappedFile: (pid, m: Mapping) => readOrUndefined(`/proc/${pid}/map_files/${m.start.toString(16)}-${m.end.toString(16)}`) ?? readOrUndefined(m.path),
};

/** Reads stacks and their processes back from the program's maps. */
function mapStackStore(stacks: BpfMap, pids: BpfMap): StackStore {
  const key = Buffer.alloc(4);
  const frames = Buffer.alloc(8 * STACK_DEPTH);
  const pid = Buffer.alloc(4);
  return {
    frames(id) {
      key.writeUInt32LE(id);
      if (!stacks.lookup(key, frames)) return undefined;
      const out: bigint[] = [];
      for (let i = 0; i < STACK_DEPTH; i++) {
        const ip = frames.readBigUInt64LE(8 * i);
        if (ip === 0n) break;
        out.push(ip);
      }
      return out;
    },
    pidOf(id) {
      key.writeUInt32LE(id);
      if (!pids.lookup(key, pid)) return undefined;
      const v = pid.readUInt32LE(0);
      return v === 0 ? undefined : v;
    },
  };
}

/** Names for a run's kernel-symbol columns, from /proc/kallsyms read once, at the first name; undefined when it has none. */
export function kernelAddressTextFor(columns: readonly Column[]): KernelAddressText | undefined {
  if (!columns.some((c) => c.source.kind === 'kernel-symbol')) return undefined;
  let symbols: KernelSymbols | undefined;
  return {
    name(address) {
      symbols ??= KernelSymbols.parse(procSymbolSources.kallsyms() ?? '');
      return symbols.text(address);
    },
  };
}

/** The stack text of a run whose program keeps stacks; undefined when it keeps none. */
export function stackTextFor(maps: ReadonlyMap<string, BpfMap>): StackText | undefined {
  const stacks = maps.get(STACKS_MAP);
  const pids = maps.get(STACK_PIDS_MAP);
  return stacks && pids ? new Symbolizer(mapStackStore(stacks, pids), procSymbolSources) : undefined;
}
