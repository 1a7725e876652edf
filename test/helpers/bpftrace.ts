// bpftrace beside bpfql on the same workload: started before the workload, stopped after it, its
// maps read from what it prints at exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export const BPFTRACE = '/usr/bin/bpftrace';

/** Why bpftrace cannot run beside a test, or false when it can. */
export function bpftraceSkip(): string | false {
  return existsSync(BPFTRACE) ? false : 'bpftrace is not installed';
}

export class Bpftrace {
  private out = '';
  private readonly done: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout!.on('data', (d: Buffer) => (this.out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.out += d.toString()));
    this.done = new Promise((resolve) => child.on('close', () => resolve()));
  }

  /** Starts `script`; resolves once every probe is attached (BEGIN runs after they are). */
  static async start(script: string): Promise<Bpftrace> {
    const bt = new Bpftrace(spawn(BPFTRACE, ['-e', `BEGIN { printf("bpftrace-ready\\n"); }\n${script}`], { stdio: ['ignore', 'pipe', 'pipe'] }));
    await new Promise<void>((resolve, reject) => {
      bt.child.stdout!.on('data', () => bt.out.includes('bpftrace-ready') && resolve());
      void bt.done.then(() => reject(new Error(`bpftrace ended: ${bt.out}`)));
    });
    return bt;
  }

  /** Stops it (SIGINT: it prints its maps) and gives everything it printed. */
  async stop(): Promise<string> {
    this.child.kill('SIGINT');
    await this.done;
    return this.out;
  }

  /** For finally blocks: ends it if it still runs. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /** The entries of map `@name` with integer or word keys, as `key → count`. */
  static counts(out: string, name: string): Map<string, number> {
    return new Map([...out.matchAll(new RegExp(`^@${name}\\[([^\\]]*)\\]: (-?\\d+)$`, 'gm'))].map((m) => [m[1]!, Number(m[2])]));
  }
}
