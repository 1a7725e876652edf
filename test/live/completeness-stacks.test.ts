// Lost stacks, forced and counted exactly: a program the test compiles calls getppid from 4,096
// different call paths (twelve levels, each through one of two functions), so the 16,384 slots of
// the stack map, chosen by a hash of the frames, must turn some of them away. Every event whose
// stack was turned away reads `[stack lost: error 17]`, and the run's lostStacks is their number,
// exactly. A stack that does not exist (a kernel thread's user stack) is NULL and no loss.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Engine } from '../../src/engine/engine.js';
import { describeCompleteness } from '../../src/runtime/completeness.js';
import { CProgram } from '../helpers/c-program.js';
import { queryDuring } from '../helpers/query-during.js';
import { kernelSkip, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();
const LEVELS = 12;
const PATHS = 1 << LEVELS;

/** a_i and b_i call a_(i+1) or b_(i+1) by bit i+1 of `bits`; the last level makes the call. */
function pathsSource(): string {
  const fns: string[] = [];
  for (let i = LEVELS - 1; i >= 0; i--) {
    const next = i === LEVELS - 1 ? '(raw_getppid() & 1)' : `(((bits >> ${i + 1}) & 1) ? a${i + 1}(bits) : b${i + 1}(bits))`;
    fns.push(`__attribute__((noinline)) long a${i}(int bits) { return ${next} + 1; }`);
    fns.push(`__attribute__((noinline)) long b${i}(int bits) { return ${next} + 2; }`);
  }
  return `
#include <stdio.h>
__attribute__((noinline)) long raw_getppid(void) { long r; __asm__ volatile("syscall" : "=a"(r) : "a"(110L) : "rcx", "r11", "memory"); return r; }
${fns.join('\n')}
int main(void) {
  long s = 0;
  for (int bits = 0; bits < ${PATHS}; bits++) s += (bits & 1) ? a0(bits) : b0(bits);
  return s == 0;
}
`;
}

const prog = skip ? undefined : new CProgram(uniqueComm('stkloss'), pathsSource());
after(() => prog?.remove());

function run(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, [], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path} exited with ${code}`))));
  });
}

test('stacks the stack map turns away are counted: lostStacks = the events whose stack reads [stack lost], exactly', { skip }, async () => {
  const engine = await Engine.open();
  try {
    const r = await queryDuring(
      engine,
      `SELECT ustack LIKE '[stack lost: error 17]' AS lost, count(*) AS n FROM tracepoint.syscalls.sys_enter_getppid WHERE comm = '${prog!.name}' GROUP BY lost ORDER BY lost`,
      () => run(prog!.path),
    );
    const byLost = new Map(r.rows.map((row) => [row[0] as boolean, Number(row[1])]));
    const lost = byLost.get(true) ?? 0;
    assert.equal((byLost.get(false) ?? 0) + lost, PATHS);
    // 4,096 stacks hashed into 16,384 slots: about 470 collide (never none, never most).
    assert.ok(lost > 100 && lost < 1000, `${lost} lost`);
    const c = r.kernel.completeness;
    assert.deepEqual(c, { lostRecords: 0, failedUpdates: 0, lostPairs: 0, lostStacks: lost, missedEvents: 0 });
    assert.match(describeCompleteness(c), new RegExp(`^INCOMPLETE: ${lost} stacks lost \\(`));
  } finally {
    await engine.close();
  }
});

test('a stack that does not exist is NULL, not a loss: kernel threads have no user stack', { skip }, async () => {
  const engine = await Engine.open();
  try {
    // Switches out of kernel threads (kworkers, the idle tasks) happen all the time, with no
    // user stack; a sleeping shell gives switches that have one.
    const r = await queryDuring(
      engine,
      "SELECT count(ustack) AS with_ustack, count(*) AS n FROM sched_switch WHERE prev_comm = 'sleep' OR prev_pid = 0",
      () => new Promise((resolve) => spawn('/bin/sleep', ['0.2']).once('exit', resolve)),
    );
    const [withUstack, n] = r.rows[0]!.map(Number) as [number, number];
    assert.ok(withUstack > 0 && withUstack < n, `${withUstack} of ${n}`);
    assert.equal(r.kernel.completeness.lostStacks, 0);
  } finally {
    await engine.close();
  }
});
