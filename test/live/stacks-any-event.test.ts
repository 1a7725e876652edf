// Stacks on any event, against the real kernel: a program the test compiles makes getppid calls
// from two known call paths (100 from inner() via outer(), 37 from main()). Grouped by stack in the
// kernel, streamed row by row, and taken at the exit of the paired `syscalls` table, the stacks
// and their counts must be exactly those; and they must be the stacks bpftrace's kstack and
// ustack give for the same calls.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Engine, type Outcome } from '../../src/engine/engine.js';
import { CProgram } from '../helpers/c-program.js';
import { kernelSkip, uniqueComm } from '../helpers/workload.js';
import { Bpftrace, bpftraceSkip } from '../helpers/bpftrace.js';

const skip = kernelSkip();
const noBpftrace = bpftraceSkip();

/** getppid (110 on x86_64) by the syscall instruction itself: no libc frame without a frame pointer in the stack. */
const SOURCE = `
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
__attribute__((noinline)) long raw_getppid(void) { long r; __asm__ volatile("syscall" : "=a"(r) : "a"(110L) : "rcx", "r11", "memory"); return r; }
__attribute__((noinline)) long inner(int n) { long s = 0; for (int i = 0; i < n; i++) s += raw_getppid(); return s; }
__attribute__((noinline)) long outer(int n) { return inner(n) + 1; }
int main(int argc, char **argv) {
  long s = outer(atoi(argv[1]));
  for (int i = 0; i < atoi(argv[2]); i++) s += raw_getppid();
  printf("%d\\n", s > 0); fflush(stdout);
  sleep(60);
  return 0;
}
`;
const INNER = 100;
const MAIN = 37;
/** The functions of the program, the only user frames whose names the test can know. */
const OWN = /^(raw_getppid|inner|outer|main)\+/;

const prog = skip ? undefined : new CProgram(uniqueComm('stk'), SOURCE);
after(() => prog?.remove());

type Rows = readonly (readonly unknown[])[];

function rowsOf(o: Outcome): Rows {
  if (o.kind !== 'rows') throw new Error(`expected rows, got ${o.kind}`);
  return o.result.rows;
}

/**
 * Runs the queries at once; once all are attached, runs the program and ends them when it has made
 * its calls. The program then sleeps, so its mappings are there when user stacks are named; it is
 * stopped after `whileAlive` (bpftrace names its stacks when it exits).
 */
