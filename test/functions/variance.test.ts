// variance(x) without a kernel: planned as a kernel aggregate on stddev's exact sums (sharing
// stddev(x)'s state), left to DuckDB when its argument cannot run in the kernel, type-checked,
// and its user-space merge equal to DuckDB's variance over the same values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { disassemble } from '../../src/bpf/index.js';
import { QueryError } from '../../src/diag/diagnostic.js';
import type { CpuState } from '../../src/functions/aggregate.js';
import { NO_PARAMS } from '../../src/functions/aggregate.js';
import { varianceAggregate } from '../../src/functions/variance.js';
import { FLOAT } from '../../src/catalog/types.js';
import type { AggregateMode } from '../../src/planner/plan.js';
import { Session } from '../../src/store/session.js';
import { compileQuery } from '../helpers/test-run.js';

const EXIT = 'tracepoint.syscalls.sys_exit_openat';

function aggregateMode(sql: string): AggregateMode {
  const mode = compileQuery(sql).plan.kernel.mode;
  if (mode.kind !== 'aggregate') throw new Error(`planned as ${mode.kind}`);
  return mode;
}

/** One CPU's moments state for `values`: its event count, Σx in two words, Σx² in three. */
function cpu(values: readonly bigint[]): CpuState {
  const sum = BigInt.asUintN(128, values.reduce((s, v) => s + v, 0n));
  const squares = values.reduce((s, v) => s + v * v, 0n);
  const words = [0, 1].map((i) => BigInt.asUintN(64, sum >> BigInt(64 * i))).concat([0, 1, 2].map((i) => BigInt.asUintN(64, squares >> BigInt(64 * i))));
  const view = new DataView(new ArrayBuffer(8 * (1 + words.length)));
  view.setBigUint64(0, BigInt(values.length), true);
  words.forEach((w, i) => view.setBigUint64(8 + 8 * i, w, true));
  return { count: BigInt(values.length), view, offset: 8 };
}

test('variance is a kernel aggregate: a DOUBLE from a 40-byte state after the event count', () => {
  const { plan } = compileQuery(`SELECT comm, variance(ret) FROM ${EXIT} GROUP BY comm`);
  const mode = plan.kernel.mode;
  assert.ok(mode.kind === 'aggregate', mode.kind);
  assert.deepEqual(mode.aggregates.map((a) => [a.name, a.fn, a.offset, a.resultType, a.params, a.stateOf ?? '-']), [['a0', 'variance', 8, FLOAT, NO_PARAMS, '-']]);
  assert.equal(mode.valueSize, 8 + 40);
  assert.deepEqual(plan.kernelColumns.map((c) => [c.name, c.type.kind]), [['k0', 'string'], ['a0', 'float']]);
  assert.equal(plan.residualSql, 'SELECT k0 AS comm, a0 AS "variance(ret)" FROM __bpfql_kernel');
});

test('variance and stddev of one argument share one state, updated once; another argument gets its own', () => {
  const sql = `SELECT variance(ret), stddev(ret), variance(ret + 1) FROM ${EXIT}`;
  const mode = aggregateMode(sql);
  assert.deepEqual(mode.aggregates.map((a) => [a.name, a.fn, a.offset, a.stateOf ?? '-']), [
    ['a0', 'variance', 8, '-'],
    ['a1', 'stddev', 8, 'a0'],
    ['a2', 'variance', 48, '-'],
  ]);
  assert.equal(mode.valueSize, 8 + 2 * 40);
  const text = disassemble(compileQuery(sql).program.assembled);
  assert.equal(text.match(/moments: Σx \+= x/g)?.length, 2);
});

test('variance of what the kernel cannot compute, or with kernel aggregation off, is DuckDB\'s', () => {
  const divided = compileQuery(`SELECT variance(ret / 2) FROM ${EXIT}`).plan;
  assert.equal(divided.kernel.mode.kind, 'stream');
  assert.equal(divided.residualSql, 'SELECT variance(ret / 2) AS "variance(ret / 2)" FROM __bpfql_kernel');
  const off = compileQuery(`SELECT variance(ret) FROM ${EXIT}`, { kernelAggregation: false }).plan;
  assert.equal(off.kernel.mode.kind, 'stream');
  assert.equal(off.residualSql, 'SELECT variance(ret) AS "variance(ret)" FROM __bpfql_kernel');
});

test('variance takes one number', () => {
  const refusal = (sql: string): string => {
    try {
      compileQuery(sql);
    } catch (e) {
      if (e instanceof QueryError) return e.diagnostics[0]!.code;
      throw e;
    }
    throw new Error(`'${sql}' was planned`);
  };
  assert.equal(refusal(`SELECT variance(comm) FROM ${EXIT}`), 'type-mismatch');
  assert.equal(refusal(`SELECT variance(ret, 2) FROM ${EXIT}`), 'wrong-arity');
});

test('the merged variance equals DuckDB\'s variance of the same values; NULL for fewer than two', async () => {
  const a = [0n, 1n, 7n, 4294967295n, 123456789n, -2147483648n, 5n];
  const b = [3000000000n, -17n, 4294967294n, 65536n];
  const kernel = varianceAggregate.finalize([cpu(a), cpu([]), cpu(b)], true, NO_PARAMS) as number;
  const s = await Session.open();
  try {
    const r = await s.run(`SELECT variance(x) FROM (VALUES ${[...a, ...b].map((x) => `(${x}::BIGINT)`).join(', ')}) t(x)`);
    const duckdb = r.rows[0]![0] as number;
    assert.ok(Math.abs(kernel - duckdb) <= 1e-9 * duckdb, `kernel ${kernel}, DuckDB ${duckdb}`);
    assert.equal((await s.run('SELECT variance(x) FROM (VALUES (42::BIGINT)) t(x)')).rows[0]![0], null);
  } finally {
    await s.close();
  }
  assert.equal(varianceAggregate.finalize([cpu([42n]), cpu([])], true, NO_PARAMS), null);
  assert.equal(varianceAggregate.finalize([cpu([42n]), cpu([44n])], true, NO_PARAMS), 2);
});
