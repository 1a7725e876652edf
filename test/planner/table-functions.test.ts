import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { ElfFile } from '../../src/catalog/elf.js';
import { QueryError } from '../../src/diag/diagnostic.js';
import { parseStatement } from '../../src/query/parse.js';
import type { Plan } from '../../src/planner/plan.js';
import { planQuery } from '../../src/planner/planner.js';
import { compileKernelPlan } from '../../src/bpf-templates/compile.js';
import { disassemble } from '../../src/bpf/index.js';
import { describeSource } from '../../src/catalog/table.js';
import { explainPlan } from '../../src/engine/explain.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';
import { CProgram, UPROBE_TARGET_SOURCE } from '../helpers/c-program.js';

const prog = new CProgram('uptarget', UPROBE_TARGET_SOURCE);
after(() => prog.remove());

function plan(sql: string): Plan {
  const s = parseStatement(sql);
  if (s.kind !== 'query') throw new Error('not a query');
  return planQuery(s.query, fixtureCatalog(), fixturePlannerEnv);
}

function planError(sql: string): { code: string; text: string; params: unknown } {
  try {
    plan(sql);
  } catch (e) {
    if (e instanceof QueryError) {
      const d = e.diagnostics[0]!;
      return { code: d.code, text: sql.slice(d.span.start, d.span.end), params: d.params };
    }
    throw e;
  }
  throw new Error(`planning '${sql}' succeeded`);
}

test('uprobe(binary, symbol): the source has the file offset of the symbol; arguments read pt_regs at BTF offsets', () => {
  const p = plan(`SELECT count(*), min(arg0), max(arg5) FROM uprobe('${prog.path}', 'target')`);
  const elf = ElfFile.parse(prog.bytes());
  const offset = elf.fileOffsetOf(elf.find('target')!.address)!;
  assert.deepEqual(p.kernel.source, { kind: 'uprobe', binary: prog.path, symbol: 'target', offset });
  assert.equal(describeSource(p.kernel.source), `uprobe ${prog.path}:target (file offset 0x${offset.toString(16)})`);
  assert.deepEqual(p.kernel.regOffsets, { di: 112, r9: 64 });
  assert.equal(p.kernel.mode.kind, 'aggregate');
  const text = disassemble(compileKernelPlan(p.kernel, p.table).assembled);
  assert.match(text, /r1 = \*\(u64 \*\)\(r6 \+112\)\s+; arg0: register di/);
  assert.match(text, /r1 = \*\(u64 \*\)\(r6 \+64\)\s+; arg5: register r9/);
});

test('uprobe columns: the common ones and arg0..arg5', () => {
  const p = plan(`SELECT * FROM uprobe('${prog.path}', 'target')`);
  assert.equal(p.kernel.mode.kind, 'stream');
  assert.ok(p.kernel.mode.kind === 'stream', p.kernel.mode.kind);
  assert.deepEqual(p.kernel.mode.fields.map((f) => f.name), ['ts', 'cpu', 'pid', 'tid', 'ppid', 'uid', 'gid', 'comm', 'cgroup_id', 'arg0', 'arg1', 'arg2', 'arg3', 'arg4', 'arg5']);
  assert.deepEqual(p.kernel.regOffsets, { di: 112, si: 104, dx: 96, cx: 88, r8: 72, r9: 64 });
});

test('uprobe diagnostics point at the argument at fault', () => {
  assert.deepEqual(planError(`SELECT count(*) FROM uprobe('/no/such/bin', 'target')`), {
    code: 'bad-argument', text: `'/no/such/bin'`, params: { name: 'uprobe', reason: "no file '/no/such/bin'" },
  });
  assert.deepEqual(planError(`SELECT count(*) FROM uprobe('${prog.path}', 'targte')`), {
    code: 'bad-argument', text: `'targte'`, params: { name: 'uprobe', reason: `'${prog.path}' has no function 'targte'; did you mean 'target'?` },
  });
  const notElf = planError(`SELECT count(*) FROM uprobe('${prog.dir}/uptarget.c', 'target')`);
  assert.deepEqual(notElf, { code: 'bad-argument', text: `'${prog.dir}/uptarget.c'`, params: { name: 'uprobe', reason: `'${prog.dir}/uptarget.c' is not a binary bpfql can probe: not an ELF file` } });
  assert.deepEqual(planError(`SELECT count(*) FROM uprobe('${prog.path}')`).code, 'wrong-arity');
  assert.deepEqual(planError(`SELECT count(*) FROM uprobe('${prog.path}', 1 + 1)`), {
    code: 'bad-argument', text: '1 + 1', params: { name: 'uprobe', reason: 'the function name must be a string constant' },
  });
  assert.deepEqual(planError('SELECT count(*) FROM kprobe(1)'), {
    code: 'unknown-function', text: 'kprobe(1)', params: { name: 'kprobe', suggestions: ['uprobe'] },
  });
});

