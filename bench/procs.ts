// Child processes the bench starts: their output, exit, peak memory, and time to exit on SIGINT.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export type Child = ChildProcess;

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** performance.now() when the exit was seen. */
  readonly at: number;
}

export interface Tracked {
  readonly child: Child;
  readonly pid: number;
  /** Resolves when the process has exited (before its pipes are necessarily drained). */
  readonly exited: Promise<Exit>;
  /** performance.now() of the latest stdout data, or undefined before any. */
  lastOutputAt(): number | undefined;
  /** Resolves when the process has exited and its output is complete. */
  readonly closed: Promise<{ readonly stdout: string; readonly stderr: string; readonly exit: Exit }>;
}

/** Children still running, so that an interrupted bench leaves no tool or workload behind. */
const live = new Set<Child>();

/** Kills every child still running (the bench itself is being interrupted). */
export function killLiveChildren(): void {
  for (const child of live) child.kill('SIGKILL');
}

/** Follows a spawned child: collects stdout/stderr if piped, timestamps its exit. */
export function track(child: Child): Tracked {
  if (child.pid === undefined) throw new Error(`could not start ${child.spawnfile}`);
  live.add(child);
  child.once('exit', () => live.delete(child));
  let stdout = '';
  let stderr = '';
  let lastOutputAt: number | undefined;
  child.stdout?.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
    lastOutputAt = performance.now();
  });
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exited = new Promise<Exit>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() }));
  });
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve())).then(async () => ({
    stdout,
    stderr,
    exit: await exited,
  }));
  return { child, pid: child.pid, exited, closed, lastOutputAt: () => lastOutputAt };
}

/** Waits for a child and returns its output; throws when it fails. */
export async function collect(child: Child): Promise<{ readonly stdout: string; readonly stderr: string }> {
  const { stdout, stderr, exit } = await track(child).closed;
  if (exit.code !== 0) {
    throw new Error(`${child.spawnfile} ${child.spawnargs.slice(1).join(' ')} exited with ${exit.code ?? exit.signal}: ${stderr.trim()}`);
  }
  return { stdout, stderr };
}

/** Peak resident set size of a live process, in bytes (VmHWM in /proc/<pid>/status). */
export function peakRssBytes(pid: number): number {
  const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmHWM for pid ${pid}`);
  return Number(m[1]) * 1024;
}

/** How long a tool gets to exit after SIGINT before it is sent another. */
const INTERRUPT_PATIENCE_MS = 5_000;

export interface Interrupted {
  /** SIGINT (the first) to the process's exit. */
  readonly exitMs: number;
  /** SIGINT to the last of its output (its result), when that came after SIGINT. */
  readonly printedMs: number | undefined;
  /** SIGINTs it took; more than one means the first was not acted on (seen with bpftrace once). */
  readonly interrupts: number;
}

/** Sends SIGINT, again every few seconds if need be; after three, kills the process and throws. */
export async function interruptAndTime(t: Tracked): Promise<Interrupted> {
  const sent = performance.now();
  let interrupts = 0;
  let exit: Exit | undefined;
  while (exit === undefined) {
    if (interrupts === 3) {
      await stop(t);
      throw new Error(`${t.child.spawnfile} did not exit after ${interrupts} SIGINTs`);
    }
    t.child.kill('SIGINT');
    interrupts++;
    exit = await Promise.race([t.exited, sleep(INTERRUPT_PATIENCE_MS).then(() => undefined)]);
  }
  await t.closed;
  const printed = t.lastOutputAt();
  return { exitMs: exit.at - sent, printedMs: printed !== undefined && printed > sent ? printed - sent : undefined, interrupts };
}

/** Kills a helper process and waits for it to be gone. */
export async function stop(t: Tracked): Promise<void> {
  t.child.kill('SIGKILL');
  await t.exited;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
