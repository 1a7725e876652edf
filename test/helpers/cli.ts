// The built CLI as a child process, for tests that signal it, watch its memory or run it as
// another user. Needs `npm run build` (dist/): the tests run the bundle `bpfql` ships.
import { spawn } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { fromRoot } from './paths.js';

/** The `bpfql` command as installed: the bundle scripts/bundle.mjs makes of the built CLI. */
export const CLI = fromRoot('dist', 'bundle', 'cli', 'main.js');

export interface CliExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliChild {
  readonly pid: number;
  readonly done: Promise<CliExit>;
  /** Resolves when the CLI says its query is attached (with `verbose`); rejects if it ends first. */
  readonly attached: Promise<void>;
}

export interface CliSpawnOptions {
  /** Variables added to the environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Runs `command ... node CLI args` instead, e.g. ['setpriv', '--reuid=65534', …]. */
  readonly wrapper?: readonly string[];
  readonly cwd?: string;
  /** Run with --verbose, so that `attached` resolves as each query attaches (the line is left out of stderr). */
  readonly verbose?: boolean;
}

/** What --verbose prints as a query attaches. */
const ATTACHED = /^bpfql: attached/m;
const ATTACHED_LINES = /^bpfql: attached.*\n/gm;

/** Starts `node CLI ...args`, collecting its output. */
export function startCli(args: readonly string[], opts: CliSpawnOptions = {}): CliChild {
  const argv = [...(opts.wrapper ?? []), process.execPath, CLI, ...(opts.verbose ? ['--verbose'] : []), ...args];
  const child = spawn(argv[0]!, argv.slice(1), {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  });
  let stdout = '';
  let stderr = '';
  let attach!: () => void;
  const attached = new Promise<void>((resolve) => (attach = resolve));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (ATTACHED.test(stderr)) attach();
  });
  const done = new Promise<CliExit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr: stderr.replace(ATTACHED_LINES, '') }));
  });
  const attachedOrEnded = Promise.race([attached, done.then((d) => Promise.reject(new Error(`the CLI ended before attaching: ${d.stderr}`)))]);
  // Only tests that wait for the attach care whether it happened.
  attachedOrEnded.catch(() => undefined);
  return { pid: child.pid!, done, attached: attachedOrEnded };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitFor(what: string, cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * How many attachments process `pid` holds: perf events (classic tracepoints, uprobes, samples)
 * and BPF links (raw tracepoints, tp_btf). A query holds one once attached.
 */
export function attachmentFds(pid: number): number {
  let n = 0;
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return 0;
  }
  for (const fd of fds) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (target === 'anon_inode:[perf_event]' || target === 'anon_inode:bpf_link') n++;
    } catch {
      // closed since the directory was read
    }
  }
  return n;
}

/**
 * Waits until the CLI process `pid` has attached its program (holds a perf event or a BPF
 * link). The fd exists an ioctl before a perf event is enabled, so a short pause follows.
 */
export async function waitAttached(pid: number, timeoutMs = 30_000): Promise<void> {
  await waitFor(`process ${pid} to attach its program`, () => attachmentFds(pid) > 0, timeoutMs);
  await sleep(200);
}
