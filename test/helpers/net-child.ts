// The test side of net-traffic.ts: starts it in a cgroup made for it (so that a query can take
// exactly its events by cgroup_id) and, where asked, in a network namespace.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { CommandCgroup, findCgroup2 } from '../../src/kernel/cgroup.js';
import { fromRoot } from './paths.js';

/** One connection, as the client saw it. */
export interface Transfer {
  readonly clientPort: number;
  readonly serverPort: number;
  /** Bytes the client wrote and the server read. */
  readonly sent: number;
  /** Bytes the server wrote and the client read. */
  readonly received: number;
  /** Milliseconds from connect(2) to the client's socket closed. */
  readonly ms: number;
  /** CLOCK_MONOTONIC milliseconds at the start and end of `ms`, from the C peers (tcp-peers.ts). */
  readonly start?: number;
  readonly end?: number;
}

/** What the server writes back for a request of `size` bytes: different from it, and never 0. */
export function reply(size: number): number {
  return Math.floor(size / 3) + 5;
}

let made = 0;

export class NetChild {
  private constructor(
    private readonly child: ChildProcess,
    private readonly lines: string[],
    private readonly cgroup: CommandCgroup,
    private readonly exited: Promise<void>,
  ) {}

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** What bpf_get_current_cgroup_id() gives in the child. */
  get cgroupId(): bigint {
    return this.cgroup.id;
  }

  /**
   * Starts net-traffic.ts (or `program`, which talks the same way) with `args`, in its own cgroup
   * and, with `netns`, that namespace, and with `cpu` on that CPU alone; resolves once it waits
   * for go().
   */
  static async start(args: readonly string[], where: { readonly netns?: string; readonly program?: string; readonly cpu?: number | undefined } = {}): Promise<NetChild> {
    const cgroup = CommandCgroup.create(findCgroup2(), `bpfql-test-net-${process.pid}-${++made}`);
    const argv = [
      ...(where.netns === undefined ? [] : ['ip', 'netns', 'exec', where.netns]),
      ...(where.cpu === undefined ? [] : ['taskset', '-c', String(where.cpu)]),
      ...(where.program === undefined ? [process.execPath, fromRoot('dist', 'test', 'helpers', 'net-traffic.js')] : [where.program]),
      ...args,
    ];
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const lines: string[] = [];
    try {
      writeFileSync(cgroup.procsFile, String(child.pid));
      await new Promise<void>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (l) => {
          lines.push(l);
          if (l === 'ready') resolve();
        });
        void exited.then(() => reject(new Error(`net-traffic ${args.join(' ')} ended before it was ready`)));
      });
    } catch (e) {
      child.kill('SIGKILL');
      await exited;
      await cgroup.remove();
      throw e;
    }
    return new NetChild(child, lines, cgroup, exited);
  }

  /** Lets it run; resolves with its connections once it is done. */
  async go(): Promise<Transfer[]> {
    this.child.stdin!.write('go\n');
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (this.lines.includes('done')) {
          clearInterval(check);
          resolve();
        }
      }, 10);
      void this.exited.then(() => {
        clearInterval(check);
        if (this.lines.includes('done')) resolve();
        else reject(new Error(`net-traffic ended early: ${this.lines.join('\n')}`));
      });
    });
    return this.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Transfer);
  }

  /** Ends the child (a server runs until then) and removes its cgroup. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
    await this.cgroup.remove(5000);
  }
}
