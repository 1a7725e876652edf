// Record fields that copy their tracepoint's argument (catalog/record-copies.ts) are read from the
// argument on tp_btf, and give the same exact answers as the record on the classic hook over the
// same controlled workload; a query that reads another record field stays on the classic hook.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { workloadSkip } from '../helpers/c-workload.js';
import { rowsOnHook } from '../helpers/on-hook.js';
import { kernelSkip } from '../helpers/workload.js';

const skip = kernelSkip() || workloadSkip();
const GETPPIDS = 700;
const REFUSED_KILLS = 300;
const ESRCH = 3;
const GETPPID = 110;
const KILL = 62;
const REFUSED = ['refused', String(GETPPIDS), String(REFUSED_KILLS)];

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
    const cheapest = await rowsOnHook('cheapest', c.query, 'bqcopy', REFUSED);
    const classic = await rowsOnHook('tracepoint', c.query, 'bqcopy', REFUSED);
    assert.equal(cheapest.source, c.cheapest);
    assert.match(classic.source, /^tracepoint raw_syscalls:/);
    assert.deepEqual(cheapest.rows, c.rows);
    assert.deepEqual(classic.rows, c.rows);
  });
}
