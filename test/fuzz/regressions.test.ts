// Inputs the fuzzer found to crash, hang or overflow the pipeline, kept as fixed tests of what
// each stage does instead: a diagnostic pointing into the query, or the work left to DuckDB.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { compileKernelPlan } from '../../src/bpf-templates/compile.js';
import { QueryError, type Diagnostic } from '../../src/diag/diagnostic.js';
import type { KExpr } from '../../src/planner/kexpr.js';
import type { Plan } from '../../src/planner/plan.js';
import { planQuery } from '../../src/planner/planner.js';
import { parseStatement } from '../../src/query/parse.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

function diagnosticOf(text: string): Diagnostic {
  try {
    plan(text);
  } catch (e) {
    if (e instanceof QueryError) return e.diagnostics[0]!;
    throw e;
  }
  assert.fail(`no diagnostic for ${text.slice(0, 60)}…`);
}

function plan(text: string): Plan {
  const s = parseStatement(text);
  if (s.kind !== 'query') throw new Error('not a query');
  const p = planQuery(s.query, fixtureCatalog(), fixturePlannerEnv);
  compileKernelPlan(p.kernel, p.table);
  return p;
}

function depth(e: KExpr): number {
  switch (e.kind) {
    case 'column': case 'const': case 'string-match': return 1;
    case 'neg': case 'bitnot': case 'not': return 1 + depth(e.operand);
    case 'arith': case 'compare': case 'and': case 'or': return 1 + Math.max(depth(e.left), depth(e.right));
  }
}

const NESTING = { code: 'unsupported', params: { feature: 'nesting expressions more than 64 deep' } };

test('parentheses nested past 64 levels are refused at the parenthesis that goes too deep', () => {
  // The select item is the first level, so 63 parentheses fit.
  assert.equal(plan(`SELECT ${'('.repeat(63)}pid${')'.repeat(63)} FROM exec`).kernel.mode.kind, 'stream');
  const text = `SELECT ${'('.repeat(200)}pid${')'.repeat(200)} FROM exec`;
  // The span is the first token of the expression one level too deep: the 65th parenthesis.
  assert.deepEqual(diagnosticOf(text), { ...NESTING, span: { start: 7 + 64, end: 7 + 65 } });
});

test('prefix operators and NOT count as nesting too', () => {
  assert.deepEqual(diagnosticOf(`SELECT pid FROM exec WHERE ${'- '.repeat(100)}pid > 0`), { ...NESTING, span: { start: 27 + 2 * 63, end: 27 + 2 * 63 + 1 } });
  assert.deepEqual(diagnosticOf(`SELECT pid FROM exec WHERE ${'NOT '.repeat(100)}pid > 0`), { ...NESTING, span: { start: 27 + 4 * 63, end: 27 + 4 * 63 + 3 } });
  // A parse that failed deep inside leaves no count behind for the next one.
  assert.equal(plan(`SELECT ${'('.repeat(63)}pid${')'.repeat(63)} FROM exec`).table, 'exec');
});

test('an operator chain deeper than 256 is refused, pointing at the expression', () => {
  const chain = (n: number): string => Array.from({ length: n }, (_, i) => `pid = ${i}`).join(' OR ');
  const text = `SELECT pid FROM exec WHERE ${chain(300)} ORDER BY pid`;
  assert.deepEqual(diagnosticOf(text), {
    code: 'unsupported',
    params: { feature: 'an expression more than 256 operators deep' },
    span: { start: 27, end: text.indexOf(' ORDER BY') },
  });
  // A left-deep chain of n comparisons is n + 1 deep.
  assert.equal(plan(`SELECT pid FROM exec WHERE ${chain(255)}`).table, 'exec');
  assert.equal(diagnosticOf(`SELECT pid FROM exec WHERE ${chain(256)}`).code, 'unsupported');
});

test('a syntax error deep in a long query is reported without the slow list of what was expected', () => {
  const text = `SELECT ${'pid, '.repeat(500)}FROM exec`;
  const d = diagnosticOf(text);
  assert.deepEqual(d, { code: 'parse-error', params: { expected: [], found: "'FROM'" }, span: { start: text.indexOf('FROM'), end: text.indexOf('FROM') + 4 } });
  // Short queries keep the list.
  assert.deepEqual(diagnosticOf('SELECT pid, FROM exec').params, { expected: ["'*'", 'expression'], found: "'FROM'", hint: '"from"' });
});

