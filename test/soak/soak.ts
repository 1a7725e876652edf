// The soak: a getppid storm from several processes, under a streaming query and an aggregating
// one at the same time, each in its own bpfql process, while both processes' memory is sampled
// every second. The storm counts every call it makes, so each figure can be checked exactly:
//   streaming (ring buffer, counted in DuckDB per 1 s window): delivered + lost == made;
//   aggregating (per-CPU hash in the kernel): the count of each storm process == its calls.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fromRoot } from '../helpers/paths.js';
import type { CliExit } from '../helpers/cli.js';
import { sleep, startCli, waitAttached } from '../helpers/cli.js';
import { uniqueComm } from '../helpers/workload.js';

/**
 * How much higher a bpfql process's peak RSS may be in the second half of the storm than in the
 * first. Measured: the streaming process stays between about 190 and 270 MB at 400 000–600 000
 * events/s, the aggregating one at about 110 MB; a leak of 0.3 MB/s shows within five minutes.
 */
export const RSS_GROWTH_BOUND_MB = 50;

export interface SoakOptions {
  readonly stormMs: number;
  /** Storm processes (each one CPU-bound loop of getppid). */
  readonly storms: number;
}

export interface MemoryFigures {
  /** Every sample of VmRSS, in MB, one a second while the storm ran. */
  readonly samplesMb: readonly number[];
  readonly firstHalfMaxMb: number;
  readonly secondHalfMaxMb: number;
}

export interface SoakFigures {
  readonly comm: string;
  readonly stormMs: number;
  /** getppid calls of each storm process, by pid, as the storm counted them. */
  readonly made: ReadonlyMap<number, number>;
  readonly totalMade: number;
  readonly stream: {
    readonly delivered: ReadonlyMap<number, number>;
    readonly totalDelivered: number;
    readonly lost: number;
    readonly windows: number;
    readonly memory: MemoryFigures;
  };
  readonly aggregate: {
    readonly counted: ReadonlyMap<number, number>;
    readonly lost: number;
    readonly failedUpdates: number;
    readonly memory: MemoryFigures;
  };
}

interface StormResult { readonly pid: number; readonly calls: number }

function storm(comm: string, ms: number): Promise<StormResult> {
  const child = spawn(process.execPath, [fromRoot('dist', 'test', 'soak', 'storm.js'), comm, String(ms)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`storm exited with ${code}`));
      else resolve(JSON.parse(out) as StormResult);
    });
  });
}

