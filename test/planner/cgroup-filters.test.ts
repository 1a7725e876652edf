// Filters on the cgroup text columns: WHERE conjuncts of the forms the kernel takes become a test of
// the cgroup id against a set (a hash map per filter); everything else about them is DuckDB's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileKernelPlan } from '../../src/bpf-templates/compile.js';
import { planQuery } from '../../src/planner/planner.js';
import { printKExpr } from '../../src/planner/print-kexpr.js';
import { parseStatement } from '../../src/query/parse.js';
import { printExpr } from '../../src/query/print.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';
import { splitOf } from './passes.js';

const ID = '0123456789abcdef'.repeat(4);
const REFUSED = (c: string): string => `'${c}' is named from the cgroup id in user space, so DuckDB computes this; the kernel takes only WHERE ${c} = 'text' or LIKE 'pattern'`;

test('container_id =, pod_name = and cgroup LIKE become one set each, beside the other filters', () => {
  const s = splitOf(`SELECT comm FROM exec WHERE container_id = '${ID.slice(0, 12)}' AND pid > 1 AND cgroup LIKE '/kubepods.slice/%' AND 'api' = pod_name`);
  assert.equal(printKExpr(s.filter!),
    `(((cgroup_id IN cgset0 (container_id = '${ID.slice(0, 12)}') AND (pid > 1)) AND cgroup_id IN cgset1 (cgroup LIKE '/kubepods.slice/%')) AND cgroup_id IN cgset2 (pod_name = 'api'))`);
  assert.deepEqual(s.kept, []);
});

test('other uses of the cgroup columns are DuckDB\'s: !=, NOT LIKE, IS NULL, OR, count()', () => {
  const s = splitOf("SELECT comm FROM exec WHERE container_id != 'x' AND cgroup NOT LIKE '/a%' AND pod_name IS NULL AND (container_name = 'a' OR pid = 1)");
  assert.equal(s.filter, undefined);
  assert.deepEqual(s.kept.map((k) => [printExpr(k.expr), k.reason]), [
    ["container_id != 'x'", REFUSED('container_id')],
    ["cgroup NOT LIKE '/a%'", REFUSED('cgroup')],
    ['pod_name IS NULL', REFUSED('pod_name')],
    ["container_name = 'a' OR pid = 1", REFUSED('container_name')],
  ]);
  const n = splitOf('SELECT count(pod_uid) FROM exec');
  assert.equal(n.work.kind === 'stream' ? n.work.reason : '', REFUSED('pod_uid'));
});

test('the cgroup columns are left out of *, carried as the cgroup id, and a set is slots of ids in an array, then a hash map', () => {
  const stmt = parseStatement(`SELECT container_id, pod_name FROM exec WHERE container_id = '${ID}'`);
  if (stmt.kind !== 'query') throw new Error('not a query');
  const plan = planQuery(stmt.query, fixtureCatalog(), fixturePlannerEnv);
  const mode = plan.kernel.mode;
  assert.equal(mode.kind, 'stream');
  if (mode.kind === 'stream') assert.deepEqual(mode.fields.map((f) => [f.name, f.width]), [['container_id', 8], ['pod_name', 8]]);
  const program = compileKernelPlan(plan.kernel, plan.table);
  assert.deepEqual(program.maps.filter((m) => m.name.startsWith('cg')), [
    { name: 'cgset0', type: 'array', keySize: 4, valueSize: 72, maxEntries: 1 },
    { name: 'cghash0', type: 'hash', keySize: 8, valueSize: 1, maxEntries: 65536, flags: 1 },
  ]);
  // A whole id or a prefix means the same in DuckDB as in the kernel's set.
  assert.match(plan.residualSql, /^SELECT container_id AS container_id, pod_name AS pod_name FROM \S+$/);
  const star = parseStatement('SELECT * FROM exec');
  if (star.kind !== 'query') throw new Error('not a query');
  const starPlan = planQuery(star.query, fixtureCatalog(), fixturePlannerEnv);
  assert.ok(!starPlan.kernelColumns.some((c) => c.name === 'container_id'));
});

test('with the filter kept for DuckDB, a container id prefix is starts_with there too', () => {
  const stmt = parseStatement(`SELECT comm FROM exec WHERE container_id = '${ID.slice(0, 12)}' AND container_id = 'short'`);
  if (stmt.kind !== 'query') throw new Error('not a query');
  const plan = planQuery(stmt.query, fixtureCatalog(), fixturePlannerEnv, { kernelFilter: false });
  assert.match(plan.residualSql, new RegExp(`WHERE \\(starts_with\\(container_id, '${ID.slice(0, 12)}'\\)\\) AND \\(container_id = 'short'\\)`));
});

test('grouped by a cgroup column, the kernel groups by cgroup id and DuckDB merges count, sum, min and max per name', () => {
  const stmt = parseStatement('SELECT container_name, count(*) AS n, sum(pid), min(pid) FROM exec GROUP BY container_name HAVING count(*) > 1 ORDER BY n');
  if (stmt.kind !== 'query') throw new Error('not a query');
  const plan = planQuery(stmt.query, fixtureCatalog(), fixturePlannerEnv);
  const mode = plan.kernel.mode;
  assert.equal(mode.kind, 'aggregate');
  if (mode.kind === 'aggregate') assert.deepEqual(mode.keys.map((k) => [k.name, k.width, k.expr.kind === 'column' && k.expr.column.source.kind]), [['k0', 8, 'cgroup']]);
  assert.match(plan.residualSql, /^SELECT k0 AS container_name, CAST\(sum\(a0\) AS "BIGINT"\) AS n, CAST\(sum\(a1\) AS "BIGINT"\) AS "sum\(pid\)", CAST\(min\(a2\) AS "BIGINT"\) AS "min\(pid\)" FROM \S+ GROUP BY k0 HAVING CAST\(sum\(a0\) AS "BIGINT"\) > 1 ORDER BY n$/);
  const avg = splitOf('SELECT pod_name, avg(pid) FROM exec GROUP BY pod_name');
  assert.equal(avg.work.kind === 'stream' ? avg.work.reason : '', 'avg() per pod_name: the kernel groups by cgroup, and several cgroups can share one pod_name; DuckDB merges only count, sum, min and max of them');
});

test('a command\'s cgroup tree is one ancestor test, first in the filter; the single cgroup of watch --cgroup stays a compare', () => {
  const tree = splitOf("SELECT comm FROM exec WHERE comm = 'x'", { cgroupTree: { id: 4242n, level: 1 } });
  assert.equal(tree.filter && printKExpr(tree.filter), "((ancestor_cgroup_id(1) = 4242) AND comm = 'x')");
  const one = splitOf("SELECT comm FROM exec WHERE comm = 'x'", { cgroupId: 4242n });
  assert.equal(one.filter && printKExpr(one.filter), "((cgroup_id = 4242) AND comm = 'x')");
});
