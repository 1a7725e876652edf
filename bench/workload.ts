// Builds bench/workload.c and runs it. The binary's name is the comm every filtered query selects
// on, so it must stay at most 15 characters.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { collect, track, type Child, type Tracked } from './procs.js';

export const WORKLOAD_COMM = 'bpfql-workload';
/** __NR_getppid on x86_64: the syscall id the filtered queries group by and the stream keeps. */
export const GETPPID_ID = 110;

export interface Workload {
  readonly path: string;
  /** The CPU the workload runs on, or undefined when the machine has one CPU (no pinning). */
  readonly cpu: number | undefined;
  /**
   * Runs at nice -20 (root only): on a shared machine the other processes on its CPU then take
   * little of its time, so its rate reflects the tracing, not the neighbours. Still CFS, not
   * real-time: nothing is starved.
   */
  readonly niced: boolean;
}

export function buildWorkload(root: string, cpus: number, niced: boolean): Workload {
  const out = join(root, 'bench', 'out');
  mkdirSync(out, { recursive: true });
  const path = join(out, WORKLOAD_COMM);
  execFileSync('gcc', ['-O2', '-Wall', '-Wextra', '-o', path, join(root, 'bench', 'workload.c')], { stdio: 'pipe' });
  return { path, cpu: cpus > 1 ? cpus - 1 : undefined, niced };
}

/** The command line that runs `args` on the workload's CPU (each wrapper execs: the pid stays the workload's). */
function pinned(w: Workload, args: readonly string[]): [string, string[]] {
  const cmd = [...(w.niced ? ['nice', '-n', '-20'] : []), ...(w.cpu === undefined ? [] : ['taskset', '-c', String(w.cpu)]), w.path, ...args];
  return [cmd[0]!, cmd.slice(1)];
}

export interface LoopTiming {
  readonly wallNs: number;
  /** The thread's CPU time: the same as wall time unless something else ran on its CPU. */
  readonly cpuNs: number;
}

/** Runs `n` getppid calls back to back and returns how long they took. */
export async function runLoop(w: Workload, n: number): Promise<LoopTiming> {
  const [cmd, args] = pinned(w, ['loop', String(n)]);
  const out = (await collect(spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] }))).stdout.trim().split(' ');
  if (out.length !== 2) throw new Error(`workload printed '${out.join(' ')}', expected "<wall ns> <cpu ns>"`);
  return { wallNs: Number(out[0]), cpuNs: Number(out[1]) };
}

/** About 10 000 getppid calls a second until killed: makes a freshly attached tool count soon. */
export function startTicker(w: Workload): Tracked {
  const [cmd, args] = pinned(w, ['tick']);
  return track(spawn(cmd, args, { stdio: 'ignore' }));
}

export interface PacedTiming {
  readonly calls: number;
  readonly wallNs: number;
  /** Less than wallNs when other processes had the workload's CPU part of the time. */
  readonly cpuNs: number;
}

export interface PacedRun {
  readonly child: Child;
  /** Starts the calls. */
  go(): void;
  /** Resolves with the calls made and the time they took, once the workload exits. */
  readonly done: Promise<PacedTiming>;
}

/** `n` getppid calls at `rate` per second (0: unpaced), starting when go() is called. */
export function startPaced(w: Workload, rate: number, n: number): PacedRun {
  const [cmd, args] = pinned(w, ['rate', String(rate), String(n)]);
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const done = collect(child).then(({ stdout }): PacedTiming => {
    const [calls, wallNs, cpuNs] = stdout.trim().split(' ').map(Number);
    if (calls === undefined || wallNs === undefined || cpuNs === undefined || ![calls, wallNs, cpuNs].every(Number.isFinite)) {
      throw new Error(`paced workload printed '${stdout.trim()}', expected "<calls> <wall ns> <cpu ns>"`);
    }
    return { calls, wallNs, cpuNs };
  });
  return { child, go: () => child.stdin.end('go\n'), done };
}

/** `n` getppid calls evenly spaced at `rate` per second, starting when go() is called. */
export function startSpaced(w: Workload, rate: number, n: number): { readonly go: () => void; readonly done: Promise<void> } {
  const [cmd, args] = pinned(w, ['spaced', String(rate), String(n)]);
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const done = collect(child).then(() => undefined);
  return { go: () => child.stdin.end('go\n'), done };
}
