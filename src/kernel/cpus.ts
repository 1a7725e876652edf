// The CPUs the kernel may ever bring online. Per-CPU map values are laid out with one slot per
// possible CPU (not per online CPU), so this count sizes every per-CPU read.
import { readFileSync } from 'node:fs';

/** Parses the kernel's CPU list format ("0-3", "0,2-3", "0\n") into sorted CPU numbers. */
export function parseCpuList(text: string): number[] {
  const cpus = new Set<number>();
  for (const part of text.trim().split(',')) {
    if (part === '') continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (m === null) throw new Error(`bad CPU list '${text.trim()}': cannot read '${part}'`);
    const first = Number(m[1]);
    const last = m[2] === undefined ? first : Number(m[2]);
    if (last < first) throw new Error(`bad CPU list '${text.trim()}': range ${part} runs backwards`);
    for (let cpu = first; cpu <= last; cpu++) cpus.add(cpu);
  }
  return [...cpus].sort((a, b) => a - b);
}

let cachedPossible: number[] | undefined;

/** The possible CPUs, from /sys/devices/system/cpu/possible (read once). */
export function possibleCpuList(): readonly number[] {
  cachedPossible ??= parseCpuList(readFileSync('/sys/devices/system/cpu/possible', 'latin1'));
  return cachedPossible;
}

/** How many possible CPUs there are: the number of slots in a per-CPU value. */
export function possibleCpus(): number {
  return possibleCpuList().length;
}
