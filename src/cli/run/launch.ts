// Starts the traced command inside its cgroup. A small shell moves itself into the cgroup and then
// execs the command, so the command is inside before its first instruction and every process it
// starts is too; the shell's own start-up happens outside and is not traced.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

export interface CommandExit {
  /** The exit code; null when a signal ended the command. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly durationMs: number;
}

export interface Launched {
  readonly exited: Promise<CommandExit>;
  /** Passes a signal on to the command (Ctrl-C of bpfql run, a CI job being cancelled). */
  kill(signal: NodeJS.Signals): void;
}

/** A word the shell reads back literally. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The shell script that joins the cgroup and becomes the command given as its arguments. */
export function joinScript(procsFile: string): string {
  return `echo $$ > ${shellQuote(procsFile)} && exec "$@"`;
}

/** The exit status a shell would report: the code, or 128 + the signal's number. */
export function exitStatus(e: Pick<CommandExit, 'code' | 'signal'>): number {
  if (e.code !== null) return e.code;
  return 128 + (e.signal !== null ? constants.signals[e.signal] : 0);
}

/** Starts `command` in the cgroup whose `cgroup.procs` is `procsFile`, sharing bpfql's stdio. */
export function launchInCgroup(procsFile: string, command: readonly string[]): Launched {
  const started = performance.now();
  // $0 names the shell in its own error messages ("bpfql-run: 1: exec: nosuch: not found").
  const child = spawn('/bin/sh', ['-c', joinScript(procsFile), 'bpfql-run', ...command], { stdio: 'inherit' });
  const exited = new Promise<CommandExit>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, durationMs: performance.now() - started }));
  });
  return {
    exited,
    kill: (signal) => {
      child.kill(signal);
    },
  };
}
