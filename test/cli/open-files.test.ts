import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { MIN_OPEN_FILES, openFilesProblem, parseOpenFilesLimit } from '../../src/cli/open-files.js';
import { CLI } from '../helpers/cli.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            64                   4096                 files
Max locked memory         8388608              8388608              bytes
`;

test('the open-files limit is read from /proc/<pid>/limits', () => {
  assert.equal(parseOpenFilesLimit(LIMITS), 64);
  assert.equal(parseOpenFilesLimit(LIMITS.replace('64                   4096', 'unlimited            unlimited')), Infinity);
  assert.equal(parseOpenFilesLimit('Max cpu time unlimited unlimited seconds\n'), undefined);
});

test('a limit below what bpfql needs is one sentence saying what to do', () => {
  assert.equal(openFilesProblem(64), `bpfql needs to open at least ${MIN_OPEN_FILES} files, but the limit (ulimit -n) is 64: raise it, e.g. \`ulimit -n 1024\``);
  assert.equal(openFilesProblem(MIN_OPEN_FILES), undefined);
  assert.equal(openFilesProblem(undefined), undefined);
});

test('under `ulimit -n 64` the CLI says so in one line and exits 1, no stack trace', () => {
  const r = spawnSync('sh', ['-c', `ulimit -n 64 && exec "${process.execPath}" "${CLI}" "SELECT 1"`], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `error: ${openFilesProblem(64)}\n`);
});
