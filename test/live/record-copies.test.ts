// Record fields that copy their tracepoint's argument (catalog/record-copies.ts) are read from the
// argument on tp_btf, and give the same exact answers as the record on the classic hook over the
// same controlled workload; a query that reads another record field stays on the classic hook.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Catalog } from '../../src/catalog/catalog.js';
import type { Hook } from '../../src/catalog/hook.js';
import { describeSource } from '../../src/catalog/table.js';
import { Engine } from '../../src/engine/engine.js';
import { kernelCatalogEnv } from '../../src/runtime/kernel-env.js';
import { Workload, workloadSkip } from '../helpers/c-workload.js';
import { queryDuring } from '../helpers/query-during.js';
import { kernelSkip } from '../helpers/workload.js';

const skip = kernelSkip() || workloadSkip();
const GETPPIDS = 700;
const REFUSED_KILLS = 300;
const ESRCH = 3;
const GETPPID = 110;
const KILL = 62;

async function onHook(hook: Hook, query: string): Promise<{ rows: unknown[][]; source: string }> {
  const w = await Workload.start('bqcopy', ['refused', String(GETPPIDS), String(REFUSED_KILLS)]);
  const engine = await Engine.open({}, new Catalog({ ...kernelCatalogEnv, hook }));
  try {
    const run = await queryDuring(engine, query.replaceAll('{comm}', w.comm), () => w.go());
    assert.deepEqual(run.kernel.completeness, { lostRecords: 0, failedUpdates: 0, lostPairs: 0, lostStacks: 0, missedEvents: 0 });
    return { rows: run.rows.map((r) => [...r]), source: describeSource(run.kernel.plan.kernel.source) };
  } finally {
    await engine.close();
    w.remove();
  }
}

const cases: readonly { readonly query: string; readonly rows: unknown[][]; readonly cheapest: string }[] = [
  {
    query: `SELECT id, count(*) FROM tracepoint.raw_syscalls.sys_enter WHERE comm = '{comm}' AND id IN (${GETPPID}, ${KILL}) GROUP BY id ORDER BY id`,
    rows: [[KILL, REFUSED_KILLS], [GETPPID, GETPPIDS]],
    cheapest: 'BTF-typed raw tracepoint (tp_btf) raw_syscalls:sys_enter',
  },
  {
    query: `SELECT ret, count(*) FROM tracepoint.raw_syscalls.sys_exit WHERE comm = '{comm}' AND ret = -${ESRCH} GROUP BY ret`,
    rows: [[-ESRCH, REFUSED_KILLS]],
    cheapest: 'BTF-typed raw tracepoint (tp_btf) raw_syscalls:sys_exit',
  },
  {
    // args (six registers, 48 bytes) is the record's alone: the classic hook on both.
    query: `SELECT id, octet_length(args), count(*) FROM tracepoint.raw_syscalls.sys_enter WHERE comm = '{comm}' AND id = ${KILL} GROUP BY ALL`,
    rows: [[KILL, 48, REFUSED_KILLS]],
    cheapest: 'tracepoint raw_syscalls:sys_enter',
  },
  {
    // sys_exit's id is syscall_get_nr() in the record, not an argument: the classic hook on both.
    query: `SELECT id, ret, count(*) FROM tracepoint.raw_syscalls.sys_exit WHERE comm = '{comm}' AND id = ${KILL} GROUP BY ALL`,
    rows: [[KILL, -ESRCH, REFUSED_KILLS]],
    cheapest: 'tracepoint raw_syscalls:sys_exit',
  },
];

for (const c of cases) {
  test(`record fields that copy an argument, on both hooks: ${c.query}`, { skip }, async () => {
    const cheapest = await onHook('cheapest', c.query);
    const classic = await onHook('tracepoint', c.query);
    assert.equal(cheapest.source, c.cheapest);
    assert.match(classic.source, /^tracepoint raw_syscalls:/);
    assert.deepEqual(cheapest.rows, c.rows);
    assert.deepEqual(classic.rows, c.rows);
  });
}
