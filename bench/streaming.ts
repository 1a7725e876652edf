// Measurement 3: rows streamed from the ring buffer into a DuckDB table, at rising event rates.
// The workload makes a fixed number of getppid calls at a target rate; the query keeps exactly
// those (its pid and syscall id, filtered in the kernel). Delivered rows are counted in DuckDB,
// lost ones come from the kernel's counter, and the two must add up to the calls made.
import type { Engine } from '../src/engine/engine.js';
import { roundOrder } from './stats.js';
import { GETPPID_ID, startPaced, type Workload } from './workload.js';

export interface StreamRate {
  /** Target events per second; 0: as fast as the workload can go. */
  readonly rate: number;
  readonly calls: number;
}

/** About one second of events per step; the unpaced step makes 4 M calls. */
export const STREAM_RATES: readonly StreamRate[] = [
  { rate: 100_000, calls: 100_000 },
  { rate: 300_000, calls: 300_000 },
  { rate: 1_000_000, calls: 1_000_000 },
  { rate: 2_000_000, calls: 2_000_000 },
  { rate: 0, calls: 4_000_000 },
];

export interface StreamRun {
  readonly calls: number;
  /** Calls per second the workload achieved. */
  readonly emittedPerSec: number;
  /** The share of its CPU the workload had (the rest went to other processes). */
  readonly workloadCpuShare: number;
  /** CPU time of this process (every thread: draining, decoding, DuckDB) per delivered row. */
  readonly consumerCpuUsPerRow: number;
  readonly delivered: number;
  readonly lost: number;
  /** From the go signal to the query's rows being in DuckDB. */
  readonly seconds: number;
  readonly deliveredPerSec: number;
}

export interface StreamResult {
  readonly step: StreamRate;
  readonly runs: StreamRun[];
}

const TABLE = 'bench_stream';

export async function measureStreaming(
  engine: Engine,
  w: Workload,
  opts: { readonly rounds: number; readonly rates: readonly StreamRate[]; readonly log: (line: string) => void },
): Promise<StreamResult[]> {
  const results = new Map(opts.rates.map((s) => [s, { step: s, runs: [] as StreamRun[] }]));
  for (let round = 0; round < opts.rounds; round++) {
    for (const step of roundOrder(opts.rates, round)) {
      const run = await streamOnce(engine, w, step);
      results.get(step)!.runs.push(run);
      opts.log(
        `  round ${round + 1}/${opts.rounds}: ${step.rate === 0 ? 'unpaced' : `${step.rate / 1e6} M/s`}: ` +
          `emitted ${(run.emittedPerSec / 1e6).toFixed(2)} M/s (${(100 * run.workloadCpuShare).toFixed(0)}% of its CPU), ` +
          `delivered ${(run.deliveredPerSec / 1e6).toFixed(2)} M/s, lost ${run.lost}, ${run.consumerCpuUsPerRow.toFixed(2)} µs CPU/row`,
      );
    }
  }
  return [...results.values()];
}

async function streamOnce(engine: Engine, w: Workload, step: StreamRate): Promise<StreamRun> {
  const paced = startPaced(w, step.rate, step.calls);
  const pid = paced.child.pid;
  if (pid === undefined) throw new Error('the paced workload did not start');
  // Awaited below when all goes well; this keeps a failure elsewhere from leaving it unhandled.
  paced.done.catch(() => undefined);
  let goAt: number | undefined;
  let cpuAtGo: NodeJS.CpuUsage | undefined;
  try {
    const outcome = await engine.execute(
      `CREATE TABLE ${TABLE} AS SELECT id, pid FROM tracepoint.raw_syscalls.sys_enter WHERE pid = ${pid} AND id = ${GETPPID_ID} FOR 60s`,
      {
        until: paced.done,
        onAttached: () => {
          goAt = performance.now();
          cpuAtGo = process.cpuUsage();
          paced.go();
        },
      },
    );
    const endAt = performance.now();
    const cpu = process.cpuUsage(cpuAtGo);
    const made = await paced.done;
    if (outcome.kind !== 'done' || outcome.kernel === undefined || goAt === undefined) throw new Error('the streaming query did not run');
    const count = (await engine.session.run(`SELECT count(*) AS n FROM ${TABLE}`)).rows[0]?.[0];
    const delivered = Number(count);
    const lost = outcome.kernel.completeness.lostRecords;
    if (delivered + lost !== made.calls) {
      throw new Error(`streamed ${delivered} rows and lost ${lost}, but the workload made ${made.calls} calls`);
    }
    const seconds = (endAt - goAt) / 1000;
    return {
      calls: made.calls,
      emittedPerSec: made.calls / (made.wallNs / 1e9),
      workloadCpuShare: made.cpuNs / made.wallNs,
      consumerCpuUsPerRow: (cpu.user + cpu.system) / Math.max(1, delivered),
      delivered,
      lost,
      seconds,
      deliveredPerSec: delivered / seconds,
    };
  } finally {
    if (paced.child.exitCode === null) paced.child.kill('SIGKILL');
    await engine.session.run(`DROP TABLE IF EXISTS ${TABLE}`);
    engine.teardownKernel();
  }
}
