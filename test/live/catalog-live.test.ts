// The catalog over this machine's tracefs: DESCRIBE of a syscall tracepoint, and SHOW TABLES /
// bpfql_tables agreeing with what tracefs has.
import { starColumns } from '../../src/catalog/stack-columns.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine.js';
import { COMMON_COLUMNS } from '../../src/catalog/common-columns.js';
import { parseFormat } from '../../src/catalog/format.js';
import { kernelCatalog } from '../../src/runtime/kernel-env.js';
import { readFormat, tracefsRoot } from '../../src/kernel/tracefs.js';
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
    assert.deepEqual(described.slice(COMMON_COLUMNS.length).filter((r) => r[0] !== 'kstack' && r[0] !== 'ustack'), [
      ['__syscall_nr', 's32', 'int'],
      ['dfd', 's32', 'int'],
      ['filename', 'string', 'user string (const char *)'],
      ['flags', 's32', 'int'],
      ['mode', 'u16', 'umode_t'],
      // The per-syscall events have no raw tracepoint of their own, hence no typed arguments; every table has the current task.
      ['current', 'struct task_struct *', 'the task the event runs in; members as <name>.<member> (DESCRIBE STRUCT task_struct)'],
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

test('every field of every tracepoint format on this kernel is a column (byte arrays as BLOB or addresses)', { skip }, () => {
  const catalog = kernelCatalog();
  let fields = 0;
  let blobs = 0;
  for (const name of catalog.tracepointNames()) {
    const [category, event] = name.slice('tracepoint.'.length).split('.') as [string, string];
    const r = catalog.resolve(name);
    if (r.kind !== 'table') continue;
    const format = parseFormat(readFormat(category, event));
    const own = starColumns(r.table.columns).slice(starColumns(COMMON_COLUMNS).length);
    assert.deepEqual(own.map((c) => c.name.replace(/^tp_/, '')), format.fields.map((f) => f.name), name);
    fields += own.length;
    blobs += own.filter((c) => c.type.kind === 'bytes').length;
  }
  assert.ok(fields > 5000 && blobs > 0, `${fields} fields, ${blobs} BLOBs`);
  const tcp = catalog.resolve('tracepoint.tcp.tcp_retransmit_skb');
  if (tcp.kind !== 'table') throw new Error('no tcp_retransmit_skb');
  assert.deepEqual(['saddr', 'daddr', 'saddr_v6', 'daddr_v6'].map((n) => {
    const c = tcp.table.columns.find((x) => x.name === n)!;
    return `${c.name} ${c.decode ?? c.source.kind}`;
  }), ['saddr ipv4', 'daddr ipv4', 'saddr_v6 address', 'daddr_v6 address']);
});
