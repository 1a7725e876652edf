// The cost of `socket_io` aggregation on a loopback transfer at full speed (tcptop's question):
// the transfer's throughput with the query attached against without, rounds interleaved so both
// see the same drift. The query's own sum for the transfer is checked against the bytes moved.
import { execFileSync, spawn } from 'node:child_process';
import { CLI } from '../test/helpers/cli.js';
import { join } from 'node:path';
import { collect, interruptAndTime, sleep, track } from './procs.js';
import { median } from './stats.js';

const TRANSFER_COMM = 'bpfql-transfer';
/** How long after attaching the transfer starts. */
const SETTLE_MS = 3_000;

export interface SocketIoResult {
  readonly bytesPerRun: number;
  /** Bytes per second, untraced and traced, one value per run. */
  readonly untraced: readonly number[];
  readonly traced: readonly number[];
  /** Per round, traced / the mean of the untraced runs around it. */
  readonly ratios: readonly number[];
  /** Bytes the query summed for the transfer's comm in each traced run (sent + received). */
  readonly counted: readonly number[];
}

function buildTransfer(root: string): string {
  const path = join(root, 'bench', 'out', TRANSFER_COMM);
  execFileSync('gcc', ['-O2', '-Wall', '-Wextra', '-pthread', '-o', path, join(root, 'bench', 'transfer.c')], { stdio: 'pipe' });
  return path;
}

async function transfer(path: string, bytes: number): Promise<number> {
  const { stdout } = await collect(spawn(path, [String(bytes)], { stdio: ['ignore', 'pipe', 'pipe'] }));
  return Number(stdout.trim());
}

async function tracedTransfer(path: string, bytes: number): Promise<{ rate: number; counted: number }> {
  const query = `SELECT comm, sum(bytes) AS moved FROM socket_io WHERE comm = '${TRANSFER_COMM}' GROUP BY comm FOR 120s`;
  const child = spawn(process.execPath, [CLI, '--verbose', '--format', 'json', query], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const t = track(child);
  try {
    for (let waited = 0; !/attached/.test(stderr); waited += 20) {
      if (waited > 60_000 || child.exitCode !== null) throw new Error(`bpfql did not attach: ${stderr.trim()}`);
      await sleep(20);
    }
    // Right after attaching the CLI loads DuckDB, which takes a CPU for a while; the steady
    // state is what a long-running tcptop costs.
    await sleep(SETTLE_MS);
    const rate = await transfer(path, bytes);
    await interruptAndTime(t);
    const { stdout } = await t.closed;
    const rows = JSON.parse(stdout) as { comm: string; moved: number }[];
    return { rate, counted: rows.find((r) => r.comm === TRANSFER_COMM)?.moved ?? 0 };
  } finally {
    if (t.child.exitCode === null) t.child.kill('SIGKILL');
  }
}

export async function measureSocketIo(root: string, opts: { readonly rounds: number; readonly bytes: number }): Promise<SocketIoResult> {
  const path = buildTransfer(root);
  const untraced = [await transfer(path, opts.bytes)];
  const traced: number[] = [];
  const ratios: number[] = [];
  const counted: number[] = [];
  for (let i = 0; i < opts.rounds; i++) {
    const run = await tracedTransfer(path, opts.bytes);
    untraced.push(await transfer(path, opts.bytes));
    traced.push(run.rate);
    counted.push(run.counted);
    ratios.push(run.rate / ((untraced[i]! + untraced[i + 1]!) / 2));
  }
  return { bytesPerRun: opts.bytes, untraced, traced, ratios, counted };
}

/** The throughput lost to tracing, as a share (0.03 = 3 %), from the median ratio. */
export function throughputDrop(r: SocketIoResult): number {
  return 1 - median(r.ratios);
}
