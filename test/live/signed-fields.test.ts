// Signed syscall arguments come out signed, from their real width: the formats declare every
// argument as an unsigned 8-byte slot, and an int passed through syscall(2) leaves the register's
// high half zero (AT_FDCWD arrives as 0x00000000ffffff9c). A C program this test builds makes
// an exact number of calls with negative arguments; the results are checked in the kernel
// (filters, GROUP BY, aggregates) and in DuckDB (streamed rows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { EngineOptions } from '../../src/engine/engine.js';
import { Engine } from '../../src/engine/engine.js';
import { CProgram } from '../helpers/c-program.js';
import { queryDuring } from '../helpers/query-during.js';
import type { QueryRun } from '../helpers/query-during.js';
import { workloadSkip } from '../helpers/c-workload.js';
import { kernelSkip, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip() || workloadSkip();

/**
 * newfstatat of "/": 3 calls with AT_FDCWD, 2 with dfd -1, 4 with an open fd; 5 kill(-4000001, 0)
 * (ints through syscall(2)); 6 lseek(fd, -5, SEEK_CUR) (glibc's, whose offset is an off_t);
 * 2 openat of "/" with AT_FDCWD.
 */
const SOURCE = `
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(int argc, char **argv) {
  struct stat st;
  /* On the stack, so the kernel can read the path at the first call (an untouched page of
     .rodata could not be read from the tracepoint). */
  char root[] = "/";
  int fd = open(argv[0], O_RDONLY);
  if (fd < 0) return 1;
  for (int i = 0; i < 3; i++) syscall(SYS_newfstatat, AT_FDCWD, root, &st, 0);
  for (int i = 0; i < 2; i++) syscall(SYS_newfstatat, -1, root, &st, 0);
  for (int i = 0; i < 4; i++) syscall(SYS_newfstatat, fd, root, &st, 0);
  for (int i = 0; i < 5; i++) syscall(SYS_kill, -4000001, 0);
  lseek(fd, 100, SEEK_SET);
  for (int i = 0; i < 6; i++) lseek(fd, -5, SEEK_CUR);
  for (int i = 0; i < 2; i++) close(syscall(SYS_openat, AT_FDCWD, root, O_RDONLY, 0));
  printf("%d\\n", fd);
  return 0;
}
`;

interface Built { readonly program: CProgram; readonly fd: number }

/** Builds the program under a unique name (its comm) and learns the fd it opens by running it once. */
function build(): Built {
  const program = new CProgram(uniqueComm('bsg'), SOURCE);
  const fd = Number(execFileSync(program.path, { encoding: 'utf8' }).trim());
  return { program, fd };
}

async function run(opts: EngineOptions, sql: string, built: Built): Promise<QueryRun> {
  const engine = await Engine.open(opts);
  try {
    return await queryDuring(engine, sql, async () => execFileSync(built.program.path));
  } finally {
    await engine.close();
  }
}

const KERNEL: EngineOptions = {};
const DUCKDB: EngineOptions = { kernelFilter: false, kernelAggregation: false };

const num = (v: unknown): bigint => BigInt(v as number | bigint);
const rows = (r: QueryRun): string[][] => r.rows.map((row) => row.map((v) => String(v)));

test('newfstatat: dfd is -100 for AT_FDCWD; WHERE dfd = -100 matches exactly the calls made, in the kernel', { skip }, async () => {
  const built = build();
  try {
    const sql = `SELECT count(*) AS n FROM tracepoint.syscalls.sys_enter_newfstatat WHERE comm = '${built.program.name}' AND filename = '/' AND dfd = -100`;
    const kernel = await run(KERNEL, sql, built);
    assert.deepEqual(kernel.kernel.plan.residualFilters, []);
    assert.equal(kernel.kernel.plan.kernel.mode.kind, 'aggregate');
    assert.equal(num(kernel.rows[0]![0]), 3n);
    const duck = await run(DUCKDB, sql, built);
    assert.equal(duck.kernel.plan.kernel.mode.kind, 'stream');
    assert.equal(num(duck.rows[0]![0]), 3n);
  } finally {
    built.program.remove();
  }
});

test('newfstatat: GROUP BY dfd and min/max/sum over it, in the kernel and in DuckDB', { skip }, async () => {
  const built = build();
  try {
    const fd = built.fd;
    // The loader and stdio make newfstatat calls of their own, with other paths.
    const where = `comm = '${built.program.name}' AND filename = '/'`;
    const sql = `SELECT dfd, count(*) AS n, min(dfd), max(dfd), sum(dfd) FROM tracepoint.syscalls.sys_enter_newfstatat WHERE ${where} GROUP BY dfd ORDER BY dfd`;
    const expected = [['-100', '3', '-100', '-100', '-300'], ['-1', '2', '-1', '-1', '-2'], [String(fd), '4', String(fd), String(fd), String(4 * fd)]];
    const whole = `SELECT min(dfd), max(dfd), sum(dfd), count(*) FROM tracepoint.syscalls.sys_enter_newfstatat WHERE ${where}`;
    const wholeExpected = [['-100', String(fd), String(-300 - 2 + 4 * fd), '9']];
    for (const [opts, mode] of [[KERNEL, 'aggregate'], [DUCKDB, 'stream']] as const) {
      const grouped = await run(opts, sql, built);
      assert.equal(grouped.kernel.plan.kernel.mode.kind, mode);
      assert.deepEqual(rows(grouped), expected, mode);
      const all = await run(opts, whole, built);
      assert.equal(all.kernel.plan.kernel.mode.kind, mode);
      assert.deepEqual(rows(all), wholeExpected, mode);
    }
  } finally {
    built.program.remove();
  }
});

test('kill(-4000001, 0): tp_pid is -4000001; lseek(fd, -5, SEEK_CUR): offset is -5', { skip }, async () => {
  const built = build();
  try {
    const name = built.program.name;
    for (const opts of [KERNEL, DUCKDB]) {
      const kill = await run(opts, `SELECT tp_pid, sig, count(*) AS n FROM tracepoint.syscalls.sys_enter_kill WHERE comm = '${name}' AND tp_pid < 0 GROUP BY tp_pid, sig`, built);
      assert.deepEqual(rows(kill), [['-4000001', '0', '5']]);
      const seek = await run(opts, `SELECT offset, whence FROM tracepoint.syscalls.sys_enter_lseek WHERE comm = '${name}' AND offset = -5`, built);
      assert.deepEqual(rows(seek), Array.from({ length: 6 }, () => ['-5', '1']));
      assert.equal(seek.kernel.plan.kernel.mode.kind, 'stream');
    }
  } finally {
    built.program.remove();
  }
});

test('open: the curated table\'s dfd follows the same rule (-100 for AT_FDCWD passed as an int)', { skip }, async () => {
  const built = build();
  try {
    for (const opts of [KERNEL, DUCKDB]) {
      const open = await run(opts, `SELECT dfd, filename, count(*) AS n FROM open WHERE comm = '${built.program.name}' AND filename = '/' GROUP BY dfd, filename`, built);
      assert.deepEqual(rows(open), [['-100', '/', '2']]);
    }
  } finally {
    built.program.remove();
  }
});
