// The verifier accepts what the code generator makes of fuzzed queries: the programs of the first
// PROGRAMS cases of a fixed seed that plan and compile (grammar-valid queries and their mutants,
// with every plan option) are loaded into the kernel, not attached. A rejection prints the case's
// replay seed, the query and the end of the verifier log. A table over several events has each
// event's program loaded. Needs root.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encode } from '../../src/bpf/index.js';
import type { CompiledProgram } from '../../src/bpf-templates/compile.js';
import { programOf } from '../../src/runtime/attach-source.js';
import { VerifierError } from '../../src/kernel/errors.js';
import { BpfMap, type MapSpec } from '../../src/kernel/map.js';
import { BpfProgram } from '../../src/kernel/program.js';
import { KernelScope } from '../../src/kernel/scope.js';
import type { EventSource } from '../../src/catalog/table.js';
import { fuzzCase } from '../fuzz/cases.js';
import { CaseRunner } from '../fuzz/run-cases.js';
import { kernelSkip } from '../helpers/workload.js';

const SEED = 0x5eed_2024;
const PROGRAMS = 300;

/** Maps are only needed for their fds: one per distinct shape, small, shared by every program. */
class MapPool {
  private readonly maps = new Map<string, BpfMap>();
  constructor(private readonly scope: KernelScope) {}

  fds(program: CompiledProgram): Map<string, number> {
    return new Map(program.maps.map((spec) => [spec.name, this.get(spec).fd]));
  }

  private get(spec: MapSpec): BpfMap {
    const key = `${spec.type}/${spec.keySize}/${spec.valueSize}/${spec.maxEntries}/${spec.flags ?? 0}`;
    let map = this.maps.get(key);
    if (!map) {
      map = this.scope.add(BpfMap.create({ ...spec, name: `fz_${spec.name}`.slice(0, 15) }));
      this.maps.set(key, map);
    }
    return map;
  }
}

function load(name: string, source: EventSource, insns: Buffer): void {
  BpfProgram.load({ name, ...programOf(source), insns, license: 'GPL' }).close();
}

test(`the verifier accepts the programs of ${PROGRAMS} fuzzed queries`, { skip: kernelSkip(), timeout: 600_000 }, () => {
  const runner = new CaseRunner();
  const scope = new KernelScope();
  const pool = new MapPool(scope);
  const rejections: string[] = [];
  let loaded = 0;
  let aggregate = 0;
  try {
    for (let index = 0; loaded < PROGRAMS && index < PROGRAMS * 20; index++) {
      const fuzz = fuzzCase(SEED, index, runner.tables);
      // Small maps and ring buffers: only their shapes matter to the verifier.
      const options = { ...fuzz.options, maxEntries: fuzz.options.maxEntries ?? 64, ringBytes: 1 << 16 };
      const report = runner.run({ ...fuzz, options }, index);
      if (report.verdict.kind !== 'ok' || !report.verdict.plan || !report.verdict.program) continue;
      const { plan, program } = report.verdict;
      const fds = pool.fds(program);
      try {
        for (const e of program.entries) load(e.name, e.source, encode(e.assembled, fds));
        load(program.name, plan.kernel.source, encode(program.assembled, fds));
        for (const o of program.others) load(o.name, o.source, encode(o.assembled, fds));
      } catch (e) {
        if (!(e instanceof VerifierError)) throw e;
        rejections.push(`case ${index} (replay: node dist/test/fuzz/main.js --case-seed ${fuzz.seed})\n  query: ${fuzz.text}\n  ${e.message}\n  ${e.tail(25).split('\n').join('\n  ')}`);
      }
      loaded++;
      if (plan.kernel.mode.kind === 'aggregate') aggregate++;
    }
  } finally {
    scope.closeAll();
  }
  assert.equal(rejections.length, 0, `the verifier rejected ${rejections.length} of ${loaded} programs:\n${rejections.join('\n\n')}`);
  assert.equal(loaded, PROGRAMS);
  // Both templates were exercised.
  assert.ok(aggregate >= PROGRAMS / 10 && aggregate <= PROGRAMS - PROGRAMS / 10, `${aggregate} of ${loaded} programs aggregate`);
});
