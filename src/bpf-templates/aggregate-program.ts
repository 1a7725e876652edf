// Per-CPU hash-map aggregation: per event, filter, build the packed GROUP BY key, then update
// the aggregates in place after a successful lookup (cheaper than a full update per event). Each
// CPU has its own copy of a value, so no atomics are needed.
//
// A key seen for the first time is inserted with an all-zero value read from a one-entry array
// map, then looked up again and updated in place like any other. Building the first value on
// the stack instead would cap the value at the 512-byte stack, and hist's buckets alone take 520
// bytes (a quantile's thousands). The zero value also serves a CPU whose slot another CPU's
// insert left zeroed: its count of 0 tells the aggregates that need a first value (min, max).
//
// With EVERY the aggregates are double-buffered: two maps of the same layout, and a one-slot
// array of maps (WINDOW_MAP) holding the one the program updates. Each event reads the slot once
// and does all its lookups and updates in the map found there. At the end of a window user space
// stores the other map in the slot; the kernel returns from that update only after every program
// that was running has finished (see BpfMap.setMap), so from then on nothing writes the old map,
// and it is read and emptied whole, exactly, while events go on into the other one.
import { Helper, add, call, comment, exit, ja, jeq, jne, label, ldMap, ldx, mov, st, stx } from '../bpf/index.js';
import type { Reg } from '../bpf/register.js';
import { R0, R1, R2, R3, R4, R10 } from '../bpf/register.js';
import type { MapSpec } from '../bpf/map-spec.js';
import type { AggregateMode, KernelField, KernelPlan } from '../planner/plan.js';
import { columnsOf } from '../planner/kexpr.js';
import { isBufferColumn } from '../planner/layout.js';
import type { Column } from '../catalog/column.js';
import type { AggregateEmit, AggregateFunction } from '../functions/aggregate.js';
import { aggregateFunction } from '../functions/registry.js';
import { Codegen, RegPool } from './codegen.js';
import { SCRATCH_REGS } from '../planner/program-limits.js';
import { ExprEmitter } from './expr.js';
import { emitCountStat } from './stats.js';
import { emitExecArgs } from './exec-args.js';
import { emitPreamble } from './preamble.js';
import { Values } from './values.js';

export const AGG_MAP = 'agg';
/** EVERY: the second map of the same layout, and the one-slot array holding the map in use. */
export const AGG_SPARE_MAP = 'agg2';
export const WINDOW_MAP = 'window';
/** One all-zero value, what new keys are inserted with. */
export const ZERO_MAP = 'zero';

/** BPF_NOEXIST: insert only if the key is absent (another CPU may have inserted it meanwhile). */
const NOEXIST = 1;
/** Map flag: allocate elements on insert rather than all at creation. */
const BPF_F_NO_PREALLOC = 1;
/**
 * Values larger than this (quantile and long lhist states) are preallocated. An insert from the
 * program allocates per-CPU memory atomically, from what the per-CPU allocator has populated in
 * advance; states of many KiB exhaust that quickly, and then inserts fail until it has refilled
 * (the differential suite saw a quantile GROUP BY lose dozens of events whenever a few such
 * queries ran at once). Such maps have few entries (see defaultMaxEntries), so preallocating is quick.
 */
export const PREALLOC_VALUE_BYTES = 4096;

/** @param windowed EVERY: two aggregate maps and the slot choosing between them (see above). */
export function aggregateMaps(mode: AggregateMode, windowed = false): MapSpec[] {
  // Small values are not preallocated: creating a preallocated map of 65536 keys takes 50–100 ms,
  // all of it before the program can attach; without, keys are allocated as they first appear.
  const flags = mode.valueSize > PREALLOC_VALUE_BYTES ? 0 : BPF_F_NO_PREALLOC;
  const agg = (name: string): MapSpec => ({ name, type: 'percpu_hash', keySize: mode.keySize, valueSize: mode.valueSize, maxEntries: mode.maxEntries, flags });
  return [
    agg(AGG_MAP),
    ...(windowed ? [agg(AGG_SPARE_MAP), { name: WINDOW_MAP, type: 'array_of_maps', keySize: 4, valueSize: 4, maxEntries: 1, inner: AGG_MAP } as const] : []),
    { name: ZERO_MAP, type: 'array', keySize: 4, valueSize: mode.valueSize, maxEntries: 1 },
  ];
}

