// The catalog over this machine's tracefs: DESCRIBE of a syscall tracepoint, and SHOW TABLES /
// bpfql_tables agreeing with what tracefs has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine.js';
import { tracefsRoot } from '../../src/kernel/tracefs.js';
import { kernelSkip } from '../helpers/workload.js';

const skip = kernelSkip();

async function rows(engine: Engine, sql: string): Promise<readonly (readonly unknown[])[]> {
  const o = await engine.execute(sql);
  if (o.kind !== 'rows') throw new Error(`${sql} gave ${o.kind}`);
  return o.result.rows;
}

test('DESCRIBE tracepoint.syscalls.sys_enter_openat lists the live format\'s fields and types', { skip }, async () => {
  const engine = await Engine.open();
  try {
    const described = await rows(engine, 'DESCRIBE tracepoint.syscalls.sys_enter_openat');
    assert.deepEqual(described.slice(9), [
      ['__syscall_nr', 's32', 'int'],
      ['dfd', 'u64', 'int'],
      ['filename', 'string', 'user string (const char *)'],
      ['flags', 'u64', 'int'],
      ['mode', 'u64', 'umode_t'],
      ['(source)', '', 'tracepoint syscalls:sys_enter_openat'],
    ]);
  } finally {
    await engine.close();
  }
});

test('SHOW TABLES and bpfql_tables agree with tracefs', { skip }, async () => {
  const engine = await Engine.open();
  try {
    const events = join(tracefsRoot(), 'events');
    for (const [name, kind, available, description] of await rows(engine, 'SHOW TABLES')) {
      if (kind !== 'kernel' || available) continue;
      // An unavailable table names a tracepoint tracefs really lacks.
      const m = /no tracepoint (\w+):(\w+)/.exec(String(description));
      assert.ok(m, `${name}: ${description}`);
      assert.equal(existsSync(join(events, m[1]!, m[2]!)), false, `${name}: ${description}`);
    }
    // Every event tracing offers (ftrace's own internal events are not among them).
    const tracepoints = readFileSync(join(tracefsRoot(), 'available_events'), 'latin1').split('\n').filter((l) => l.includes(':')).length;
    assert.deepEqual(await rows(engine, "SELECT count(*) FROM bpfql_tables WHERE kind = 'tracepoint'"), [[tracepoints]]);
    assert.deepEqual(
      await rows(engine, "SELECT column_name, type FROM bpfql_columns WHERE table_name = 'tracepoint.sched.sched_process_exec' AND column_name IN ('filename', 'tp_pid', 'old_pid')"),
      [['filename', 'string'], ['tp_pid', 's32'], ['old_pid', 's32']],
    );
  } finally {
    await engine.close();
  }
});
