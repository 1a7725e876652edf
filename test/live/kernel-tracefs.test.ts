// tracefs as the running kernel shows it: ids, formats and the list of tracepoints.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KernelError } from '../../src/kernel/errors.js';
import { listTracepoints, readFormat, tracefsRoot, tracepointId } from '../../src/kernel/tracefs.js';
import { needsRoot } from './kernel-root.js';

test('the id of a tracepoint is the one its format file states', { skip: needsRoot }, () => {
  const format = readFormat('syscalls', 'sys_enter_openat');
  assert.match(format, /^name: sys_enter_openat$/m);
  const stated = /^ID: (\d+)$/m.exec(format);
  assert.ok(stated !== null);
  assert.equal(tracepointId('syscalls', 'sys_enter_openat'), Number(stated[1]));
  assert.match(format, /field:const char \* filename;\toffset:24;\tsize:8;\tsigned:0;/);
});

test('listTracepoints lists the tracepoints of the events tree', { skip: needsRoot }, () => {
  const all = listTracepoints();
  const names = new Set(all.map((t) => `${t.category}:${t.event}`));
  assert.equal(names.size, all.length);
  for (const name of ['syscalls:sys_enter_getppid', 'sched:sched_switch', 'sched:sched_process_exec', 'raw_syscalls:sys_enter']) {
    assert.ok(names.has(name), name);
  }
  assert.ok(all.length > 1000, `${all.length} tracepoints`);
  assert.equal(tracefsRoot(), '/sys/kernel/tracing');
});

test('names that could leave the events tree are refused', { skip: needsRoot }, () => {
  assert.throws(() => tracepointId('..', 'id'), (e: unknown) => e instanceof KernelError && e.message === "'..:id' is not a tracepoint name");
  assert.throws(() => readFormat('syscalls', 'a/b'), (e: unknown) => e instanceof KernelError && e.code === 'EINVAL');
});

test('an unknown category is named, with the nearest ones', { skip: needsRoot }, () => {
  assert.throws(
    () => tracepointId('shed', 'sched_switch'),
    (e: unknown) =>
      e instanceof KernelError &&
      e.message === 'this kernel has no tracepoint shed:sched_switch' &&
      e.hint?.startsWith("no category 'shed'; did you mean sched") === true,
  );
});
