// Loading a compiled query and attaching it: its maps and programs as one collection, then the
// entry programs attached, then the programs producing results.
import type { CompiledProgram } from '../bpf-templates/compile.js';
import type { BpfMap } from '../kernel/map.js';
import type { BpfProgram } from '../kernel/program.js';
import { Collection } from '../kernel/collection.js';
import { KernelScope } from '../kernel/scope.js';
import type { KernelPlan } from '../planner/plan.js';
import { attachSource, programOf } from './attach-source.js';

export interface Attached {
  readonly scope: KernelScope;
  /** By the names the compiled program gives them. */
  readonly maps: ReadonlyMap<string, BpfMap>;
  /** The entry programs, then the program producing results, then its copies on the table's further events. */
  readonly programs: readonly BpfProgram[];
  /** CLOCK_MONOTONIC ns just before the programs producing results were attached: no event of them is older. */
  readonly attachedMono: bigint;
}

/**
 * Everything up to attached: returns the live objects, owned by the returned scope. `beforeAttach`
 * may fill maps the programs read from the first event on. Throws
 * KernelError (VerifierError when the verifier rejects a program), with nothing left open.
 */
export function loadAndAttach(plan: KernelPlan, prog: CompiledProgram, beforeAttach?: (maps: ReadonlyMap<string, BpfMap>) => void): Attached {
  const scope = new KernelScope();
  try {
    const loaded = scope.add(Collection.load({
      maps: prog.maps,
      programs: [
        ...prog.entries.map((e) => ({ name: e.name, ...programOf(e.source), assembled: e.assembled, license: 'GPL' })),
        { name: prog.name, ...programOf(plan.source), assembled: prog.assembled, license: 'GPL' },
        ...prog.others.map((e) => ({ name: e.name, ...programOf(e.source), assembled: e.assembled, license: 'GPL' })),
      ],
      mapNamePrefix: 'bpfql_',
    }));
    beforeAttach?.(loaded.maps);
    // The entry side first, so that exits find their entries from the start.
    prog.entries.forEach((e, i) => scope.add(attachSource(loaded.programs[i]!, e.source)));
    const attachedMono = process.hrtime.bigint();
    scope.add(attachSource(loaded.programs[prog.entries.length]!, plan.source));
    prog.others.forEach((e, i) => scope.add(attachSource(loaded.programs[prog.entries.length + 1 + i]!, e.source)));
    return { scope, maps: loaded.maps, programs: loaded.programs, attachedMono };
  } catch (e) {
    scope.closeAll();
    throw e;
  }
}
