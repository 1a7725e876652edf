// profile against the real kernel: a program the test compiles burns a known amount of CPU time in
// burn(); its samples must number about that time × the rate, and nearly all must be in burn().
// The README's bcc-profile one-liner is the query of the first test. The last ones check that
// count(ustack) and count(kstack) count the samples that have such a stack, in the kernel as in DuckDB.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Engine, type Outcome } from '../../src/engine/engine.js';
import { BURN_SOURCE, CProgram } from '../helpers/c-program.js';
import { fromRoot } from '../helpers/paths.js';
import { kernelSkip, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();
const prog = skip ? undefined : new CProgram(uniqueComm('pb'), BURN_SOURCE);
after(() => prog?.remove());

/** CPU seconds burnt per test: about 100 samples at the rate tested. */
const BURN_SECONDS = { 99: 1, 49: 2 } as const;

interface Burn {
  readonly outcome: Outcome;
  readonly pid: number;
  /** CPU time the burner used, in seconds, as it measured it. */
  readonly cpuSeconds: number;
}

interface Burns {
  readonly outcomes: readonly Outcome[];
  readonly pid: number;
  readonly cpuSeconds: number;
}

/**
 * Runs `sql`; once attached, starts the burner and ends the query when it says it is done. The
 * burner then sleeps, so its mappings are still there when its user stacks are symbolised, and
 * is stopped once the query returned.
 */
async function runBurn(engine: Engine, sql: string, seconds: number): Promise<Burn> {
  const { outcomes, pid, cpuSeconds } = await runBurns([{ engine, sql }], seconds);
  return { outcome: outcomes[0]!, pid, cpuSeconds };
}

/** runBurn for several queries at once: the burner starts once all are attached and ends them all. */
async function runBurns(runs: readonly { readonly engine: Engine; readonly sql: string }[], seconds: number): Promise<Burns> {
  let child: ChildProcess | undefined;
  const attachedEach = runs.map(() => {
    let attached!: () => void;
    const ready = new Promise<void>((resolve) => (attached = resolve));
    return { attached, ready };
  });
  const ready = Promise.all(attachedEach.map((a) => a.ready));
  const burned = ready.then(
    () =>
      new Promise<number>((resolve, reject) => {
        child = spawn(prog!.path, [String(seconds), '30'], { stdio: ['ignore', 'pipe', 'ignore'] });
        let out = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(Number(out.trim()) / 1e9);
        });
        child.on('error', reject);
        child.on('exit', (code) => reject(new Error(`burner exited early (${code})`)));
      }),
  );
  try {
    const outcomes = await Promise.all(runs.map((r, i) => r.engine.execute(r.sql, { onAttached: attachedEach[i]!.attached, until: burned })));
    return { outcomes, pid: child!.pid!, cpuSeconds: await burned };
  } finally {
    child?.removeAllListeners('exit');
    child?.kill();
  }
}

function rowsOf(o: Outcome): readonly (readonly unknown[])[] {
  assert.equal(o.kind, 'rows');
  return o.kind === 'rows' ? o.result.rows : [];
}

/**
 * Samples expected for `cpuSeconds` of CPU at `hz`. On an idle machine the burner owns its CPU and
 * the count is exact within a sample or two; on a busy one it shares the CPU, and whether it is
 * the one running when the timer fires is a coin toss each time: about 10% standard deviation for
 * ~100 expected samples, so the bounds are 3.5 of those either way (a wrong rate, 2x off, is far outside).
 * The bound stays loose on purpose: it is timing the test does not control, not a count it does.
 */
function assertSampleCount(samples: number, cpuSeconds: number, hz: number): void {
  const expected = cpuSeconds * hz;
  assert.ok(samples >= Math.floor(expected * 0.65) && samples <= Math.ceil(expected * 1.35), `${samples} samples for ${cpuSeconds.toFixed(3)} s of CPU at ${hz} Hz`);
}

/** The README's one-liner, for this test's program. */
function readmeProfileQuery(comm: string): string {
  const line = readFileSync(fromRoot('README.md'), 'utf8').split('\n').find((l) => l.includes('FROM profile WHERE comm ='));
  const sql = line && /"([^"]+)"/.exec(line)?.[1];
  assert.ok(sql, 'the README has the profile one-liner');
  assert.match(sql, /^SELECT ustack, kstack, count\(\*\) AS samples FROM profile WHERE comm = '[^']+' GROUP BY ustack, kstack ORDER BY samples DESC FOR \d+s$/);
  return sql.replace(/comm = '[^']+'/, `comm = '${comm}'`);
}

test("profile: the README's bcc-profile query counts the burner's samples by stack, nearly all in burn()", { skip }, async () => {
  const engine = await Engine.open();
  try {
    const { outcome, cpuSeconds } = await runBurn(engine, readmeProfileQuery(prog!.name), BURN_SECONDS[99]);
    assert.equal(outcome.kind === 'rows' && outcome.kernel?.plan.kernel.mode.kind, 'aggregate');
    const rows = rowsOf(outcome) as readonly (readonly [string | null, string | null, number])[];
    const total = rows.reduce((n, r) => n + r[2], 0);
    assertSampleCount(total, cpuSeconds, 99);
    const inBurn = rows.filter((r) => r[0]?.startsWith('burn+0x')).reduce((n, r) => n + r[2], 0);
    assert.ok(inBurn >= 0.9 * total, `${inBurn} of ${total} samples have burn() as their innermost user frame`);
    // The busiest stack: burn() called from main(); the sample was taken in user mode, so no kernel stack.
    assert.match(rows[0]![0]!, /^burn\+0x[0-9a-f]+;main\+0x[0-9a-f]+(;|$)/);
    assert.equal(rows[0]![1], null);
  } finally {
    await engine.close();
  }
});

