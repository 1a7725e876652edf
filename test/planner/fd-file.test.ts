// `filename` and `inode` of the fd's file: which tables have them, what their plans and programs
// need (only what the query names), and what stays with DuckDB.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileKernelPlan } from '../../src/bpf-templates/compile.js';
import { FD_PATH_MAP } from '../../src/bpf-templates/fd-file.js';
import { FD_PATH_BYTES } from '../../src/catalog/fd-path.js';
import type { Plan } from '../../src/planner/plan.js';
import { planQuery } from '../../src/planner/planner.js';
import { parseStatement } from '../../src/query/parse.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

function plan(sql: string): Plan {
  const s = parseStatement(sql);
  if (s.kind !== 'query') throw new Error('not a query');
  return planQuery(s.query, fixtureCatalog(), fixturePlannerEnv);
}

function maps(p: Plan): string[] {
  return compileKernelPlan(p.kernel, p.table).maps.map((m) => m.name);
}

test('filetop: grouped by file name and inode in the kernel, the path walked with a scratch map', () => {
  const p = plan('SELECT comm, filename, inode, count(*), sum(returned), p99(latency_ns) FROM read GROUP BY comm, filename, inode');
  assert.equal(p.kernel.mode.kind, 'aggregate');
  if (p.kernel.mode.kind !== 'aggregate') return;
  assert.deepEqual(p.kernel.mode.keys.map((k) => [k.name, k.width]), [['k0', 16], ['k1', 8 + FD_PATH_BYTES], ['k2', 8]]);
  assert.deepEqual(p.kernel.fdFileOffsets, {
    taskFiles: 1824, filesFdt: 32, fdtMaxFds: 0, fdtFd: 8, fileInode: 32, inodeIno: 64, inodeMode: 0, fileDentry: 72, fileVfsmount: 64,
    dentryName: 40, dentryParent: 24, vfsmountRoot: 0, mountOfVfsmount: 32, mountParent: 16, mountMountpoint: 24,
  });
  assert.ok(maps(p).includes(FD_PATH_MAP));
});

test('pay for what you use: no lookup unless named, no path walk for the inode alone, not in *', () => {
  const none = plan('SELECT fd, count(*) FROM read GROUP BY fd');
  assert.equal(none.kernel.fdFileOffsets, undefined);
  assert.ok(!maps(none).includes(FD_PATH_MAP));
  const inode = plan('SELECT inode, count(*) FROM write GROUP BY inode');
  assert.ok(inode.kernel.fdFileOffsets);
  assert.ok(!maps(inode).includes(FD_PATH_MAP));
  const star = plan('SELECT * FROM read');
  assert.equal(star.kernel.fdFileOffsets, undefined);
  assert.ok(!star.kernelColumns.some((c) => c.name === 'filename' || c.name === 'inode'));
});

test('the path is text made in user space: DuckDB compares it, and then groups', () => {
  const p = plan("SELECT filename, count(*) FROM read WHERE filename = '/etc/passwd' AND fd = 3 GROUP BY filename");
  assert.deepEqual(p.residualFilters, ["filename = '/etc/passwd'"]);
  assert.equal(p.kernel.mode.kind, 'stream');
  // The inode is an integer the kernel filters on.
  assert.equal(plan('SELECT count(*) FROM read WHERE inode = 42').residualFilters.length, 0);
});

test("syscall('fsync') has the file of its fd; syscall('close') does not (the fd is gone at return)", () => {
  const fsync = fixtureCatalog().syscall('fsync');
  const close = fixtureCatalog().syscall('close');
  assert.ok(fsync.kind === 'table' && close.kind === 'table');
  if (fsync.kind !== 'table' || close.kind !== 'table') return;
  assert.deepEqual(fsync.table.columns.filter((c) => c.source.kind === 'fd-file').map((c) => [c.name, c.source]), [
    ['filename', { kind: 'fd-file', fdIndex: 0, part: 'path' }],
    ['inode', { kind: 'fd-file', fdIndex: 0, part: 'inode' }],
  ]);
  assert.ok(!close.table.columns.some((c) => c.source.kind === 'fd-file'));
  assert.equal(plan("SELECT filename, count(*) FROM syscall('fsync') GROUP BY filename").kernel.mode.kind, 'aggregate');
});
