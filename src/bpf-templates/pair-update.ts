// The program on an event that opens no pair but changes an open one (PairUpdate): the pair,
// found under this event's key, takes the current task (the process that closes a connection
// owns it) or adds a field of the record to a counter (bytes a send moved). Records of pairs
// not open (opened before the query, or not wanted) change nothing.
import { Helper, add, atomic, call, comment, exit, jeq, jsle, label, ldMap, mov } from '../bpf/index.js';
import { R0, R1, R2, R6, R7, R10 } from '../bpf/register.js';
import type { PairEntry, PairUpdate } from '../catalog/table.js';
import type { KernelPlan, PlannedPairing } from '../planner/plan.js';
import { Codegen } from './codegen.js';
import { pairLayout } from './pair-layout.js';
import { emitConditions } from './pair-conditions.js';
import { emitKey, emitTaskValues, loadField, pairKeySize, PAIRS_MAP } from './pairing.js';

export function emitUpdateProgram(plan: KernelPlan, p: PlannedPairing, entry: PairEntry, update: PairUpdate): Codegen {
  const g = new Codegen();
  const layout = pairLayout(p, plan.columns);
  if (8 * update.key.length !== pairKeySize(p)) throw new Error('an update event\'s key differs in length from its pairs\'');
  g.emit(comment('r6 = context', mov.reg(R6, R1)));
  if (entry.when) emitConditions(g, entry.when, 'out');
  const keySlot = g.frame.alloc(pairKeySize(p), 'pair key');
  emitKey(g, update.key, keySlot);
  g.emit(
    comment('the open pair (none: nothing to change)', ldMap(R1, PAIRS_MAP)),
    mov.reg(R2, R10), add.imm(R2, keySlot),
    call(Helper.mapLookupElem),
    jeq.imm(R0, 0, 'out'),
    mov.reg(R7, R0),
  );
  if (update.task) emitTaskValues(g, layout, R7, 0);
  if (update.add) {
    const at = layout.fields[p.saved.length + update.add.counter];
    if (at === undefined) throw new Error(`the pairs have no counter ${update.add.counter}`);
    loadField(g, R1, update.add.field);
    // Another CPU may add to the same pair at once (a send and a receive on one connection).
    g.emit(comment('nothing moved, or -errno', jsle.imm(R1, 0, 'out')), comment('add to the counter', atomic.add.dw(R7, at, R1)));
  }
  g.emit(label('out'), mov.imm(R0, 0), exit());
  return g;
}
