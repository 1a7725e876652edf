// What counts as lost, through the CLI's --strict: calls in flight when a paired table's query
// attaches or ends lie outside its window (not a loss); entries the pairing map has no room for
// are, as are groups the aggregation map has no room for (each one counted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCli } from '../helpers/cli.js';
import { Workload, workloadSkip } from '../helpers/c-workload.js';
import { kernelSkip } from '../helpers/workload.js';

const skip = kernelSkip() || workloadSkip();
const READS = 25;

test('--strict on read: calls in flight at attach and at the end are not losses (complete, exit 0)', { skip }, async () => {
  // Blocked in read(2) of stdin when the query attaches; after "go", 25 reads of /dev/zero, then
  // blocked in read(2) of stdin again until after the query has ended.
  const w = await Workload.start('bqinf', ['reads', String(READS)]);
  try {
    const cli = startCli(['--strict', `SELECT count(*) AS n FROM read WHERE pid = ${w.pid} FOR 2s`], { verbose: true });
    await cli.attached;
    w.goAndHold();
    const r = await cli.done;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, ` n\n--\n${READS}\n(1 row)\ncomplete: no lost records, no failed map updates, no lost pairs, no lost stacks, no skipped events\n`);
    assert.equal(r.stderr, '');
    assert.deepEqual(await w.release(), { code: 0, signal: null });
  } finally {
    w.remove();
  }
});

const THREADS = 10;
const ROOM = 4;

test('a pairing map of 4 with 10 reads in flight loses exactly 6 pairs, and --strict exits 1', { skip }, async () => {
  // 10 threads block in read(2) together, then are released: the map holds 4 of them.
  const w = await Workload.start('bqfull', ['blocked', String(THREADS)]);
  try {
    const cli = startCli(['--strict', '--max-keys', String(ROOM), `SELECT count(*) AS n FROM read WHERE pid = ${w.pid} FOR 2s`], { verbose: true });
    await cli.attached;
    assert.deepEqual(await w.go(), { code: 0, signal: null });
    const r = await cli.done;
    assert.equal(r.code, 1);
    assert.equal(r.stdout, `n\n-\n${ROOM}\n(1 row)\nINCOMPLETE: ${THREADS - ROOM} entry events not saved (too many pairs in flight; raise --max-keys): their pairs are missing\n`);
    assert.equal(r.stderr, 'error: --strict: the result is incomplete\n');
  } finally {
    w.remove();
  }
});

test('an aggregation map of 4 keys with 10 threads to count fails exactly 6 updates, and --strict exits 1', { skip }, async () => {
  // Each of the 10 threads enters read(2) once: 10 groups by tid, room for 4.
  const w = await Workload.start('bqkeys', ['blocked', String(THREADS)]);
  try {
    const cli = startCli(['--strict', '--max-keys', String(ROOM), `SELECT tid, count(*) AS n FROM tracepoint.syscalls.sys_enter_read WHERE pid = ${w.pid} GROUP BY tid FOR 2s`], { verbose: true });
    await cli.attached;
    assert.deepEqual(await w.go(), { code: 0, signal: null });
    const r = await cli.done;
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`\\n\\(${ROOM} rows\\)\\nINCOMPLETE: ${THREADS - ROOM} map updates failed \\(map full; raise --max-keys\\)\\n$`));
    assert.equal(r.stderr, 'error: --strict: the result is incomplete\n');
  } finally {
    w.remove();
  }
});
