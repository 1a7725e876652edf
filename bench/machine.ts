// What the bench ran on: every figure belongs to one machine, and to how busy it was.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, release, totalmem } from 'node:os';

export interface Machine {
  readonly cpuModel: string;
  readonly cpus: number;
  /** lscpu's hypervisor vendor, when it is a virtual machine. */
  readonly hypervisor: string | undefined;
  readonly kernel: string;
  readonly node: string;
  readonly memoryGiB: number;
  /** bpftrace's version line, or undefined when not installed. */
  readonly bpftrace: string | undefined;
}

function lscpuField(name: string): string | undefined {
  try {
    const out = execFileSync('lscpu', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return new RegExp(`^${name}:\\s*(.+)$`, 'm').exec(out)?.[1]?.trim();
  } catch {
    return undefined;
  }
}

function cpuModel(): string {
  const fromLscpu = lscpuField('Model name');
  if (fromLscpu !== undefined) return fromLscpu;
  const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
  return m?.[1]?.trim() ?? 'unknown CPU';
}

export function describeMachine(bpftrace: string | undefined): Machine {
  return {
    cpuModel: cpuModel(),
    cpus: availableParallelism(),
    hypervisor: lscpuField('Hypervisor vendor'),
    kernel: release(),
    node: process.version,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    bpftrace,
  };
}

/** The 1-minute load average: other work on the machine while the bench ran. */
export function loadAverage(): number {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

export function machineLine(m: Machine): string {
  const vm = m.hypervisor !== undefined ? `, ${m.hypervisor} guest` : '';
  return `${m.cpuModel}, ${m.cpus} CPUs${vm}, ${m.memoryGiB} GiB; Linux ${m.kernel}; Node ${m.node}; ${m.bpftrace ?? 'bpftrace not installed'}`;
}
