// Workloads tests make themselves, so kernel results can be checked exactly.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Why kernel tests cannot run here, or false when they can. */
export function kernelSkip(): string | false {
  return process.getuid?.() === 0 ? false : 'kernel tests load BPF programs and need root';
}

/** A copy of /bin/true (or of `program`) under a unique name, so its comm identifies this test's events. */
export class NamedProgram {
  readonly dir: string;
  readonly path: string;
  constructor(readonly comm: string, program = '/bin/true') {
    this.dir = mkdtempSync(join(tmpdir(), 'bpfql-test-'));
    this.path = join(this.dir, comm);
    copyFileSync(program, this.path);
  }
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function uniqueComm(prefix: string): string {
  return `${prefix}${process.pid % 10000}${Math.floor(Math.random() * 1000)}`.slice(0, 15);
}

export interface ShellRun {
  readonly pid: number;
  readonly done: Promise<number>;
}

/** Runs a shell script; `pid` is the shell's, so its children's ppid. */
export function shell(script: string): ShellRun {
  const child = spawn('/bin/sh', ['-c', script], { stdio: 'ignore' });
  const done = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? -1));
  });
  return { pid: child.pid!, done };
}

/** Executes `path` n times from one shell. */
export function execTimes(path: string, n: number): ShellRun {
  return shell(`i=0; while [ $i -lt ${n} ]; do ${path}; i=$((i+1)); done`);
}
