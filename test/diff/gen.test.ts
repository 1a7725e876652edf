// The differential generator without a kernel: deterministic, valid for the planner in both modes,
// restricted to the workload, and spread over the tables, shapes and aggregates it is meant to cover.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatement } from '../../src/query/parse.js';
import { planQuery } from '../../src/planner/planner.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';
import { generateQueries, generateQuery } from './gen.js';
import { diffTables } from './tables.js';
import { MODES } from './runner.js';
import { diffContainer } from './workload-spec.js';

const NAMES = { comm: 'dq00042r0007', container: diffContainer(42) };
const SEED = 0x00d1ff;

test('a query is a pure function of its seed and the workload names', () => {
  const a = generateQueries(SEED, 50, NAMES);
  const b = generateQueries(SEED, 50, NAMES);
  assert.deepEqual(a, b);
  assert.deepEqual(generateQuery(a[17]!.seed, NAMES), a[17]);
  assert.notDeepEqual(generateQueries(SEED + 1, 50, NAMES).map((q) => q.sql), a.map((q) => q.sql));
  // The names change only the names.
  const other = generateQuery(a[3]!.seed, { comm: 'dq99999r0001', container: NAMES.container });
  assert.equal(other.sql.replaceAll('dq99999r0001', NAMES.comm), a[3]!.sql);
});

test('every query is restricted to the workload by a conjunct on comm, and says what kind each column is', () => {
  for (const q of generateQueries(SEED, 300, NAMES)) {
    assert.match(q.sql, new RegExp(`WHERE (.* AND )?comm (= '${NAMES.comm}(e\\d)?'|LIKE '${NAMES.comm}(e)?%'|IN \\('${NAMES.comm}(e\\d)?'(, '${NAMES.comm}(e\\d)?')?\\))( AND |( GROUP| HAVING| ORDER| LIMIT).*)?`), q.sql);
    const s = parseStatement(q.sql);
    assert.equal(s.kind, 'query');
    if (s.kind !== 'query') continue;
    assert.equal(q.kinds.length, s.query.items.length, q.sql);
  }
});

test('every query plans in both modes (no diagnostics), and the planned side often aggregates in the kernel', () => {
  const catalog = fixtureCatalog();
  const modes = new Map<string, number>();
  for (const q of generateQueries(SEED, 300, NAMES)) {
    const s = parseStatement(q.sql);
    if (s.kind !== 'query') throw new Error(q.sql);
    // The fixtures hold the tracepoints of the curated tables; the two sys_enter_* tables are live only.
    if (q.table.startsWith('tracepoint.')) continue;
    const planned = planQuery(s.query, catalog, fixturePlannerEnv, MODES.planned.options);
    const streamed = planQuery(s.query, catalog, fixturePlannerEnv, MODES.streamed.options);
    assert.equal(streamed.kernel.mode.kind, 'stream', q.sql);
    // Only the table's own conditions (tcp_state's protocol, syscalls' never-returning calls on
    // sys_enter alone, none for most) are left in the streamed side's kernel: those of a bare
    // query on the same form of the table (entry alone for comm, paired for *).
    const bare = ['comm', '*'].map((what) => {
      const b = parseStatement(`SELECT ${what} FROM ${q.table}`);
      if (b.kind !== 'query') throw new Error(q.table);
      return planQuery(b.query, catalog, fixturePlannerEnv, MODES.streamed.options).kernel;
    }).find((k) => JSON.stringify(k.source) === JSON.stringify(streamed.kernel.source));
    assert.deepEqual(streamed.kernel.filter, bare?.filter, q.sql);
    modes.set(planned.kernel.mode.kind, (modes.get(planned.kernel.mode.kind) ?? 0) + 1);
  }
  assert.ok((modes.get('aggregate') ?? 0) >= 60, JSON.stringify([...modes]));
  assert.ok((modes.get('stream') ?? 0) >= 60, JSON.stringify([...modes]));
});

test('the queries cover every table, every aggregate and the clauses', () => {
  const qs = generateQueries(SEED, 300, NAMES);
  const tables = new Set(qs.map((q) => q.table));
  assert.deepEqual([...tables].sort(), diffTables(NAMES).map((t) => t.name).sort());
  const text = qs.map((q) => q.sql).join('\n');
  for (const needle of ['count(*)', 'sum(', 'min(', 'max(', 'avg(', 'stddev(', 'hist(', 'lhist(', 'quantile(', 'p50(', 'p99(', 'p999(', 'count(DISTINCT',
    ' GROUP BY ', ' HAVING ', ' ORDER BY ', ' LIMIT ', ' BETWEEN ', ' IN (', ' NOT ', ' OR ', ' LIKE ', ' ILIKE ', ' / ', ' // ', ' % ', ' // (-', ' % (-', ' & ', ' << ', ' >> ', 'CASE WHEN']) {
    assert.ok(text.includes(needle), `no query has ${needle}`);
  }
  // Some run as a subquery of a statement DuckDB finishes, and some are scoped to the workload's cgroup.
  assert.ok(qs.filter((q) => q.embedded).length >= 10);
  assert.ok(qs.filter((q) => q.scoped).length >= 10);
  // EVERY queries say how each column merges across windows, and are statements of their own.
  const windowed = qs.filter((q) => q.every);
  assert.ok(windowed.length >= 20, `${windowed.length} EVERY queries`);
  for (const q of windowed) {
    assert.match(q.sql, / EVERY \d+ms$/);
    assert.equal(q.every!.merge.length, q.kinds.length);
    assert.equal(q.embedded, false);
    assert.doesNotMatch(q.sql, / (HAVING|ORDER BY|LIMIT) /);
  }
  // Addresses, signed fields and negative constants.
  assert.match(text, /(saddr|daddr)(_v6)? (=|!=|IN|NOT IN) .*'(::1|127\.0\.0\.1)'/);
  assert.match(text, /GROUP BY [^\n]*(saddr|daddr)/);
  assert.match(text, /FROM tracepoint\.syscalls\.sys_enter_kill WHERE [^\n]*tp_pid[^\n]* -\d/);
  // The cgroup columns: filters the kernel takes as a set of cgroup ids (= and LIKE, a container id
  // by its 12-character prefix), and grouping by container, which the kernel does by cgroup id.
  const c = NAMES.container;
  assert.match(text, new RegExp(`WHERE [^\\n]*container_id = '${c.id.slice(0, 12)}'`, 'i'));
  assert.match(text, /WHERE [^\n]*cgroup LIKE '/i);
  assert.match(text, /GROUP BY [^\n]*container_name/i);
  const kinds = new Set(qs.flatMap((q) => q.kinds));
  assert.deepEqual([...kinds].sort(), ['approx', 'exact', 'float']);
});
