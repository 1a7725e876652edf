// `bpfql serve` as a service: its own CPU and memory over a long run of ten standing queries
// under a steady syscall workload, and how long one scrape of 10,000 series takes.
// The kernel-side cost (the programs) is paid by the traced workload, not by the server: the
// server's own CPU is what it adds beyond that.
import { spawn } from 'node:child_process';
import { CLI } from '../test/helpers/cli.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { close, listen } from '../src/cli/serve/http.js';
import { manySeriesFamilies } from '../test/helpers/metric-families.js';
import { interruptAndTime, sleep, track } from './procs.js';
import { summarize, type Summary } from './stats.js';
import { startPaced, type Workload } from './workload.js';

/** Ten metrics of the shapes users write: counters by key, a histogram, quantiles, gauges. */
const METRICS = [
  'CREATE METRIC sys_by_comm AS SELECT comm, count(*) AS total FROM tracepoint.raw_syscalls.sys_enter GROUP BY comm EVERY 10s;',
  'CREATE METRIC sys_by_id AS SELECT id, count(*) AS total FROM tracepoint.raw_syscalls.sys_enter GROUP BY id EVERY 10s;',
  'CREATE METRIC sys_latency AS SELECT comm, hist(latency_ns) AS latency_ns FROM syscalls GROUP BY comm EVERY 10s;',
  'CREATE METRIC sys_p99 AS SELECT syscall, p99(latency_ns) AS p99_ns FROM syscalls GROUP BY syscall EVERY 10s;',
  'CREATE METRIC execs AS SELECT comm, count(*) AS total FROM exec GROUP BY comm EVERY 10s;',
  'CREATE METRIC forks AS SELECT comm, count(*) AS total FROM fork GROUP BY comm EVERY 10s;',
  'CREATE METRIC switches AS SELECT cpu, count(*) AS total FROM sched_switch GROUP BY cpu EVERY 10s;',
  'CREATE METRIC opens AS SELECT comm, count(*) AS total FROM open GROUP BY comm EVERY 10s;',
  'CREATE METRIC exits AS SELECT comm, count(*) AS total, max(exit_code) AS worst FROM exit GROUP BY comm EVERY 10s;',
  'CREATE METRIC reads AS SELECT comm, sum(returned) AS bytes, avg(returned) AS mean_bytes FROM read GROUP BY comm EVERY 10s;',
];

export interface ServeRun {
  readonly minutes: number;
  readonly rate: number;
  /** Calls the workload made per second, measured. */
  readonly achievedRate: number;
  /** The server's CPU (all threads) as a share of one CPU, over the whole run after warm-up. */
  readonly cpuShare: number;
  /** RSS samples (bytes) every 10 s after warm-up. */
  readonly rssAfterWarmup: Summary;
  /** The same samples in the order they were taken, MB: whether RSS grew, swung or ramped. */
  readonly rssSeriesMb: readonly number[];
  /** Scrapes of the live server during the run, in ms (a few hundred series). */
  readonly liveScrapeMs: Summary;
  readonly liveSeries: number;
}

export interface ScrapeResult {
  readonly series: number;
  readonly bytes: number;
  readonly ms: Summary;
}

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** GET `url`; resolves with the body's size and the time to its last byte. */
function timedGet(url: string): Promise<{ ms: number; body: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (s: string) => (body += s));
      res.on('end', () => resolve({ ms: performance.now() - started, body }));
    }).on('error', reject);
  });
}

/**
 * Warm-up before the server's CPU and RSS count: its first windows close, DuckDB has loaded, every
 * metric has its series. The RSS has not always levelled off by then: in the sixth session's runs
 * it took from one to eight minutes (bench/RESULTS.md), and the RSS target counts from here.
 */
const WARM_UP_MS = 60_000;

export async function measureServe(w: Workload, opts: { readonly minutes: number; readonly rate: number; readonly cpu: number | undefined }): Promise<ServeRun> {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-bench-serve-'));
  try {
    const config = join(dir, 'metrics.sql');
    writeFileSync(config, `${METRICS.join('\n')}\n`);
    const cli = CLI;
    const cmd = opts.cpu === undefined ? [process.execPath, cli] : ['taskset', '-c', String(opts.cpu), process.execPath, cli];
    const child = spawn(cmd[0]!, [...cmd.slice(1), 'serve', '--listen', '127.0.0.1:0', '--host', 'bench', '-v', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const t = track(child);
    try {
      let url: string | undefined;
      for (let waited = 0; url === undefined; waited += 50) {
        url = /listening on (http:\/\/\S+)/.exec(stderr)?.[1];
        if (waited > 60_000 || child.exitCode !== null) throw new Error(`bpfql serve did not start: ${stderr.trim()}`);
        await sleep(50);
      }
      const runMs = opts.minutes * 60_000;
      const run = startPaced(w, opts.rate, Math.round((opts.rate * (runMs + WARM_UP_MS)) / 1000));
      run.go();
      await sleep(WARM_UP_MS);
      const cpuBefore = cpuSeconds(t.pid);
      const started = performance.now();
      const rss: number[] = [];
      const scrapes: number[] = [];
      let series = 0;
      while (performance.now() - started < runMs) {
        await sleep(10_000);
        rss.push(rssBytes(t.pid));
        const s = await timedGet(url);
        scrapes.push(s.ms);
        series = s.body.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
      }
      const cpuShare = (cpuSeconds(t.pid) - cpuBefore) / ((performance.now() - started) / 1000);
      const timing = await run.done;
      await interruptAndTime(t);
      return {
        minutes: opts.minutes,
        rate: opts.rate,
        achievedRate: timing.calls / (timing.wallNs / 1e9),
        cpuShare,
        rssAfterWarmup: summarize(rss),
        rssSeriesMb: rss.map((b) => Math.round(b / 1e5) / 10),
        liveScrapeMs: summarize(scrapes),
        liveSeries: series,
      };
    } finally {
      if (t.child.exitCode === null) t.child.kill('SIGKILL');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One scrape of `series` label sets (each a counter, a gauge and a histogram, as the accumulator
 * makes them) through serve's own HTTP handler on loopback: rendering plus transfer.
 */
export async function measureScrape(series: number, rounds: number): Promise<ScrapeResult> {
  const families = manySeriesFamilies(series);
  const { server, address } = await listen({ host: '127.0.0.1', port: 0 }, () => families);
  try {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < rounds; i++) {
      const r = await timedGet(`http://${address}/metrics`);
      times.push(r.ms);
      bytes = Buffer.byteLength(r.body);
    }
    return { series, bytes, ms: summarize(times) };
  } finally {
    await close(server);
  }
}
