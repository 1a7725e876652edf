// uretprobe(...) on the real kernel: a program of the test returns known values from a function
// that takes a known time, and bash's readline returns the lines a real `bash -i` is fed; bpfql's
// returns must be exactly those, and bpftrace's on the same run the same.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Engine } from '../../src/engine/engine.js';
import { typeInto } from '../helpers/bash.js';
import { Bpftrace, bpftraceSkip } from '../helpers/bpftrace.js';
import { CProgram } from '../helpers/c-program.js';
import { queryDuring } from '../helpers/query-during.js';
import { kernelSkip, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip() || bpftraceSkip();
const CALLS = 40;
const SLEEP_MS = 2;

/** slow_double(i) sleeps SLEEP_MS and returns 2i; name_of(i) returns one of two texts. */
const SOURCE = `
#include <stdlib.h>
#include <time.h>
__attribute__((noinline)) long slow_double(long x) {
  struct timespec ts = { 0, ${SLEEP_MS} * 1000000L };
  nanosleep(&ts, NULL);
  return 2 * x;
}
__attribute__((noinline)) const char *name_of(long x) { return x % 2 ? "odd one" : "even"; }
int main(int argc, char **argv) {
  long n = atol(argv[1]), s = 0;
  // The kernel cannot fault a page in for a probe: the texts' page (.rodata, one page in so
  // small a program) is read once before the calls.
  const char *volatile warm = "warm";
  s += warm[0] - 'w';
  for (long i = 0; i < n; i++) s += slow_double(i) + (name_of(i)[0] == 'o');
  return s > 0 ? 0 : 1;
}
`;

const prog = skip ? undefined : new CProgram(uniqueComm('uret'), SOURCE);
after(() => prog?.remove());

test('uretprobe: every return with its value and the time since its call, as bpftrace counts them', { skip }, async () => {
  const bt = await Bpftrace.start(`uretprobe:${prog!.path}:slow_double { @ret[retval] = count(); }`);
  const engine = await Engine.open();
  try {
    const run = await queryDuring(
      engine,
      `SELECT ret, count(*) AS n, min(latency_ns) >= ${SLEEP_MS * 1e6} AS slept FROM uretprobe('${prog!.path}', 'slow_double') GROUP BY ret ORDER BY ret`,
      () => promisify(execFile)(prog!.path, [String(CALLS)]),
    );
    assert.deepEqual(run.rows, Array.from({ length: CALLS }, (_, i) => [2 * i, 1, true]));
    assert.equal(run.kernel.completeness.lostPairs, 0);
    const theirs = Bpftrace.counts(await bt.stop(), 'ret');
    assert.deepEqual([...theirs].sort((a, b) => Number(a[0]) - Number(b[0])), Array.from({ length: CALLS }, (_, i) => [String(2 * i), 1]));
  } finally {
    bt.kill();
    await engine.close();
  }
});

test('uretprobe: ret_str reads what a function returning char * returned', { skip }, async () => {
  const engine = await Engine.open();
  try {
    const run = await queryDuring(
      engine,
      `SELECT ret_str, count(*) AS n FROM uretprobe('${prog!.path}', 'name_of') GROUP BY ret_str ORDER BY ret_str`,
      () => promisify(execFile)(prog!.path, [String(CALLS)]),
    );
    assert.deepEqual(run.rows, [['even', CALLS / 2], ['odd one', CALLS / 2]]);
  } finally {
    await engine.close();
  }
});

test('bashreadline: the lines a real bash -i reads, from its readline\'s return', { skip }, async () => {
  // A copy of bash of its own: the probe is on its file, so no other shell's lines are seen.
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-bash-'));
  const bash = join(dir, uniqueComm('bqbash'));
  copyFileSync('/bin/bash', bash);
  const lines = ['echo "a line" > /dev/null', 'true  two   spaces', 'exit'];
  const engine = await Engine.open();
  try {
    const run = await queryDuring(
      engine,
      `SELECT ret_str AS line FROM uretprobe('${bash}', 'readline')`,
      () => typeInto(bash, lines),
    );
    assert.deepEqual(run.rows.map((r) => r[0]), lines);
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
