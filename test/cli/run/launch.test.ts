import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exitStatus, joinScript, launchInCgroup, shellQuote } from '../../../src/cli/run/launch.js';

test('shellQuote keeps every character literal, quotes included', () => {
  assert.equal(shellQuote(`/sys/fs/cgroup/it's here`), `'/sys/fs/cgroup/it'\\''s here'`);
  assert.equal(joinScript('/a b/cgroup.procs'), `echo $$ > '/a b/cgroup.procs' && exec "$@"`);
});

test('exit status: the code, or 128 + signal number as a shell reports it', () => {
  assert.equal(exitStatus({ code: 7, signal: null }), 7);
  assert.equal(exitStatus({ code: null, signal: 'SIGKILL' }), 137);
  assert.equal(exitStatus({ code: null, signal: 'SIGTERM' }), 143);
});

// A plain file stands in for cgroup.procs: what the command's process writes there before it execs.
test('the command runs with its arguments as given, after its pid was written; its exit code comes back', async () => {
  const dir = mkdtempSync(join(tmpdir(), "bpfql-launch-'q"));
  try {
    const procs = join(dir, 'cgroup.procs');
    const out = join(dir, 'out');
    const launched = launchInCgroup(procs, ['/bin/sh', '-c', 'echo "$$|$1|$2" > "$3"; exit 5', 'sh', 'two words', '$HOME', out]);
    const exit = await launched.exited;
    assert.equal(exit.code, 5);
    assert.equal(exit.signal, null);
    const pid = readFileSync(procs, 'utf8').trim();
    // The same process wrote its pid and then became the command: exec, not a child.
    assert.equal(readFileSync(out, 'utf8'), `${pid}|two words|$HOME\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a signal passed on ends the command, and the exit says which', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-launch-'));
  try {
    const launched = launchInCgroup(join(dir, 'procs'), ['sleep', '30']);
    await new Promise((r) => setTimeout(r, 100));
    launched.kill('SIGTERM');
    const exit = await launched.exited;
    assert.deepEqual([exit.code, exit.signal], [null, 'SIGTERM']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('when the pid cannot be written the command does not run', async () => {
  const launched = launchInCgroup('/nonexistent-dir/cgroup.procs', ['sh', '-c', 'exit 0']);
  const exit = await launched.exited;
  // dash: a failed redirection ends a non-interactive shell with status 2.
  assert.equal(exit.code, 2);
});