export function emitAggregateProgram(plan: KernelPlan, mode: AggregateMode, windowed = false, gated = false): Codegen {
  const { g, values, expr } = emitPreamble(plan, gated);
  // Slots reading another slot's state update nothing, so their argument is not needed.
  const updating = mode.aggregates.filter((a) => a.stateOf === undefined);
  const keySlot = g.frame.alloc(mode.keySize, 'key');
  // A key field that is the current comm is fetched into the key itself, as a hand-written program
  // does (count by comm: no clearing, no copy); the rest of the key is cleared, then written.
  const inPlace = new Set(mode.keys.filter((k) => k.expr.kind === 'column' && values.fetchCommInto(k.expr.column, keySlot + k.offset, k.width)));
  // A word that a key field's write covers whole needs no clearing first.
  const written = (k: KernelField): number => (inPlace.has(k) ? k.width : bytesWritten(k));
  const covered = (i: number): boolean => mode.keys.some((k) => k.offset <= i && i + 8 <= k.offset + written(k));
  const clears = Array.from({ length: Math.ceil(mode.keySize / 8) }, (_, w) => w * 8).filter((i) => !covered(i));
  clears.forEach((i, n) => g.emit(n === 0 ? comment('key: clear', st.dw(R10, keySlot + i, 0)) : st.dw(R10, keySlot + i, 0)));
  const rest: Column[] = [];
  mode.keys.forEach((k) => columnsOf(k.expr, rest));
  updating.forEach((a) => a.arg && columnsOf(a.arg, rest));
  values.fetch(rest);
  for (const k of mode.keys) if (!inPlace.has(k)) writeField(g, expr, values, k, R10, keySlot);

  const emits: { agg: AggregateFunction; e: AggregateEmit }[] = [];
  for (const a of updating) {
    const argSlot = a.arg ? g.frame.alloc(8, a.name) : 0;
    if (a.arg) {
      expr.value(a.arg, R1, new RegPool(SCRATCH_REGS.filter((r) => r !== R1)));
      g.emit(comment(`${a.name}: argument`, stx.dw(R10, argSlot, R1)));
    }
    emits.push({ agg: aggregateFunction(a.fn), e: { id: a.name, offset: a.offset, argSlot, signed: a.arg?.signed ?? false, params: a.params } });
  }

  const u32Slot = g.frame.alloc(8, 'u32 key 0');
  // R1 = the map to update: AGG_MAP, or with EVERY the one in WINDOW_MAP's slot, read once per
  // event into `mapSlot` so that every lookup and update of this event goes to the same map.
  const mapSlot = windowed ? g.frame.alloc(8, 'aggregate map') : 0;
  const loadAggMap = (what?: string): void => {
    const load = windowed ? ldx.dw(R1, R10, mapSlot) : ldMap(R1, AGG_MAP);
    g.emit(what === undefined ? load : comment(what, load));
  };
  if (windowed) {
    g.emit(
      comment('the map of the current window', st.dw(R10, u32Slot, 0)),
      ldMap(R1, WINDOW_MAP),
      mov.reg(R2, R10),
      add.imm(R2, u32Slot),
      call(Helper.mapLookupElem),
      jeq.imm(R0, 0, 'out'),
      stx.dw(R10, mapSlot, R0),
    );
  }
  const lookupKey = (what: string): void => {
    loadAggMap(what);
    g.emit(mov.reg(R2, R10), add.imm(R2, keySlot), call(Helper.mapLookupElem));
  };
  // The hit is the common case and falls through from the lookup to the exit without a taken
  // jump; the insert of a new key comes after the exit and jumps back to the update.
  lookupKey('look the key up');
  g.emit(jeq.imm(R0, 0, 'miss'));
  g.emit(label('found'), comment('count += 1, update in place', ldx.dw(R1, R0, 0)), add.imm(R1, 1), stx.dw(R0, 0, R1));
  const withFirst = emits.filter(({ agg }) => agg.emitFirst !== undefined);
  if (withFirst.length > 0) {
    g.emit(comment('a count of 1: the first event of the key on this CPU', jne.imm(R1, 1, 'later')));
    for (const { agg, e } of withFirst) g.emit(...agg.emitFirst!(e, R0));
    g.emit(ja('others'), label('later'));
    for (const { agg, e } of withFirst) g.emit(...agg.emitUpdate(e, R0));
    g.emit(label('others'));
  }
  for (const { agg, e } of emits) if (agg.emitFirst === undefined) g.emit(...agg.emitUpdate(e, R0));
  g.emit(label('out'), mov.imm(R0, 0), exit());

  g.emit(
    label('miss'),
    comment('miss: insert the key with the zero value', st.dw(R10, u32Slot, 0)),
    ldMap(R1, ZERO_MAP),
    mov.reg(R2, R10),
    add.imm(R2, u32Slot),
    call(Helper.mapLookupElem),
    jeq.imm(R0, 0, 'out'),
    mov.reg(R3, R0),
  );
  loadAggMap();
  g.emit(
    mov.reg(R2, R10),
    add.imm(R2, keySlot),
    mov.imm(R4, NOEXIST),
    call(Helper.mapUpdateElem),
  );
  // The insert's result does not matter: the key is there now unless the map is full.
  lookupKey('look it up again');
  g.emit(jne.imm(R0, 0, 'found'));
  emitCountStat(g, 'mapFull', u32Slot, 'out');
  g.emit(ja('out'));
  return g;
}

/**
 * The bytes from a field's offset that writeField always writes: every word of a string, the one
 * word of an integer. Exec arguments write as many as the process has, so none are counted.
 */
function bytesWritten(f: KernelField): number {
  if (f.expr.kind === 'column' && f.expr.column.source.kind === 'exec-args') return 0;
  if (f.expr.kind === 'column' && isBufferColumn(f.expr.column)) return Math.ceil(f.width / 8) * 8;
  return 8;
}

/** Writes one key or record field at `base + slot + field.offset`. */
export function writeField(g: Codegen, expr: ExprEmitter, values: Values, f: KernelField, base: Reg, slot: number): void {
  const at = slot + f.offset;
  if (f.expr.kind === 'column' && f.expr.column.source.kind === 'exec-args') {
    emitExecArgs(g, values.execArgsOffsets(), base, at, f.name);
    return;
  }
  // A stack column is a string in DuckDB but its 8-byte id here: it goes the integer way.
  if (f.expr.kind === 'column' && isBufferColumn(f.expr.column)) {
    const src = values.stringSlot(f.expr.column);
    for (let i = 0; i < f.width; i += 8) {
      const load = ldx.dw(R1, R10, src + i);
      g.emit(i === 0 ? comment(`${f.name} = ${f.expr.column.name}`, load) : load, stx.dw(base, at + i, R1));
    }
    return;
  }
  expr.value(f.expr, R1, new RegPool(SCRATCH_REGS.filter((r) => r !== R1 && r !== base)));
  g.emit(comment(f.name, stx.dw(base, at, R1)));
}
