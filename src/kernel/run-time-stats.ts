// The kernel counts how long each BPF program runs (bpf_prog_info.run_time_ns) only while
// statistics are on: while the sysctl kernel.bpf_stats_enabled is 1, or while some process holds
// a descriptor from BPF_ENABLE_STATS. Holding the descriptor is the way that undoes itself: the
// kernel stops counting (unless someone else asked) when it is closed, or when the process dies.
import { readFileSync } from 'node:fs';
import { BpfCmd, EnableStats } from './bpf-cmd.js';
import { KernelError } from './errors.js';
import { sys } from './sys.js';

/** Whether the sysctl has statistics on now (false where it cannot be read). */
export function runTimeStatsOn(): boolean {
  try {
    return readFileSync('/proc/sys/kernel/bpf_stats_enabled', 'utf8').trim() === '1';
  } catch {
    return false;
  }
}

/** Turns run-time statistics on until the returned function is called. */
export function enableRunTimeStats(): () => void {
  const attr = Buffer.alloc(EnableStats.size);
  attr.writeUInt32LE(EnableStats.RUN_TIME, EnableStats.type);
  const s = sys();
  const fd = s.bpf(BpfCmd.ENABLE_STATS, attr, attr.length);
  if (fd < 0) throw new KernelError('BPF_ENABLE_STATS', -fd, { subject: 'run-time statistics' });
  return () => void s.close(fd);
}
