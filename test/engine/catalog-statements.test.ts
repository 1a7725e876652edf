import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mentionsCatalogTables } from '../../src/engine/catalog-statements.js';
import { Engine } from '../../src/engine/engine.js';
import type { QueryResult } from '../../src/store/session.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

/** An engine over the fixtures, on a kernel without block:block_rq_issue. */
async function withEngine(f: (engine: Engine) => Promise<void>): Promise<void> {
  const engine = await Engine.open({}, fixtureCatalog({ 'block/block_rq_issue': undefined }), fixturePlannerEnv);
  try {
    await f(engine);
  } finally {
    await engine.close();
  }
}

async function rows(engine: Engine, sql: string): Promise<QueryResult['rows']> {
  const o = await engine.execute(sql);
  if (o.kind !== 'rows') throw new Error(`${sql} gave ${o.kind}`);
  return o.result.rows;
}

/** Every table but profile ends with its stack columns, which `*` leaves out. */
const NOTE = "frames innermost first, separated by ';' (symbolised after the run; NULL when there is none); not part of *, name it to get it";
const STACKS = [
  ['kstack', 'string', `kernel call stack where the event fired, ${NOTE}`],
  ['ustack', 'string', `user call stack of the task the event ran in, ${NOTE}`],
];

const COMMON = [
  'ts timestamp', 'cpu u32', 'pid s32', 'tid s32', 'ppid s32', 'uid u32', 'gid u32', 'comm string', 'cgroup_id u64',
  // Named from the cgroup id in user space, left out of * (see test/planner/cgroup-filters.test.ts).
  'cgroup string', 'container_id string', 'container_runtime string', 'container_name string', 'pod_uid string', 'pod_name string', 'pod_namespace string',
];

/** Every table's last row before its source: the current task, whose members paths read. */
const CURRENT = ['current', 'struct task_struct *', 'the task the event runs in; members as <name>.<member> (DESCRIBE STRUCT task_struct)'];

test('DESCRIBE of a tracepoint lists its format fields with their types', async () => {
  await withEngine(async (engine) => {
    const described = await rows(engine, 'DESCRIBE tracepoint.syscalls.sys_enter_openat');
    assert.deepEqual(described.slice(0, COMMON.length).map((r) => `${r[0]} ${r[1]}`), COMMON);
    assert.deepEqual(described.slice(COMMON.length), [
      ['__syscall_nr', 's32', 'int'],
      ['dfd', 's32', 'int'],
      ['filename', 'string', 'user string (const char *)'],
      ['flags', 's32', 'int'],
      ['mode', 'u16', 'umode_t'],
      ...STACKS,
      CURRENT,
      ['(source)', '', 'tracepoint syscalls:sys_enter_openat'],
    ]);
  });
});

test('DESCRIBE of a curated table shows decoded columns as text and where the rows come from', async () => {
  await withEngine(async (engine) => {
    const described = await rows(engine, 'DESCRIBE syscalls');
    assert.deepEqual(described.slice(COMMON.length), [
      ['syscall', 'string', "syscall name (x86_64 table; syscall_<n> for numbers it does not name) (text: syscall name; the kernel records a s64)"],
      ['id', 's64', 'syscall number'],
      ['ret', 's64', 'return value, or -errno'],
      ['latency_ns', 'u64', 'nanoseconds from entry to return'],
      ...STACKS,
      CURRENT,
      ['(source)', '', 'raw tracepoint raw_syscalls:sys_enter paired with raw tracepoint raw_syscalls:sys_exit; raw tracepoint raw_syscalls:sys_enter alone when a query reads none of ts, cpu, ret, latency_ns, kstack, ustack'],
    ]);
    const connect = await rows(engine, 'DESCRIBE tcp_connect');
    assert.deepEqual(connect.at(-1), ['(source)', '', 'raw tracepoint sock:inet_sock_set_state where protocol IN (6) and newstate IN (2)']);
    await assert.rejects(engine.execute('DESCRIBE block_io'), /table-unavailable/);
  });
});

