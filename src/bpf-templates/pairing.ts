// Entry/exit pairing for tables whose rows are completed pairs (a syscall and its return, a block
// request and its completion). An entry program saves a timestamp, some record fields and what
// the query reads of its task under the pair's key in a plain hash map; the exit program takes
// them back (and deletes them) before anything else.
//
// What is a loss and what is not: an entry the map has no room for is a pair that may complete
// unseen, so each failed insert is counted (lostPairs). An exit that finds no entry is a call
// that was in flight when the query attached, or whose entry the query's filter rejected: it lies
// outside the query's window and is not counted. Entries still in the map at the end are calls
// in flight: not a loss either. The map is not LRU, because an LRU map evicts silently.
import type { Item } from '../bpf/index.js';
import { Helper, add, arsh, call, comment, exit, ja, jeq, jset, jslt, label, ldMap, ldx, lsh, mov, st, stx } from '../bpf/index.js';
import type { Reg } from '../bpf/register.js';
import { R0, R1, R2, R3, R4, R6, R7, R10 } from '../bpf/register.js';
import type { FieldRef, PairEntry } from '../catalog/table.js';
import type { KExpr } from '../planner/kexpr.js';
import { columnsOf } from '../planner/kexpr.js';
import type { KernelPlan, PlannedPairing } from '../planner/plan.js';
import { COMM_CAPACITY } from '../planner/layout.js';
import type { PairLayout, SavedTaskValue } from './pair-layout.js';
import { pairLayout } from './pair-layout.js';
import { Codegen, RegPool } from './codegen.js';
import { SCRATCH_REGS } from '../planner/program-limits.js';
import { ExprEmitter } from './expr.js';
import { emitCountStat } from './stats.js';
import { emitConditions } from './pair-conditions.js';
import { emitStackId } from './stacks.js';
import { Values } from './values.js';

export const PAIRS_MAP = 'pairs';

/** BPF_ANY: insert, or replace the entry already under the key. */
const BPF_ANY = 0;

const LOAD = { 1: 'b', 2: 'h', 4: 'w', 8: 'dw' } as const;

const TASK_HELPER: { readonly [V in Exclude<SavedTaskValue, 'comm'>]: number } = {
  pid_tgid: Helper.getCurrentPidTgid, uid_gid: Helper.getCurrentUidGid, cgroup_id: Helper.getCurrentCgroupId,
};

export function pairKeySize(p: PlannedPairing): number {
  return p.key.kind === 'thread' ? 8 : 8 * p.key.entry.length;
}

/** Writes the pair key at R10+slot from the current thread or from record fields. */
export function emitKey(g: Codegen, fields: readonly FieldRef[] | 'thread', slot: number): void {
  if (fields === 'thread') {
    g.emit(comment('pair key: this thread', call(Helper.getCurrentPidTgid)), stx.dw(R10, slot, R0));
    return;
  }
  fields.forEach((f, i) => {
    g.emit(comment(`pair key ${i}: record field at ${f.offset}`, ldx[LOAD[f.size]](R1, R6, f.offset)), stx.dw(R10, slot + 8 * i, R1));
  });
}

function entryKey(p: PlannedPairing): readonly FieldRef[] | 'thread' {
  return p.key.kind === 'thread' ? 'thread' : p.key.entry;
}

export function loadField(g: Codegen, r: Reg, f: FieldRef & { readonly signed: boolean }): void {
  g.emit(ldx[LOAD[f.size]](r, R6, f.offset));
  if (f.signed && f.size !== 8) {
    const shift = 64 - 8 * f.size;
    g.emit(lsh.imm(r, shift), arsh.imm(r, shift));
  }
}

/** Fills the value at R10+slot: now, the saved fields (when `fields`), zero counters, the current task's values and stacks. R6 holds the context. */
function emitValue(g: Codegen, p: PlannedPairing, layout: PairLayout, slot: number, fields: boolean): void {
  g.emit(comment('entry time', call(Helper.ktimeGetNs)), stx.dw(R10, slot, R0));
  layout.fields.forEach((off, i) => {
    const f = p.saved[i];
    if (fields && f) {
      loadField(g, R1, f);
      g.emit(comment(`save field at ${f.offset}`, stx.dw(R10, slot + off, R1)));
    } else {
      g.emit(st.dw(R10, slot + off, 0));
    }
  });
  emitTaskValues(g, layout, R10, slot);
  // The task opening the pair is the current one: its stacks are where it is now.
  for (const [space, off] of layout.stacks) emitStackId(g, space, slot + off);
}

/** Writes the current task's values the layout has into the value at `base`+`at` (the stack or a map value). */
export function emitTaskValues(g: Codegen, layout: PairLayout, base: Reg, at: number): void {
  for (const [v, off] of layout.task) {
    if (v === 'comm') {
      g.emit(comment('save the task\'s comm', mov.reg(R1, base)), add.imm(R1, at + off), mov.imm(R2, COMM_CAPACITY), call(Helper.getCurrentComm));
    } else {
      g.emit(comment(`save the task's ${v}`, call(TASK_HELPER[v])), stx.dw(base, at + off, R0));
    }
  }
}