test('an expression needing more registers than the program has runs in DuckDB', () => {
  let e = 'pid';
  for (let i = 0; i < 12; i++) e = `pid + (${e})`;
  const p = plan(`SELECT pid FROM exec WHERE ${e} > 0 AND tid > 1`);
  assert.equal(p.residualFilters.length, 1);
  assert.ok(p.residualFilters[0]!.startsWith('pid + (pid + '));
  assert.equal(p.kernel.filter?.kind, 'compare');
  const agg = plan(`SELECT sum(${e}) FROM exec`);
  assert.equal(agg.kernel.mode.kind, 'stream');
});

test('long IN lists become a balanced OR; past the instruction budget they run in DuckDB', () => {
  const list = (n: number): string => Array.from({ length: n }, (_, i) => i).join(', ');
  const p = plan(`SELECT pid FROM exec WHERE pid IN (${list(1000)})`);
  assert.ok(p.kernel.filter);
  // 10 levels of OR (2^10 >= 1000), the comparison, its operands.
  assert.equal(depth(p.kernel.filter), 12);
  const big = plan(`SELECT pid FROM exec WHERE pid IN (${list(10_000)}) AND tid IN (${list(1000)})`);
  assert.equal(big.residualFilters.length, 1);
  assert.ok(big.residualFilters[0]!.startsWith('pid IN (0, 1, 2'));
  // Conjuncts share the budget: the second of two lists that fit alone is left to DuckDB.
  const two = plan(`SELECT pid FROM exec WHERE pid IN (${list(1200)}) AND tid IN (${list(1200)})`);
  assert.equal(two.residualFilters.length, 1);
  assert.ok(two.residualFilters[0]!.startsWith('tid IN (0, 1, 2'));
});

test('integer constants beyond 64 bits are compared in DuckDB, not wrapped in the kernel', () => {
  const p = plan('SELECT pid FROM exec WHERE cgroup_id = 18446744073709551616 AND pid = 18446744073709551615');
  assert.deepEqual(p.residualFilters, ['cgroup_id = 18446744073709551616']);
  // 2^64 - 1 fits 64 bits, so the kernel keeps it; no signed pid equals it, so it folds to false.
  assert.deepEqual(p.kernel.filter, { kind: 'const', value: 0n, signed: false });
});

test('a GROUP BY key too large for the stack is aggregated by DuckDB', () => {
  const keys = Array.from({ length: 100 }, (_, i) => `pid * ${i + 1}`).join(', ');
  const p = plan(`SELECT count(*) FROM exec GROUP BY ${keys}`);
  assert.equal(p.kernel.mode.kind, 'stream');
  assert.equal(plan(`SELECT count(*) FROM exec GROUP BY ${Array.from({ length: 10 }, (_, i) => `pid * ${i + 1}`).join(', ')}`).kernel.mode.kind, 'aggregate');
});

test('a uprobe binary that cannot be read is a bad argument, and a file that never ends is not waited for', () => {
  const text = "SELECT * FROM uprobe('/proc/self/mem', 'main')";
  assert.deepEqual(diagnosticOf(text), {
    code: 'bad-argument',
    params: { name: 'uprobe', reason: "'/proc/self/mem' is not a binary bpfql can probe: it cannot be read (EIO)" },
    span: { start: 21, end: 37 },
  });
  // Only ELF files are read whole: a text file is recognised from its first bytes.
  assert.deepEqual(diagnosticOf("SELECT * FROM uprobe('/etc/passwd', 'main')").params, { name: 'uprobe', reason: "'/etc/passwd' is not a binary bpfql can probe: not an ELF file" });
});

const TRACE_PIPE = '/sys/kernel/tracing/trace_pipe';

test('tracefs trace_pipe, a regular file whose reads block, is refused at once', { skip: existsSync(TRACE_PIPE) ? false : `${TRACE_PIPE} is not there (tracefs not mounted)` }, () => {
  assert.deepEqual(diagnosticOf(`SELECT * FROM uprobe('${TRACE_PIPE}', 'main')`).params, {
    name: 'uprobe',
    reason: `'${TRACE_PIPE}' is not a binary bpfql can probe: it cannot be read (ESPIPE)`,
  });
});
