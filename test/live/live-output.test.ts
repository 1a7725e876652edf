// Rows printed as they happen (issue 17): each exec's line reaches a reader while bpfql still
// runs, `| head -2` ends bpfql cleanly, and the table is laid out once for every row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { CLI, sleep, waitFor } from '../helpers/cli.js';
import { kernelSkip, NamedProgram, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();

interface Live {
  readonly pid: number;
  /** What bpfql has written to stdout so far. */
  stdout(): string;
  running(): boolean;
  readonly attached: Promise<void>;
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** The CLI with --verbose, its output readable while it runs. */
function live(args: readonly string[]): Live {
  const child = spawn(process.execPath, [CLI, '--verbose', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let alive = true;
  let attach!: () => void;
  const attached = new Promise<void>((resolve) => (attach = resolve));
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    if (/^bpfql: attached/m.test(err)) attach();
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => {
    alive = false;
    resolve({ code, stdout: out, stderr: err.replace(/^bpfql: attached.*\n/gm, '') });
  }));
  return { pid: child.pid!, stdout: () => out, running: () => alive, attached, done };
}

test('--format ndjson: each of 5 execs is a line the reader sees while bpfql still runs', { skip }, async () => {
  const prog = new NamedProgram(uniqueComm('lv'));
  try {
    const run = live(['--format', 'ndjson', `SELECT comm, filename FROM exec WHERE comm = '${prog.comm}'`]);
    await run.attached;
    const lines = (): string[] => run.stdout().split('\n').filter((l) => l !== '');
    for (let i = 1; i <= 5; i++) {
      execFileSync(prog.path);
      await waitFor(`line ${i} while bpfql runs`, () => lines().length >= i, 10_000);
      assert.equal(run.running(), true, 'bpfql still runs (no FOR, no LIMIT)');
      assert.equal(lines().length, i);
      await sleep(200);
    }
    process.kill(run.pid, 'SIGINT');
    const r = await run.done;
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines().map((l) => JSON.parse(l) as unknown), Array.from({ length: 5 }, () => ({ comm: prog.comm, filename: prog.path })));
    assert.match(r.stderr, /^\{"completeness":\{"lostRecords":0,/m);
  } finally {
    prog.remove();
  }
});

test('| head -3 (the CSV header and two rows) ends bpfql by itself, with exit 0 and no stack trace', { skip }, async () => {
  const prog = new NamedProgram(uniqueComm('lh'));
  try {
    // bpfql's stdout is a pipe into head; the shell reports bpfql's exit code.
    const sh = spawn('/bin/bash', ['-c', `"${process.execPath}" "${CLI}" --verbose --format csv "SELECT comm, filename FROM exec WHERE comm = '${prog.comm}'" | head -3; echo "bpfql exited \${PIPESTATUS[0]}"`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    sh.stdout.on('data', (d: Buffer) => (out += d.toString()));
    sh.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const closed = new Promise<number | null>((resolve) => sh.on('close', resolve));
    await waitFor('attached', () => /^bpfql: attached/m.test(err), 30_000);
    // Execs until bpfql has ended: after head has its lines, the next row's write finds the pipe closed.
    let ended = false;
    void closed.then(() => (ended = true));
    for (let i = 0; i < 50 && !ended; i++) {
      execFileSync(prog.path);
      await sleep(200);
    }
    assert.equal(await closed, 0);
    assert.equal(out, `comm,filename\n${prog.comm},${prog.path}\n${prog.comm},${prog.path}\nbpfql exited 0\n`);
    assert.doesNotMatch(err, /Error|at .*\.js/, err);
  } finally {
    prog.remove();
  }
});

test('the table format writes its header once and every row aligned under it, then the count and completeness', { skip }, async () => {
  const prog = new NamedProgram(uniqueComm('lt'));
  try {
    const run = live([`SELECT pid, comm, filename FROM exec WHERE comm = '${prog.comm}' LIMIT 3`]);
    await run.attached;
    const pids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const sh = spawn(prog.path);
      pids.push(sh.pid!);
      await new Promise((resolve) => sh.on('close', resolve));
      await waitFor(`row ${i + 1}`, () => run.stdout().split('\n').length >= i + 4, 10_000);
    }
    const r = await run.done;
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 7, r.stdout);
    assert.match(lines[0]!, /^\s*pid \| comm\s+\| filename$/);
    assert.match(lines[1]!, /^-+-\+-+-\+-+$/);
    const bars = (l: string): number[] => [...l.matchAll(/\|/g)].map((m) => m.index);
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(bars(lines[2 + i]!), bars(lines[0]!), lines[2 + i]);
      assert.equal(lines[2 + i]!.split('|').map((c) => c.trim()).join(','), `${pids[i]},${prog.comm},${prog.path}`);
    }
    assert.equal(lines[5], '(3 rows)');
    assert.match(lines[6]!, /^complete: /);
  } finally {
    prog.remove();
  }
});