test('a bare binary name is looked up in PATH', () => {
  const saved = process.env['PATH'];
  process.env['PATH'] = `/nonexistent:${prog.dir}`;
  try {
    assert.equal(plan("SELECT count(*) FROM uprobe('uptarget', 'target')").kernel.source.kind, 'uprobe');
    assert.deepEqual(plan("SELECT count(*) FROM uprobe('uptarget', 'main')").kernel.source, {
      kind: 'uprobe', binary: prog.path, symbol: 'main', offset: ElfFile.parse(prog.bytes()).fileOffsetOf(ElfFile.parse(prog.bytes()).find('main')!.address)!,
    });
    assert.deepEqual(planError("SELECT count(*) FROM uprobe('no-such-tool', 'main')").params, { name: 'uprobe', reason: "no file 'no-such-tool' in PATH" });
  } finally {
    process.env['PATH'] = saved;
  }
});

test('profile: 99 Hz by default, profile(hz) for another rate; kstack and ustack are strings made from stack ids', () => {
  const p = plan('SELECT ustack, kstack, count(*) AS samples FROM profile GROUP BY ustack, kstack');
  assert.deepEqual(p.kernel.source, { kind: 'perf-sample', frequencyHz: 99 });
  assert.equal(p.kernel.mode.kind, 'aggregate');
  assert.ok(p.kernel.mode.kind === 'aggregate', p.kernel.mode.kind);
  assert.deepEqual(p.kernel.mode.keys.map((k) => [k.name, k.type.kind, k.offset, k.width]), [['k0', 'string', 0, 8], ['k1', 'string', 8, 8]]);
  const compiled = compileKernelPlan(p.kernel, p.table);
  assert.deepEqual(compiled.maps.filter((m) => m.name.startsWith('stack')).map((m) => [m.name, m.type, m.keySize, m.valueSize, m.maxEntries]), [
    ['stacks', 'stack_trace', 4, 8 * 127, 16384],
    ['stack_pids', 'array', 4, 4, 16384],
  ]);
  const text = disassemble(compiled.assembled);
  assert.equal(text.match(/call bpf_get_stackid#27/g)?.length, 2);
  const explained = explainPlan(p, compiled).split('\n');
  assert.equal(explained[1], 'source:  cpu-clock sampling at 99 Hz on every CPU (table profile)');
  assert.ok(explained.includes('  k0 user stack id @0 = ustack (symbolised after the run)'));
  assert.ok(explained.includes('  k1 kernel stack id @8 = kstack (symbolised after the run)'));
  assert.match(text, /r3 = 256\s*\n.*call bpf_get_stackid/);

  assert.deepEqual(plan('SELECT count(*) FROM profile(49)').kernel.source, { kind: 'perf-sample', frequencyHz: 49 });
  assert.deepEqual(planError('SELECT count(*) FROM profile(0)'), {
    code: 'bad-argument', text: '0', params: { name: 'profile', reason: 'the sampling rate must be a whole number of Hz from 1 to 100000' },
  });
  assert.equal(planError("SELECT count(*) FROM profile('fast')").code, 'bad-argument');
  assert.equal(planError('SELECT count(*) FROM profile(1, 2)').code, 'wrong-arity');
});

test('filters on stacks stay in DuckDB: their text exists only after the run', () => {
  const p = plan("SELECT count(*) FROM profile WHERE ustack LIKE 'burn%' AND pid > 1");
  assert.equal(p.kernel.mode.kind, 'stream');
  assert.deepEqual(p.residualFilters, ["ustack LIKE 'burn%'"]);
  assert.equal(plan("SELECT count(*) FROM profile WHERE kstack = 'x'").residualFilters.length, 1);
  // No stack column read, no stack map.
  assert.equal(compileKernelPlan(plan('SELECT count(*) FROM profile').kernel, 'profile').maps.some((m) => m.type === 'stack_trace'), false);
});

test('uretprobe(binary, symbol): returns paired with the calls by thread; ret, ret_str (not in *) and latency_ns', () => {
  const p = plan(`SELECT ret, ret_str, latency_ns FROM uretprobe('${prog.path}', 'target')`);
  const offset = ElfFile.parse(prog.bytes()).fileOffsetOf(ElfFile.parse(prog.bytes()).find('target')!.address)!;
  assert.deepEqual(p.kernel.source, { kind: 'uprobe', binary: prog.path, symbol: 'target', offset, retprobe: true });
  assert.deepEqual(p.kernel.pairing?.entries, [{ source: { kind: 'uprobe', binary: prog.path, symbol: 'target', offset } }]);
  assert.equal(describeSource(p.kernel.source), `uretprobe ${prog.path}:target (file offset 0x${offset.toString(16)})`);
  assert.deepEqual(p.kernel.regOffsets, { ax: 80 });
  assert.equal(compileKernelPlan(p.kernel, p.table).entries.length, 1);
  assert.ok(!plan(`SELECT * FROM uretprobe('${prog.path}', 'target')`).kernelColumns.some((c) => c.name === 'ret_str'));
  assert.deepEqual(planError(`SELECT count(*) FROM uretprobe('${prog.path}', 'targte')`), {
    code: 'bad-argument', text: `'targte'`, params: { name: 'uretprobe', reason: `'${prog.path}' has no function 'targte'; did you mean 'target'?` },
  });
});
