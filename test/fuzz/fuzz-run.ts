// Runs a seeded fuzz campaign in a worker thread and collects what each case came to. A case that
// does not finish within HANG_MS is a hang: the worker is stopped, the case is recorded as a
// failure and a new worker goes on with the next case.
import { Worker } from 'node:worker_threads';
import type { CaseSource } from './cases.js';
import { fuzzCase } from './cases.js';
import type { CaseMessage, WorkerInput } from './fuzz-protocol.js';
import { CaseRunner, SLOW_MS } from './run-cases.js';

/** A case running this long is stopped; slower than SLOW_MS but finished is a failure too. */
export const HANG_MS = 5 * SLOW_MS;

/**
 * The worker's module beside this one: compiled .js, or .ts when run through tsx, whose loader a
 * worker does not inherit and must register itself.
 */
function startWorker(input: WorkerInput): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./fuzz-worker.js', import.meta.url), { workerData: input });
  const module = new URL('./fuzz-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(module)}); });`;
  return new Worker(boot, { eval: true, workerData: input });
}

export interface FuzzFailure {
  readonly index: number;
  /** Replays the case alone: `node dist/test/fuzz/main.js --case-seed <caseSeed>`. */
  readonly caseSeed: number;
  readonly source: CaseSource;
  readonly text: string;
  readonly reason: string;
}

export interface FuzzSummary {
  readonly seed: number;
  readonly cases: number;
  /** Cases per outcome: 'ok', 'failure', or a diagnostic code. */
  readonly outcomes: ReadonlyMap<string, number>;
  readonly sources: ReadonlyMap<CaseSource, number>;
  readonly failures: readonly FuzzFailure[];
  readonly elapsedMs: number;
}

function bump<K>(m: Map<K, number>, k: K): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

export async function runFuzz(seed: number, cases: number): Promise<FuzzSummary> {
  const started = performance.now();
  const outcomes = new Map<string, number>();
  const sources = new Map<CaseSource, number>();
  const failures: FuzzFailure[] = [];
  let tables: CaseRunner['tables'] | undefined;
  let next = 0;
  while (next < cases) {
    const from = next;
    next = await new Promise<number>((resolve, reject) => {
      const progress = new SharedArrayBuffer(4);
      const current = new Int32Array(progress);
      Atomics.store(current, 0, from);
      const input: WorkerInput = { seed, from, to: cases, progress };
      const worker = startWorker(input);
      let done = from;
      let seen = from;
      let since = performance.now();
      const watchdog = setInterval(() => {
        const now = Atomics.load(current, 0);
        if (now !== seen) {
          seen = now;
          since = performance.now();
        } else if (performance.now() - since > HANG_MS) {
          clearInterval(watchdog);
          void worker.terminate();
          // Regenerate the stuck case here: the worker cannot say anything any more.
          tables ??= new CaseRunner().tables;
          const fuzz = fuzzCase(seed, now, tables);
          bump(outcomes, 'failure');
          bump(sources, fuzz.source);
          failures.push({ index: now, caseSeed: fuzz.seed, source: fuzz.source, text: fuzz.text, reason: `no result after ${HANG_MS} ms (hang)` });
          resolve(now + 1);
        }
      }, 50);
      worker.on('message', (m: CaseMessage) => {
        done = m.index + 1;
        bump(outcomes, m.outcome);
        bump(sources, m.source);
        if (m.failure) failures.push({ index: m.index, caseSeed: m.caseSeed, source: m.source, ...m.failure });
      });
      worker.on('error', (e) => {
        clearInterval(watchdog);
        reject(e);
      });
      worker.on('exit', () => {
        clearInterval(watchdog);
        resolve(done);
      });
    });
  }
  return { seed, cases, outcomes, sources, failures, elapsedMs: performance.now() - started };
}

/** A failure as a person replays it. */
export function describeFailure(seed: number, f: FuzzFailure): string {
  const text = f.text.length > 2000 ? `${f.text.slice(0, 2000)}… (${f.text.length} characters)` : f.text;
  return [
    `case ${f.index} of seed ${seed} (${f.source}; replay: node dist/test/fuzz/main.js --case-seed ${f.caseSeed})`,
    `  query: ${JSON.stringify(text)}`,
    `  ${f.reason.split('\n').join('\n  ')}`,
  ].join('\n');
}