test('SHOW TABLES lists each curated table with whether it is available, and why not', async () => {
  await withEngine(async (engine) => {
    const shown = await rows(engine, 'SHOW TABLES');
    const kernel = shown.filter((r) => r[1] === 'kernel');
    assert.deepEqual(kernel.find((r) => r[0] === 'block_io'), ['block_io', 'kernel', false, 'unavailable: this kernel has no tracepoint block:block_rq_issue', null]);
    assert.deepEqual(kernel.find((r) => r[0] === 'exit'), ['exit', 'kernel', true, 'thread and process exits, with exit code and lifetime (sched:sched_process_exit)', 'raw tracepoint']);
    assert.deepEqual(kernel.find((r) => r[0] === 'syscalls')?.[4], 'raw tracepoint');
    assert.deepEqual(kernel.find((r) => r[0] === 'exec')?.[4], 'raw tracepoint');
    assert.deepEqual(kernel.find((r) => r[0] === 'open')?.[4], 'tracepoint');
    for (const name of ['exec', 'exit', 'fork', 'open', 'syscalls', 'read', 'write', 'tcp_connect', 'tcp_state', 'tcp_retransmit', 'tcp_reset', 'packet_drops', 'net_dev', 'socket_io', 'tcp_life', 'sched_switch', 'runq_latency', 'page_faults', 'signals', 'oom_kill']) {
      assert.equal(kernel.find((r) => r[0] === name)?.[2], true, name);
    }
    assert.deepEqual(shown.find((r) => r[0] === 'tracepoint.<category>.<event>'), ['tracepoint.<category>.<event>', 'kernel', true, '41 tracepoints (listed in bpfql_tables)', 'tracepoint']);
    assert.deepEqual(shown.filter((r) => r[1] === 'catalog').map((r) => r[0]), ['bpfql_tables', 'bpfql_columns']);
    assert.deepEqual(shown.filter((r) => r[1] === 'duckdb').map((r) => r[0]), ['bpfql_runs']);
  });
});

test('bpfql_tables and bpfql_columns are DuckDB tables, made when first named', async () => {
  await withEngine(async (engine) => {
    const catalogTables = "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'bpfql%' ORDER BY 1";
    assert.deepEqual(await rows(engine, catalogTables), [['bpfql_runs']]);
    assert.deepEqual(await rows(engine, 'SELECT kind, available, count(*) FROM bpfql_tables GROUP BY ALL ORDER BY ALL'), [
      ['curated', false, 1], ['curated', true, 22], ['tracepoint', true, 41],
    ]);
    assert.deepEqual(await rows(engine, 'SELECT name, source, reason FROM bpfql_tables WHERE NOT available'), [
      ['block_io', 'tracepoint block:block_rq_issue, tracepoint block:block_io_start paired with tracepoint block:block_rq_complete', 'this kernel has no tracepoint block:block_rq_issue'],
    ]);
    assert.deepEqual(await rows(engine, "SELECT source FROM bpfql_tables WHERE name = 'tracepoint.sock.inet_sock_set_state'"), [['tracepoint sock:inet_sock_set_state']]);
    assert.deepEqual(
      await rows(engine, `SELECT column_name, type FROM bpfql_columns WHERE table_name = 'tracepoint.syscalls.sys_enter_openat' AND column_name NOT IN (SELECT column_name FROM bpfql_columns WHERE table_name = 'exec' LIMIT ${COMMON.length})`),
      [['__syscall_nr', 's32'], ['dfd', 's32'], ['filename', 'string'], ['flags', 's32'], ['mode', 'u16'], ['kstack', 'string'], ['ustack', 'string']],
    );
    assert.deepEqual(await rows(engine, "SELECT type FROM bpfql_columns WHERE table_name = 'tcp_state' AND column_name = 'daddr'"), [['string']]);
    assert.deepEqual(await rows(engine, "SELECT count(*) FROM bpfql_columns WHERE table_name = 'block_io'"), [[0]]);
    // Temporary: they describe this kernel and are never saved in a database file.
    assert.deepEqual(await rows(engine, "SELECT table_catalog FROM information_schema.tables WHERE table_name IN ('bpfql_tables', 'bpfql_columns')"), [['temp'], ['temp']]);
  });
});

test('which statements name the catalog tables', () => {
  assert.equal(mentionsCatalogTables('select * from BPFQL_TABLES'), true);
  assert.equal(mentionsCatalogTables('DESCRIBE bpfql_columns'), true);
  assert.equal(mentionsCatalogTables('SELECT * FROM bpfql_runs'), false);
  assert.equal(mentionsCatalogTables('SELECT * FROM my_bpfql_tables_copy'), false);
  assert.equal(mentionsCatalogTables('SELECT * FROM "bpfql_tables"'), true);
  // Text and comments are not code.
  assert.equal(mentionsCatalogTables("SELECT 'bpfql_tables' AS t -- bpfql_columns"), false);
});