/**
 * map_update_elem(pairs, R10+keySlot, R10+valueSlot, BPF_ANY); a failure (map full) counts a
 * lost pair. Ends with label `after`.
 */
function emitInsert(g: Codegen, keySlot: number, valueSlot: number, after: string): void {
  g.emit(
    comment('open the pair', ldMap(R1, PAIRS_MAP)),
    mov.reg(R2, R10), add.imm(R2, keySlot),
    mov.reg(R3, R10), add.imm(R3, valueSlot),
    mov.imm(R4, BPF_ANY),
    call(Helper.mapUpdateElem),
    jslt.imm(R0, 0, `${after}_lost`),
    ja(after),
    label(`${after}_lost`),
  );
  emitCountStat(g, 'lostPairs', g.frame.alloc(8, 'stats key'), after);
  g.emit(label(after));
}

/**
 * The program on one entry event: skip calls that never return and entries `filter` (see
 * entryFilter) rejects; then open the pair (a restamping entry renews an open pair's time and fields only).
 */
export function emitEntryProgram(plan: KernelPlan, p: PlannedPairing, entry: PairEntry, filter: KExpr | undefined): Codegen {
  const g = new Codegen();
  const layout = pairLayout(p, plan.columns);
  // A WHERE that folded to FALSE wants no pair (the exit program matches nothing either); its
  // test would jump over the rest, which the verifier refuses as unreachable.
  if (plan.filter?.kind === 'const') {
    g.emit(comment('WHERE is always false', mov.imm(R0, 0)), exit());
    return g;
  }
  g.emit(comment('r6 = context', mov.reg(R6, R1)));
  if (entry.when) emitConditions(g, entry.when, 'out');
  if (p.never) {
    loadField(g, R1, p.never.field);
    for (const v of p.never.values) g.emit(comment(`${v} never returns`, jeq.imm(R1, Number(v), 'out')));
  }
  if (filter) {
    const values = new Values(g, plan);
    const expr = new ExprEmitter(g, values);
    values.fetch(columnsOf(filter));
    expr.jumpIfFalse(filter, 'out', new RegPool(SCRATCH_REGS));
  }
  const keySlot = g.frame.alloc(pairKeySize(p), 'pair key');
  const valueSlot = g.frame.alloc(layout.size, 'pair value');
  emitKey(g, entryKey(p), keySlot);
  if (entry.restamp) {
    g.emit(
      comment('an open pair keeps its task: renew its time and fields', ldMap(R1, PAIRS_MAP)),
      mov.reg(R2, R10), add.imm(R2, keySlot),
      call(Helper.mapLookupElem),
      jeq.imm(R0, 0, 'new_pair'),
      mov.reg(R7, R0),
      call(Helper.ktimeGetNs),
      stx.dw(R7, 0, R0),
    );
    p.saved.forEach((f, i) => {
      loadField(g, R1, f);
      g.emit(stx.dw(R7, layout.fields[i]!, R1));
    });
    g.emit(ja('out'), label('new_pair'));
  }
  emitValue(g, p, layout, valueSlot, true);
  emitInsert(g, keySlot, valueSlot, 'out');
  g.emit(mov.imm(R0, 0), exit());
  return g;
}

/**
 * The start of the exit program. When the exit event also opens a pair (a task switched out
 * while runnable), it does so first, whatever the filter says. Then it finds the entry, copies it
 * to R10+entrySlot and deletes it; with no entry (out of the window) it jumps to `out`.
 */
export function emitTakeEntry(g: Codegen, p: PlannedPairing, layout: PairLayout, entrySlot: number, out: string): void {
  if (p.reopen) {
    const r = p.reopen;
    const keySlot = g.frame.alloc(pairKeySize(p), 'reopen key');
    const valueSlot = g.frame.alloc(layout.size, 'reopen value');
    g.emit(comment('still runnable?', ldx[LOAD[r.field.size]](R1, R6, r.field.offset)), jset.imm(R1, r.mask, 'reopened'));
    // The idle task (pid 0) is no run-queue waiter, and every CPU has one.
    g.emit(ldx[LOAD[r.key[0]!.size]](R1, R6, r.key[0]!.offset), jeq.imm(R1, 0, 'reopened'));
    emitKey(g, r.key, keySlot);
    emitValue(g, p, layout, valueSlot, false);
    emitInsert(g, keySlot, valueSlot, 'reopened');
  }
  const keySlot = g.frame.alloc(pairKeySize(p), 'pair key');
  emitKey(g, p.key.kind === 'thread' ? 'thread' : p.key.exit, keySlot);
  g.emit(
    comment('find the entry (none: opened before the query, or filtered out there)', ldMap(R1, PAIRS_MAP)),
    mov.reg(R2, R10), add.imm(R2, keySlot),
    call(Helper.mapLookupElem),
    jeq.imm(R0, 0, out),
  );
  const copy: Item[] = [];
  for (let i = 0; i < layout.size; i += 8) copy.push(ldx.dw(R1, R0, i), stx.dw(R10, entrySlot + i, R1));
  g.emit(
    ...copy,
    comment('close the pair', ldMap(R1, PAIRS_MAP)),
    mov.reg(R2, R10), add.imm(R2, keySlot),
    call(Helper.mapDeleteElem),
  );
}
