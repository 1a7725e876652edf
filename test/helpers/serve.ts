// `bpfql serve` as a child process for live tests: started on a free loopback port, its address
// read from what it says, its /metrics read and its samples picked out.
import { spawn } from 'node:child_process';
import { CLI, waitFor } from './cli.js';

export interface ServeChild {
  readonly pid: number;
  /** http://127.0.0.1:PORT */
  readonly base: string;
  readonly stderr: () => string;
  readonly exit: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

/** Starts `bpfql serve -v --listen 127.0.0.1:0 ...args`; resolves once it listens and every metric is attached. */
export async function startServe(args: readonly string[], metrics: number): Promise<ServeChild> {
  const child = spawn(process.execPath, [CLI, 'serve', '-v', '--listen', '127.0.0.1:0', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
  let ended = false;
  void exit.then(() => (ended = true));
  try {
    await waitFor(`serve attached ${metrics} metric(s)`, () => ended || new RegExp(`^bpfql serve: attached ${metrics} metric`, 'm').test(err), 30_000);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  if (ended) throw new Error(`bpfql serve ended: ${err}`);
  const base = /listening on (http:\/\/[^/]+)\/metrics/.exec(err)![1]!;
  return { pid: child.pid!, base, stderr: () => err, exit, kill: (s) => void child.kill(s) };
}

/** The value of the sample written exactly `series` (name and labels), or undefined. */
export function sample(exposition: string, series: string): number | undefined {
  const line = exposition.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

export async function metricsText(base: string): Promise<string> {
  const r = await fetch(`${base}/metrics`);
  return r.text();
}
