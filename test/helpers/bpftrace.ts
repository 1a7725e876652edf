// bpftrace beside bpfql on the same workload: started before the workload, stopped after it, its
// maps read from what it prints at exit. Every test that compares with bpftrace goes through here,
// so that each reads bpftrace's stderr as well as its stdout, and a bpftrace that does not start
// or does not stop fails its test with everything it printed and where its threads wait.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';

export const BPFTRACE = '/usr/bin/bpftrace';
const READY = 'bpftrace-ready';

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
    // 'close', not 'exit': the maps bpftrace prints as it exits must all have been read.
    this.done = new Promise((resolve) => child.on('close', () => resolve()));
  }

  /** Starts `script`; resolves once every probe is attached (BEGIN runs after they are). */
  static async start(script: string, timeoutMs = 60_000): Promise<Bpftrace> {
    const bt = new Bpftrace(spawn(BPFTRACE, ['-e', `BEGIN { printf("${READY}\\n"); }\n${script}`], { stdio: ['ignore', 'pipe', 'pipe'] }));
    try {
      await new Promise<void>((resolve, reject) => {
        bt.child.stdout!.on('data', () => bt.out.includes(READY) && resolve());
        void bt.done.then(() => reject(new Error(`bpftrace ended: ${bt.out}`)));
        setTimeout(() => reject(new Error(`bpftrace did not start in ${timeoutMs} ms: ${bt.out}${bt.waits()}`)), timeoutMs).unref();
      });
    } catch (e) {
      bt.kill();
      throw e;
    }
    return bt;
  }

  /**
   * Stops it (SIGINT: it prints its maps) and gives everything it printed.
   *
   * bpftrace 0.17 (Debian 12's) leaves its event loop only when a signal interrupts its
   * epoll_wait: a SIGINT that comes while it handles the 100 ms wake-up of that loop sets its
   * flag and is never looked at again (seen here on a busy machine: asleep in do_epoll_wait 30 s
   * after SIGINT). Once out of the loop it prints, and a second SIGINT would then kill it before
   * its maps are printed; SIGTERM keeps the flag handler throughout. So while it has printed
   * nothing since the SIGINT, it gets a SIGTERM every second.
   */
  async stop(timeoutMs = 30_000): Promise<string> {
    const before = this.out.length;
    this.child.kill('SIGINT');
    const nudge = setInterval(() => this.out.length === before && this.child.kill('SIGTERM'), 1000);
    try {
      await new Promise<void>((resolve, reject) => {
        void this.done.then(resolve);
        setTimeout(() => reject(new Error(`bpftrace did not end ${timeoutMs} ms after SIGINT: ${this.out}${this.waits()}`)), timeoutMs).unref();
      });
    } finally {
      clearInterval(nudge);
    }
    return this.out;
  }

  /** For finally blocks: ends it if it still runs. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /** Where each of its threads waits (their kernel stacks), for a failure message. */
  private waits(): string {
    const pid = this.child.pid;
    if (pid === undefined) return '';
    try {
      return readdirSync(`/proc/${pid}/task`).map((tid) => {
        const read = (f: string): string => { try { return readFileSync(`/proc/${pid}/task/${tid}/${f}`, 'utf8').trim(); } catch { return '?'; } };
        return `\nthread ${tid} (${read('comm')}) state ${read('stat').split(') ')[1]?.split(' ')[0] ?? '?'}, in ${read('wchan')}:\n${read('stack')}`;
      }).join('');
    } catch {
      return '\n(its threads are gone)';
    }
  }

  /** The entries of map `@name` with integer or word keys, as `key → count`. */
  static counts(out: string, name: string): Map<string, number> {
    return new Map([...out.matchAll(new RegExp(`^@${name}\\[([^\\]]*)\\]: (-?\\d+)$`, 'gm'))].map((m) => [m[1]!, Number(m[2])]));
  }
}