async function runAll(sqls: readonly string[], whileAlive: () => Promise<void> = async () => {}): Promise<Rows[]> {
  const engines = await Promise.all(sqls.map(() => Engine.open()));
  let child: ChildProcess | undefined;
  try {
    const attached = sqls.map(() => {
      let done!: () => void;
      return { promise: new Promise<void>((resolve) => (done = resolve)), done };
    });
    const called = Promise.all(attached.map((a) => a.promise)).then(() => new Promise<void>((resolve, reject) => {
      child = spawn(prog!.path, [String(INNER), String(MAIN)], { stdio: ['ignore', 'pipe', 'ignore'] });
      createInterface({ input: child.stdout! }).once('line', () => resolve());
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the program exited early (${code})`)));
    }));
    const outcomes = await Promise.all(sqls.map((sql, i) => engines[i]!.execute(sql, { onAttached: attached[i]!.done, until: called })));
    await called;
    await whileAlive();
    return outcomes.map(rowsOf);
  } finally {
    child?.removeAllListeners('exit');
    child?.kill();
    await Promise.all(engines.map((e) => e.close()));
  }
}

const isInner = (ustack: string): boolean => /^raw_getppid\+0x[0-9a-f]+;inner\+0x[0-9a-f]+;outer\+0x[0-9a-f]+;main\+0x[0-9a-f]+;/.test(ustack);
const isMain = (ustack: string): boolean => /^raw_getppid\+0x[0-9a-f]+;main\+0x[0-9a-f]+;/.test(ustack);

/** Counts by ustack, from rows of [ustack, n] or of [ustack]. */
function byStack(rows: Rows): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(r[0] as string, (out.get(r[0] as string) ?? 0) + (r.length > 1 ? Number(r[1]) : 1));
  return out;
}

test('kstack and ustack of a tracepoint: grouped in the kernel, streamed, and at the exit of a paired table, the same stacks and exact counts', { skip }, async () => {
  const comm = prog!.name;
  const [grouped, streamed, paired, kernelOnly] = await runAll([
    `SELECT ustack, count(*) AS n FROM tracepoint.syscalls.sys_enter_getppid WHERE comm = '${comm}' GROUP BY ustack`,
    `SELECT ustack FROM tracepoint.syscalls.sys_enter_getppid WHERE comm = '${comm}'`,
    `SELECT ustack, count(*) AS n FROM syscalls WHERE comm = '${comm}' AND syscall = 'getppid' GROUP BY ustack`,
    `SELECT kstack, count(kstack) AS with_stack, count(*) AS n FROM tracepoint.syscalls.sys_enter_getppid WHERE comm = '${comm}' GROUP BY kstack`,
  ]);
  const g = byStack(grouped!);
  assert.equal(g.size, 2, JSON.stringify([...g]));
  const [inner, main] = [[...g.keys()].find(isInner), [...g.keys()].find(isMain)];
  assert.ok(inner && main, JSON.stringify([...g]));
  assert.deepEqual([g.get(inner), g.get(main)], [INNER, MAIN]);
  assert.deepEqual(byStack(streamed!), g);
  assert.deepEqual(byStack(paired!), g);
  // One kernel path for every call: the syscall entry.
  assert.equal(kernelOnly!.length, 1);
  assert.match(kernelOnly![0]![0] as string, /(^|;)do_syscall_64\+0x[0-9a-f]+;entry_SYSCALL_64_after_hwframe\+0x[0-9a-f]+$/);
  assert.deepEqual(kernelOnly![0]!.slice(1), [INNER + MAIN, INNER + MAIN]);
});

/** bpftrace's `name+decimal` frame as bpfql writes it, `name+0xhex`. */
function asHex(frame: string): string {
  const m = /^(.*)\+(\d+)$/.exec(frame.trim());
  return m ? `${m[1]}+0x${Number(m[2]).toString(16)}` : frame.trim();
}

/** bpftrace's `@map[\n frame\n frame\n]: n` entries as stacks with their counts. */
function bpftraceStacks(out: string, map: string): Map<string, number> {
  const stacks = new Map<string, number>();
  for (const m of out.matchAll(new RegExp(`@${map}\\[\\n([\\s\\S]*?)\\]: (\\d+)`, 'g'))) {
    stacks.set(m[1]!.split('\n').filter((l) => l.trim() !== '').map(asHex).join(';'), Number(m[2]));
  }
  return stacks;
}

/** The frames a stack's text has in the program's own functions, in order. */
const ownFrames = (stack: string): string => stack.split(';').filter((f) => OWN.test(f)).join(';');

test('the same stacks as bpftrace\'s kstack and ustack on the same calls', { skip: skip || noBpftrace }, async () => {
  const comm = prog!.name;
  const bt = await Bpftrace.start(`tracepoint:syscalls:sys_enter_getppid /comm == "${comm}"/ { @k[kstack] = count(); @u[ustack] = count(); }`);
  let out = '';
  try {
    const [k, u] = await runAll([
      `SELECT kstack, count(*) FROM tracepoint.syscalls.sys_enter_getppid WHERE comm = '${comm}' GROUP BY kstack`,
      `SELECT ustack, count(*) FROM tracepoint.syscalls.sys_enter_getppid WHERE comm = '${comm}' GROUP BY ustack`,
    ], async () => {
      // bpftrace names user frames as it prints, at exit: the program must still be there.
      out = await bt.stop();
    });
    const theirK = bpftraceStacks(out, 'k');
    assert.deepEqual(new Map(k!.map((r) => [r[0] as string, Number(r[1])])), theirK, out);
    const theirU = [...bpftraceStacks(out, 'u')].map(([s, n]) => [ownFrames(s), n]).sort();
    const ours = u!.map((r) => [ownFrames(r[0] as string), Number(r[1])]).sort();
    assert.deepEqual(ours, theirU, out);
    assert.equal(theirU.length, 2, out);
  } finally {
    bt.kill();
  }
});
