// `bpfql watch` as a child process for live tests: its alert lines parsed as they come, its
// stderr kept, and the cgroup v2 a test runs its workloads in (so other processes on the machine
// cannot add alerts to what the test counts).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cgroup2MountPoint } from '../../src/kernel/cgroup.js';
import { CLI, sleep, waitFor } from './cli.js';

export interface WatchChild {
  readonly pid: number;
  /** Alert lines so far (stdout), parsed. */
  lines(): Record<string, unknown>[];
  stderr(): string;
  /** Waits for the verbose `bpfql: attached, N rules` line. */
  attached(): Promise<void>;
  readonly closed: Promise<number | null>;
  signal(s: NodeJS.Signals): void;
}

export function startWatch(args: readonly string[]): WatchChild {
  const child = spawn(process.execPath, [CLI, 'watch', '-v', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    pid: child.pid!,
    lines: () => out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>),
    stderr: () => err,
    attached: () => waitFor('the rules attached', () => /^bpfql: attached, \d+ rules$/m.test(err), 60_000),
    closed,
    signal: (s) => void child.kill(s),
  };
}

/** The JSON summary lines bpfql watch writes on stderr for each rule as it ends, by rule name. */
export function ruleSummaries(stderr: string): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const line of stderr.split('\n')) {
    if (!line.startsWith('{"rule":')) continue;
    const s = JSON.parse(line) as Record<string, unknown>;
    out.set(String(s['rule']), s);
  }
  return out;
}

/** A cgroup v2 of the test's own: commands started through run() join it before they exec. */
export class TestCgroup {
  readonly dir: string;

  constructor(name: string) {
    const mount = cgroup2MountPoint(readFileSync('/proc/self/mountinfo', 'utf8'));
    if (mount === undefined) throw new Error('no cgroup v2 mounted');
    this.dir = join(mount, `${name}-${process.pid}`);
    mkdirSync(this.dir);
  }

  get id(): bigint {
    return statSync(this.dir, { bigint: true }).ino;
  }

  /** Runs argv inside the cgroup (a shell joins it, then execs argv); resolves with the exit code. */
  run(argv: readonly string[]): Promise<number | null> {
    const child = spawn('/bin/sh', ['-c', `echo $$ > '${join(this.dir, 'cgroup.procs')}' && exec "$@"`, 'sh', ...argv], { stdio: 'ignore' });
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
  }

  /** Removes the cgroup once its processes have left it. */
  async remove(): Promise<void> {
    for (let i = 0; ; i++) {
      try {
        rmdirSync(this.dir);
        return;
      } catch (e) {
        if (i >= 100) throw e;
        await sleep(50);
      }
    }
  }
}