/** VmRSS of a live process in MB; undefined once it is gone. */
function rssMb(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function memoryFigures(samples: readonly number[]): MemoryFigures {
  const half = Math.floor(samples.length / 2);
  return {
    samplesMb: samples,
    firstHalfMaxMb: Math.max(...samples.slice(0, half)),
    secondHalfMaxMb: Math.max(...samples.slice(half)),
  };
}

interface Completeness { readonly lostRecords: number; readonly failedUpdates: number; readonly lostPairs: number }

function completenessOf(r: CliExit): Completeness {
  const line = r.stderr.split('\n').find((l) => l.startsWith('{"completeness"'));
  if (!line) throw new Error(`no completeness on stderr: ${r.stderr}`);
  return (JSON.parse(line) as { completeness: Completeness }).completeness;
}

function checkExit(what: string, r: CliExit): void {
  if (r.code !== 0) throw new Error(`${what} query exited with ${r.code ?? r.signal}: ${r.stderr}`);
}

export async function runSoak(opts: SoakOptions): Promise<SoakFigures> {
  const comm = uniqueComm('soak');
  const where = `FROM tracepoint.syscalls.sys_enter_getppid WHERE comm = '${comm}'`;
  // A backstop only: the queries are ended by SIGINT once the storm is over.
  const backstop = `FOR ${Math.ceil(opts.stormMs / 1000) + 120}s`;
  // count(DISTINCT …) cannot be computed in the kernel, so every event travels the ring buffer;
  // EVERY 1s has DuckDB count each window and drop its rows, so the result stays small.
  const streaming = startCli(['--format', 'json', `SELECT pid, count(*) AS n, count(DISTINCT tid) AS threads ${where} GROUP BY pid EVERY 1s ${backstop}`]);
  const aggregating = startCli(['--format', 'json', `SELECT pid, count(*) AS n ${where} GROUP BY pid ${backstop}`]);
  await Promise.all([waitAttached(streaming.pid, 60_000), waitAttached(aggregating.pid, 60_000)]);

  const samples: [number[], number[]] = [[], []];
  const sampler = setInterval(() => {
    [streaming.pid, aggregating.pid].forEach((pid, i) => {
      const mb = rssMb(pid);
      if (mb !== undefined) samples[i]!.push(mb);
    });
  }, 1000);
  let results: StormResult[];
  try {
    results = await Promise.all(Array.from({ length: opts.storms }, () => storm(comm, opts.stormMs)));
  } finally {
    clearInterval(sampler);
  }
  // Let the streaming query drain what the ring buffer still holds, then end both as a user would.
  await sleep(1500);
  process.kill(streaming.pid, 'SIGINT');
  process.kill(aggregating.pid, 'SIGINT');
  const [s, a] = await Promise.all([streaming.done, aggregating.done]);
  checkExit('streaming', s);
  checkExit('aggregating', a);

  const made = new Map(results.map((r) => [r.pid, r.calls]));
  const windows = JSON.parse(s.stdout) as { window_start: string; pid: number; n: number }[];
  const delivered = new Map<number, number>();
  for (const w of windows) delivered.set(w.pid, (delivered.get(w.pid) ?? 0) + w.n);
  const counted = new Map((JSON.parse(a.stdout) as { pid: number; n: number }[]).map((r) => [r.pid, r.n]));
  const sc = completenessOf(s);
  const ac = completenessOf(a);
  const sum = (m: ReadonlyMap<number, number>): number => [...m.values()].reduce((x, y) => x + y, 0);
  return {
    comm,
    stormMs: opts.stormMs,
    made,
    totalMade: sum(made),
    stream: { delivered, totalDelivered: sum(delivered), lost: sc.lostRecords, windows: new Set(windows.map((w) => w.window_start)).size, memory: memoryFigures(samples[0]) },
    aggregate: { counted, lost: ac.lostRecords, failedUpdates: ac.failedUpdates, memory: memoryFigures(samples[1]) },
  };
}

/** What must hold after a soak; empty when everything does. */
export function soakFailures(f: SoakFigures): string[] {
  const out: string[] = [];
  if (f.stream.totalDelivered + f.stream.lost !== f.totalMade) {
    out.push(`streaming: delivered ${f.stream.totalDelivered} + lost ${f.stream.lost} = ${f.stream.totalDelivered + f.stream.lost}, but the storm made ${f.totalMade}`);
  }
  for (const [pid, n] of f.stream.delivered) {
    const made = f.made.get(pid);
    if (made === undefined || n > made) out.push(`streaming: pid ${pid} delivered ${n} rows but made ${made ?? 0} calls`);
  }
  for (const [pid, n] of f.made) {
    const c = f.aggregate.counted.get(pid);
    if (c !== n) out.push(`aggregating: pid ${pid} made ${n} calls, counted ${c ?? 'nothing'}`);
  }
  if (f.aggregate.counted.size !== f.made.size) out.push(`aggregating: ${f.aggregate.counted.size} groups for ${f.made.size} storm processes`);
  if (f.aggregate.lost !== 0 || f.aggregate.failedUpdates !== 0) out.push(`aggregating: ${f.aggregate.lost} lost, ${f.aggregate.failedUpdates} failed updates`);
  for (const [name, m] of [['streaming', f.stream.memory], ['aggregating', f.aggregate.memory]] as const) {
    if (m.samplesMb.length < 4) out.push(`${name}: only ${m.samplesMb.length} memory samples`);
    else if (m.secondHalfMaxMb > m.firstHalfMaxMb + RSS_GROWTH_BOUND_MB) {
      out.push(`${name}: RSS grew from ${m.firstHalfMaxMb.toFixed(1)} MB (first half's max) to ${m.secondHalfMaxMb.toFixed(1)} MB (second half's), more than ${RSS_GROWTH_BOUND_MB} MB`);
    }
  }
  return out;
}

/** The figures as lines of text, for the soak's output and the README. */
export function describeSoak(f: SoakFigures): string[] {
  const mem = (m: MemoryFigures): string =>
    `RSS max ${m.firstHalfMaxMb.toFixed(1)} MB in the first half, ${m.secondHalfMaxMb.toFixed(1)} MB in the second (${m.samplesMb.length} samples)`;
  const pct = f.totalMade === 0 ? 0 : (100 * f.stream.lost) / f.totalMade;
  return [
    `storm: ${f.made.size} processes, ${(f.stormMs / 1000).toFixed(0)} s, ${f.totalMade} getppid calls (${Math.round(f.totalMade / (f.stormMs / 1000))}/s)`,
    `streaming: ${f.stream.totalDelivered} delivered + ${f.stream.lost} lost (${pct.toFixed(2)}%, counted) = ${f.stream.totalDelivered + f.stream.lost}; ${mem(f.stream.memory)}`,
    `aggregating: ${[...f.made].map(([pid, n]) => `pid ${pid} made ${n}, counted ${f.aggregate.counted.get(pid) ?? 0}`).join('; ')}; ${mem(f.aggregate.memory)}`,
  ];
}
