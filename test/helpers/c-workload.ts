// The C workload of test/live/programs/workload.c, compiled once per test process and run
// under a unique name, so that its comm picks out exactly the events the test caused.
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fromRoot } from './paths.js';
import { uniqueComm } from './workload.js';

let compiled: { dir: string; path: string } | undefined;

function binary(): string {
  if (!compiled) {
    const dir = mkdtempSync(join(tmpdir(), 'bpfql-workload-'));
    const path = join(dir, 'workload');
    execFileSync('gcc', ['-O1', '-o', path, fromRoot('test', 'live', 'programs', 'workload.c')]);
    compiled = { dir, path };
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return compiled.path;
}

/** Why the C workload cannot run here, or false when it can. */
export function workloadSkip(): string | false {
  return existsSync('/usr/bin/gcc') || existsSync('/bin/gcc') ? false : 'gcc is needed to build the C workload';
}

export interface Exit { readonly code: number | null; readonly signal: NodeJS.Signals | null }

export class Workload {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly comm: string,
    readonly pid: number,
    /** For `touch`: the mapped range [lo, hi). */
    readonly lo: bigint,
    readonly hi: bigint,
    readonly exited: Promise<Exit>,
  ) {}

  /** Starts `workload <args>` under a unique name; resolves once it is waiting for go(). */
  static async start(prefix: string, args: readonly string[]): Promise<Workload> {
    const comm = uniqueComm(prefix);
    const dir = mkdtempSync(join(tmpdir(), 'bpfql-wl-'));
    const path = join(dir, comm);
    copyFileSync(binary(), path);
    const child = spawn(path, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const first = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.once('line', (l) => {
        lines.close();
        resolve(l);
      });
      child.once('error', reject);
      void exited.then((e) => reject(new Error(`workload exited early: ${JSON.stringify(e)}`)));
    });
    const [pid, lo, hi] = first.split(' ');
    return new Workload(child, dir, comm, Number(pid), BigInt(lo!), BigInt(hi!), exited);
  }

  /** Lets it do its work; resolves when it has exited. */
  go(): Promise<Exit> {
    this.child.stdin!.end('go\n');
    return this.exited;
  }

  /** Lets it do its work but keeps its stdin open (`reads` then waits in read(2) until release()). */
  goAndHold(): void {
    this.child.stdin!.write('go\n');
  }

  /** Closes its stdin; resolves when it has exited. */
  release(): Promise<Exit> {
    this.child.stdin!.end();
    return this.exited;
  }

  remove(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
