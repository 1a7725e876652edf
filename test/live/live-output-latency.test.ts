// The must-shows for live output: 100 execs made 20 ms apart each reach an NDJSON reader
// within 100 ms of the exec (the row's own ts, the kernel's wall clock, against the moment the
// line arrives), and `| head -3` ends bpfql with exit 0 leaving none of its programs or links
// in the kernel (bpftool says each id it held is gone).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { CLI, sleep, waitFor } from '../helpers/cli.js';
import { heldBpf } from '../helpers/held-bpf.js';
import { kernelSkip, NamedProgram, shell, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();

/** A DuckDB timestamp text (UTC) as ms since the epoch. */
function tsMs(ts: string): number {
  return Date.parse(`${ts.replace(' ', 'T')}Z`);
}

test('100 execs 20 ms apart: each line reaches the reader within 100 ms of its exec', { skip }, async () => {
  const prog = new NamedProgram(uniqueComm('la'));
  const child = spawn(process.execPath, [CLI, '--verbose', '--format', 'ndjson', `SELECT ts, pid FROM exec WHERE comm = '${prog.comm}'`], { stdio: ['ignore', 'pipe', 'pipe'] });
  const arrivals: { ts: string; at: number }[] = [];
  let partial = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    const at = Date.now();
    const text = partial + d.toString();
    const lines = text.split('\n');
    partial = lines.pop()!;
    for (const l of lines) if (l !== '') arrivals.push({ ts: (JSON.parse(l) as { ts: string }).ts, at });
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    await waitFor('attached', () => /^bpfql: attached/m.test(err), 30_000);
    // DuckDB loads after the program is attached (so that no event waits for it): the first row
    // waits for that once. The must-show is about the steady state, so one exec warms up first.
    execFileSync(prog.path);
    await waitFor('the warm-up line', () => arrivals.length === 1, 30_000);
    arrivals.length = 0;
    const loop = shell(`i=0; while [ $i -lt 100 ]; do ${prog.path}; sleep 0.02; i=$((i+1)); done`);
    assert.equal(await loop.done, 0);
    await waitFor('100 lines', () => arrivals.length === 100, 10_000);
    child.kill('SIGINT');
    assert.equal(await closed, 0, err);
    const delays = arrivals.map((a) => a.at - tsMs(a.ts)).sort((a, b) => a - b);
    // The two clocks are the same wall clock; a little skew either way is rounding (ts has µs).
    assert.ok(delays[0]! > -5, `first delay ${delays[0]} ms`);
    assert.ok(delays[99]! <= 100, `delays (ms): p50 ${delays[50]}, max ${delays[99]}`);
  } finally {
    child.kill('SIGKILL');
    await closed;
    prog.remove();
  }
});

function bpftoolKnows(kind: 'prog' | 'link', id: number): boolean {
  try {
    execFileSync('bpftool', [kind, 'show', 'id', String(id)], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

test('| head -3: bpfql exits 0 and every program and link it had attached is gone from the kernel', { skip }, async () => {
  const prog = new NamedProgram(uniqueComm('lq'));
  const head = spawn('head', ['-3'], { stdio: ['pipe', 'pipe', 'ignore'] });
  let out = '';
  head.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const bpfql = spawn(process.execPath, [CLI, '--verbose', '--format', 'ndjson', `SELECT comm FROM exec WHERE comm = '${prog.comm}'`], { stdio: ['ignore', head.stdin, 'pipe'] });
  let err = '';
  bpfql.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const closed = new Promise<number | null>((resolve) => bpfql.on('close', resolve));
  let ended = false;
  void closed.then(() => (ended = true));
  try {
    await waitFor('attached', () => /^bpfql: attached/m.test(err), 30_000);
    const held = heldBpf(bpfql.pid!);
    assert.ok(held.progs.length > 0, 'bpfql holds its program');
    assert.ok([...held.progs.map((id) => bpftoolKnows('prog', id)), ...held.links.map((id) => bpftoolKnows('link', id))].every(Boolean));
    for (let i = 0; i < 50 && !ended; i++) {
      execFileSync(prog.path);
      await sleep(100);
    }
    assert.equal(await closed, 0, err);
    assert.equal(out, `{"comm":"${prog.comm}"}\n`.repeat(3));
    assert.doesNotMatch(err, /Error|at .*\.js/, err);
    // Freed after an RCU grace period: give it a moment.
    await waitFor('the programs and links gone', () => ![...held.progs.map((id) => bpftoolKnows('prog', id)), ...held.links.map((id) => bpftoolKnows('link', id))].some(Boolean), 5_000);
  } finally {
    bpfql.kill('SIGKILL');
    head.kill();
    await closed;
    prog.remove();
  }
});
