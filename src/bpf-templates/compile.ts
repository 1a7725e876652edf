// Turns a kernel plan into a program: instructions, the maps they use, and where to attach.
import type { Assembled, Item } from '../bpf/index.js';
import { assemble, comment, exit, mov } from '../bpf/index.js';
import { R0 } from '../bpf/register.js';
import type { MapSpec } from '../bpf/map-spec.js';
import type { KernelPlan } from '../planner/plan.js';
import type { EventSource } from '../catalog/table.js';
import { emitEntryProgram, pairKeySize, PAIRS_MAP } from './pairing.js';
import { emitUpdateProgram } from './pair-update.js';
import { pairLayout } from './pair-layout.js';
import { entryFilter } from './entry-filter.js';
import type { KExpr } from '../planner/kexpr.js';
import { aggregateMaps, emitAggregateProgram } from './aggregate-program.js';
import { Codegen } from './codegen.js';
import { planAtEvent } from './other-events.js';
import { STAT_COUNT, STATS_MAP } from './stats.js';
import { stackMaps, usesStacks } from './stacks.js';
import { gateMap } from './gate.js';
import { cgroupSetMaps } from './cgroup-sets.js';
import { fdPathMaps, usesFdPath } from './fd-file.js';
import { emitStreamProgram, RING_MAP } from './stream-program.js';
import { withoutUnusedContext } from './unused-context.js';

/** A further program of the query, on another event (an entry event of a paired table). */
export interface CompiledEntryProgram {
  readonly name: string;
  readonly source: EventSource;
  readonly assembled: Assembled;
  /** The part of the query's filter it evaluates: entries it rejects open no pair. */
  readonly filter?: KExpr;
}

export interface CompiledProgram {
  /** Kernel object name (15 characters at most), so our programs are recognisable in bpftool. */
  readonly name: string;
  readonly items: readonly Item[];
  readonly assembled: Assembled;
  readonly maps: readonly MapSpec[];
  readonly stackBytes: number;
  /** The programs on a paired table's entry events. */
  readonly entries: readonly CompiledEntryProgram[];
  /** The same program on the table's further events (KernelPlan.also), producing results too. */
  readonly others: readonly CompiledEntryProgram[];
  /** Compiled for EVERY: aggregates double-buffered, stream records stamped (see the templates). */
  readonly windowed: boolean;
  /** Its result programs wait for the gate of a window shared with other queries (see gate.ts). */
  readonly gated: boolean;
}

export interface CompileOptions {
  /** The query has EVERY: its result is cut into windows while it runs. */
  readonly windowed?: boolean;
  /** The query shares its window with other kernel queries of one statement (see gate.ts). */
  readonly gated?: boolean;
}

export function objectName(table: string): string {
  return `bpfql_${table.replace(/[^A-Za-z0-9_]/g, '_')}`.slice(0, 15);
}

export function compileKernelPlan(plan: KernelPlan, table: string, opts: CompileOptions = {}): CompiledProgram {
  const mode = plan.mode;
  const windowed = opts.windowed ?? false;
  const gated = opts.gated ?? false;
  const g = resultProgram(plan, windowed, gated);
  const maps: MapSpec[] = [{ name: STATS_MAP, type: 'percpu_array', keySize: 4, valueSize: STAT_COUNT * 8, maxEntries: 1 }];
  if (mode.kind === 'aggregate') {
    maps.unshift(...aggregateMaps(mode, windowed));
  } else {
    maps.unshift({ name: RING_MAP, type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: mode.ringBytes });
  }
  if (usesStacks(plan.columns)) maps.push(...stackMaps());
  if (gated) maps.push(gateMap());
  maps.push(...cgroupSetMaps(plan.columns));
  if (usesFdPath(plan.columns)) maps.push(...fdPathMaps());
  const entries: CompiledEntryProgram[] = [];
  if (plan.pairing) {
    const p = plan.pairing;
    // A plain hash, not LRU: an LRU map would make room by evicting open pairs without a word.
    maps.push({ name: PAIRS_MAP, type: 'hash', keySize: pairKeySize(p), valueSize: pairLayout(p, plan.columns).size, maxEntries: p.maxEntries });
    p.entries.forEach((e, i) => {
      // Distinct from the exit program's name and each other's, within the kernel's 15 characters.
      const name = `${objectName(table).slice(0, 11).replace(/_$/, '')}_in${i}`;
      // A WHERE that is always false opens no pair either (the exit would never close it).
      if (e.update) {
        // It changes only pairs that are open, which the query's filter let open.
        const code = plan.filter?.kind === 'const' ? neverMatches() : emitUpdateProgram(plan, p, e, e.update);
        entries.push({ name, source: e.source, assembled: assemble(withoutUnusedContext(code.items)) });
        return;
      }
      const filter = plan.filter?.kind === 'const' ? plan.filter : entryFilter(plan, p);
      const code = filter?.kind === 'const' ? neverMatches() : emitEntryProgram(plan, p, e, filter);
      entries.push({ name, source: e.source, assembled: assemble(withoutUnusedContext(code.items)), ...(filter ? { filter } : {}) });
    });
  }
  if (plan.pairing && plan.also) throw new Error(`${table}: a paired table has one exit event`);
  const others = (plan.also ?? []).map((event, i) => {
    const code = resultProgram(planAtEvent(plan, event), windowed, gated);
    // Distinct names within the kernel's 15 characters, however many events (a wildcard table's hundreds).
    const suffix = `_ev${i + 1}`;
    return { name: `${objectName(table).slice(0, 15 - suffix.length).replace(/_$/, '')}${suffix}`, source: event.source, assembled: assemble(withoutUnusedContext(code.items)) };
  });
  const items = withoutUnusedContext(g.items);
  return { name: objectName(table), items, assembled: assemble(items), maps, stackBytes: g.frame.size, windowed, gated, entries, others };
}

/** The program that turns the plan's events into results: aggregates or stream records. */
function resultProgram(plan: KernelPlan, windowed: boolean, gated: boolean): Codegen {
  const mode = plan.mode;
  if (plan.filter?.kind === 'const') return neverMatches();
  return mode.kind === 'aggregate' ? emitAggregateProgram(plan, mode, windowed, gated) : emitStreamProgram(plan, mode, windowed, gated);
}

/** The program for a WHERE clause that folded to FALSE: no event can match. */
function neverMatches(): Codegen {
  const g = new Codegen();
  g.emit(comment('WHERE is always false', mov.imm(R0, 0)), exit());
  return g;
}
