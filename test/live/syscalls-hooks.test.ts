// `syscalls` on both hooks: the raw tracepoints (the default) and the classic tracepoints
// (BPFQL_HOOK=tracepoint) give the same exact answers over the same controlled workload, both for
// queries that run on sys_enter alone (no column of the exit) and for those that pair it with sys_exit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { workloadSkip } from '../helpers/c-workload.js';
import { rowsOnHook } from '../helpers/on-hook.js';
import { kernelSkip } from '../helpers/workload.js';

const skip = kernelSkip() || workloadSkip();
const GETPPIDS = 700;
const REFUSED_KILLS = 300;
const ESRCH = 3;
const SIGNALS = 200;

// The workload's calls after the go line: its read of that line (which may have entered before
// the program was attached, so it is left out), the getppids, the kills and exit_group (which
// never returns, and is no row on either side).
const CALLS = GETPPIDS + REFUSED_KILLS;

const REFUSED = ['refused', String(GETPPIDS), String(REFUSED_KILLS)];

const cases: readonly { readonly query: string; readonly rows: unknown[][]; readonly event: 'sys_enter' | 'sys_exit'; readonly workload?: readonly string[] }[] = [
  {
    query: "SELECT syscall, count(*) FROM syscalls WHERE comm = '{comm}' AND syscall IN ('getppid', 'kill') GROUP BY syscall ORDER BY syscall",
    rows: [['getppid', GETPPIDS], ['kill', REFUSED_KILLS]],
    event: 'sys_enter',
  },
  { query: "SELECT comm = '{comm}', count(*) FROM syscalls WHERE comm = '{comm}' AND syscall != 'read' GROUP BY comm", rows: [[true, CALLS]], event: 'sys_enter' },
  { query: "SELECT comm = '{comm}', count(*), min(latency_ns) > 0 FROM syscalls WHERE comm = '{comm}' AND syscall != 'read' GROUP BY comm", rows: [[true, CALLS, true]], event: 'sys_exit' },
  { query: `SELECT ret, count(*) FROM syscalls WHERE comm = '{comm}' AND ret = -${ESRCH} GROUP BY ret`, rows: [[-ESRCH, REFUSED_KILLS]], event: 'sys_exit' },
  {
    query: "SELECT syscall, id, ret, count(*), min(latency_ns) > 0 FROM syscalls WHERE comm = '{comm}' AND id IN (110, 62) GROUP BY ALL ORDER BY id",
    rows: [['kill', 62, -ESRCH, REFUSED_KILLS, true], ['getppid', 110, process.pid, GETPPIDS, true]],
    event: 'sys_exit',
  },
  {
    // rt_sigreturn's exit record says -1 (returning from the handler sets orig_ax to -1): the
    // number is the entry's on both hooks. Its ret is what the interrupted call returned (0).
    query: "SELECT syscall, id, ret, count(*), min(latency_ns) > 0 FROM syscalls WHERE comm = '{comm}' AND syscall IN ('tgkill', 'rt_sigreturn') GROUP BY ALL ORDER BY id",
    rows: [['rt_sigreturn', 15, 0, SIGNALS, true], ['tgkill', 234, 0, SIGNALS, true]],
    event: 'sys_exit',
    workload: ['signals', String(SIGNALS)],
  },
];

for (const c of cases) {
  test(`syscalls on both hooks: ${c.query}`, { skip }, async () => {
    const raw = await rowsOnHook('cheapest', c.query, 'bqhook', c.workload ?? REFUSED);
    const classic = await rowsOnHook('tracepoint', c.query, 'bqhook', c.workload ?? REFUSED);
    assert.equal(raw.source, `raw tracepoint raw_syscalls:${c.event}`);
    assert.equal(classic.source, `tracepoint raw_syscalls:${c.event}`);
    assert.deepEqual(raw.rows, c.rows);
    assert.deepEqual(classic.rows, c.rows);
  });
}
