// Event → alert latency of `bpfql watch`: a rule matching the workload's getppid calls, the
// workload making them evenly spaced, and this process reading the NDJSON alerts off the pipe.
// Latency is the time a line is read here minus the event's own `ts` (the kernel's clock turned
// into wall time by bpfql), so it covers the ring buffer, decoding, the rule and the write.
import { spawn } from 'node:child_process';
import { CLI } from '../test/helpers/cli.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interruptAndTime, sleep, track, type Tracked } from './procs.js';
import { summarize, type Summary } from './stats.js';
import { GETPPID_ID, startSpaced, WORKLOAD_COMM, type Workload } from './workload.js';

export interface AlertLatency {
  readonly rate: number;
  readonly events: number;
  readonly received: number;
  /** Milliseconds from the event to its alert line being read. */
  readonly latencyMs: Summary & { readonly p99: number; readonly max: number };
  /** p99 of the events after the first second: the steady state, without any start-up delay. */
  readonly steadyP99Ms: number;
  /** CPU bpfql used (all threads) per second of wall time while the events came, as a fraction of one CPU. */
  readonly cpuShare: number;
}

/** Epoch milliseconds (with the fraction) of a UTC timestamp as DuckDB writes it: `2026-12-07 06:25:55.123456`. */
function epochMs(text: string): number {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new Error(`alert ts '${text}' is not a timestamp`);
  return Date.parse(`${m[1]}T${m[2]}Z`) + Number(`0.${m[3] ?? '0'}`) * 1000;
}

/** Wall time now in milliseconds, finer than Date.now(). */
function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat(5), counted after the command name (which ends at the last ')').
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function waitFor(t: Tracked, text: RegExp, timeoutMs: number, stderr: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (text.test(stderr())) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() - started > timeoutMs || t.child.exitCode !== null) {
        clearInterval(poll);
        reject(new Error(`bpfql watch did not attach: ${stderr().trim()}`));
      }
    }, 5);
  });
}

export async function measureAlertLatency(w: Workload, opts: { readonly rate: number; readonly events: number; readonly cpu: number | undefined }): Promise<AlertLatency> {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-bench-alerts-'));
  try {
    const rules = join(dir, 'rules.sql');
    writeFileSync(rules, `CREATE RULE bench_latency AS SELECT ts FROM tracepoint.raw_syscalls.sys_enter WHERE comm = '${WORKLOAD_COMM}' AND id = ${GETPPID_ID};\n`);
    const cli = CLI;
    const cmd = opts.cpu === undefined ? [process.execPath, cli] : ['taskset', '-c', String(opts.cpu), process.execPath, cli];
    const child = spawn(cmd[0]!, [...cmd.slice(1), 'watch', '--format', 'ndjson', '-v', rules], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const latencies: number[] = [];
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      const at = nowMs();
      pending += s;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const alert = JSON.parse(line) as { ts?: unknown };
        if (typeof alert.ts === 'string') latencies.push(at - epochMs(alert.ts));
      }
    });
    const t = track(child);
    try {
      await waitFor(t, /attached/, 30_000, () => stderr);
      const run = startSpaced(w, opts.rate, opts.events);
      const cpuBefore = cpuSeconds(t.pid);
      const started = performance.now();
      run.go();
      await run.done;
      // The last alerts may still be on their way: wait until they stop coming (at most 2 s).
      for (let waited = 0; latencies.length < opts.events && waited < 2_000; waited += 50) await sleep(50);
      const cpuShare = (cpuSeconds(t.pid) - cpuBefore) / ((performance.now() - started) / 1000);
      await interruptAndTime(t);
      if (latencies.length === 0) throw new Error(`no alerts were read: ${stderr.trim()}`);
      const p99 = (values: readonly number[]): number => {
        const sorted = [...values].sort((a, b) => a - b);
        return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!;
      };
      const steady = latencies.slice(opts.rate);
      return {
        rate: opts.rate, events: opts.events, received: latencies.length,
        latencyMs: { ...summarize(latencies), p99: p99(latencies), max: Math.max(...latencies) },
        steadyP99Ms: steady.length > 0 ? p99(steady) : NaN,
        cpuShare,
      };
    } finally {
      if (t.child.exitCode === null) t.child.kill('SIGKILL');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