test('profile(49): streamed samples of the burner at 49 Hz, each with its pid and stack', { skip }, async () => {
  const engine = await Engine.open();
  try {
    const { outcome, pid, cpuSeconds } = await runBurn(engine, `SELECT pid, ustack FROM profile(49) WHERE comm = '${prog!.name}'`, BURN_SECONDS[49]);
    assert.equal(outcome.kind === 'rows' && outcome.kernel?.plan.kernel.mode.kind, 'stream');
    const rows = rowsOf(outcome) as readonly (readonly [number, string | null])[];
    assertSampleCount(rows.length, cpuSeconds, 49);
    assert.deepEqual([...new Set(rows.map((r) => r[0]))], [pid]);
    const inBurn = rows.filter((r) => r[1]?.startsWith('burn+0x')).length;
    assert.ok(inBurn >= 0.9 * rows.length, `${inBurn} of ${rows.length} samples in burn()`);
  } finally {
    await engine.close();
  }
});

/** Samples of the burner, of the idle tasks (pid 0) and of kernel threads (children of kthreadd, pid 2), at a rate high enough that some of the last two are sampled. */
const SAMPLED = (burner: string): string => `profile(997) WHERE comm = '${burner}' OR pid = 0 OR ppid = 2`;
/** Runs until a kernel thread or idle task was sampled (a machine kept fully busy by other processes may need another round). */
const ATTEMPTS = 3;

test('profile: count(ustack) and count(kstack) count the samples with such a stack, in the kernel exactly as DuckDB counts the decoded stacks', { skip }, async () => {
  const engine = await Engine.open();
  try {
    let noUserStack = 0;
    for (let attempt = 0; attempt < ATTEMPTS && noUserStack === 0; attempt++) {
      // One run: the kernel counts per stack id, and user space decodes the same ids into the text DuckDB counts.
      const { outcome, pid } = await runBurn(engine, `SELECT pid, ustack, kstack, count(*) AS n, count(ustack) AS u, count(kstack) AS k FROM ${SAMPLED(prog!.name)} GROUP BY pid, ustack, kstack`, 1);
      assert.equal(outcome.kind === 'rows' && outcome.kernel?.plan.kernel.mode.kind, 'aggregate');
      const rows = (rowsOf(outcome) as readonly (readonly [number, string | null, string | null, number, number, number])[]).map(([p, ustack, kstack, n, u, k]) => ({ p, ustack, kstack, n, u, k }));
      for (const r of rows) {
        assert.equal(r.u, r.ustack === null ? 0 : r.n, JSON.stringify(r));
        assert.equal(r.k, r.kstack === null ? 0 : r.n, JSON.stringify(r));
      }
      // The burner runs in user mode: its samples have a user stack and, mostly, no kernel one.
      const burner = rows.filter((r) => r.p === pid);
      const sum = (rs: typeof rows, f: (r: (typeof rows)[number]) => number): number => rs.reduce((n, r) => n + f(r), 0);
      assert.ok(sum(burner, (r) => r.u) >= 0.9 * sum(burner, (r) => r.n) && sum(burner, (r) => r.n) > 0, JSON.stringify(burner));
      assert.ok(sum(burner, (r) => r.k) < sum(burner, (r) => r.n), JSON.stringify(burner));
      noUserStack = sum(rows, (r) => r.n - r.u);
      if (noUserStack > 0) {
        // Those are kernel threads' and idle samples, each with a kernel stack.
        const kernel = rows.filter((r) => r.ustack === null);
        assert.ok(kernel.every((r) => r.p !== pid && r.kstack !== null), JSON.stringify(kernel.slice(0, 5)));
      }
    }
    assert.ok(noUserStack > 0, `no kernel thread or idle task sampled in ${ATTEMPTS} runs`);
  } finally {
    await engine.close();
  }
});

test('profile: count(*), count(ustack) and count(kstack) over the burner and kernel threads, planned in the kernel and forced into DuckDB at the same time', { skip }, async () => {
  const planned = await Engine.open();
  // The WHERE clause stays in the kernel: only the samples counted reach DuckDB (and are symbolised).
  const streamed = await Engine.open({ kernelAggregation: false });
  try {
    const sql = `SELECT count(*) AS n, count(ustack) AS u, count(kstack) AS k FROM ${SAMPLED(prog!.name)}`;
    let results: { mode: string | undefined; n: number; u: number; k: number }[] = [];
    for (let attempt = 0; attempt < ATTEMPTS && !(results.length > 0 && results.every((r) => r.u < r.n)); attempt++) {
      const { outcomes } = await runBurns([{ engine: planned, sql }, { engine: streamed, sql }], 1);
      results = outcomes.map((o) => {
        const [n, u, k] = rowsOf(o)[0]!.map(Number) as [number, number, number];
        return { mode: o.kind === 'rows' ? o.kernel?.plan.kernel.mode.kind : undefined, n, u, k };
      });
    }
    assert.deepEqual(results.map((r) => r.mode), ['aggregate', 'stream']);
    // Each side sampled on its own timers, so the numbers differ a little; what they mean does not:
    // user-mode samples of the burner have no kernel stack, kernel threads no user stack.
    for (const r of results) {
      assert.ok(r.n > 0 && r.u > 0 && r.k > 0, JSON.stringify(results));
      assert.ok(r.u < r.n && r.k < r.n, JSON.stringify(results));
    }
  } finally {
    await planned.close();
    await streamed.close();
  }
});
