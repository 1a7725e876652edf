// Reading what the kernel could not record: the counters of the query's stats map, and the
// events the kernel skipped running its programs.
import { Stat, STAT_COUNT } from '../bpf-templates/stats.js';
import { possibleCpus } from '../kernel/cpus.js';
import type { BpfMap } from '../kernel/map.js';
import type { BpfProgram } from '../kernel/program.js';
import type { Completeness } from './completeness.js';
import type { WindowHealth } from './run-options.js';

/** Events skipped by the kernel (another BPF program was running on the CPU), over the query's programs. */
function missedEvents(programs: readonly BpfProgram[]): number {
  try {
    return programs.reduce((n, p) => n + p.recursionMisses(), 0);
  } catch {
    // Kernels before 5.12 neither count nor report them.
    return 0;
  }
}

export function readStats(stats: BpfMap, programs: readonly BpfProgram[]): Completeness {
  const cpus = possibleCpus();
  const slot = STAT_COUNT * 8;
  const value = Buffer.alloc(slot * cpus);
  const key = Buffer.alloc(4);
  let lost = 0n;
  let full = 0n;
  let lostPairs = 0n;
  let lostStacks = 0n;
  if (stats.lookup(key, value)) {
    for (let c = 0; c < cpus; c++) {
      full += value.readBigUInt64LE(c * slot + Stat.mapFull * 8);
      lost += value.readBigUInt64LE(c * slot + Stat.ringLost * 8);
      lostPairs += value.readBigUInt64LE(c * slot + Stat.lostPairs * 8);
      lostStacks += value.readBigUInt64LE(c * slot + Stat.lostStacks * 8);
    }
  }
  return { lostRecords: Number(lost), failedUpdates: Number(full), lostPairs: Number(lostPairs), lostStacks: Number(lostStacks), missedEvents: missedEvents(programs) };
}

/** Nanoseconds the programs ran (BPF stats), 0 where the kernel cannot say. */
function runTimeNs(programs: readonly BpfProgram[]): number {
  try {
    return programs.reduce((n, p) => n + p.runTimeNs(), 0);
  } catch {
    return 0;
  }
}

/** The query's health as a window closes: cheap enough to read once per window. */
export function readHealth(stats: BpfMap, programs: readonly BpfProgram[]): WindowHealth {
  return { completeness: readStats(stats, programs), programs: programs.length, runTimeNs: runTimeNs(programs) };
}
