// Entry/exit pairing for tables whose rows are completed pairs (a syscall and its return, a block
// request and its completion). The entry program saves a timestamp and some record fields under
// the pair's key in an LRU hash, so the state stays bounded whatever the workload; the exit
// program takes them back (and deletes them) before anything else. An exit with no saved entry
// (never seen, or evicted) is counted as unmatched.
import { Helper, add, arsh, call, comment, exit, ja, label, jeq, ldMap, ldx, lsh, mov, stx } from '../bpf/index.js';
import type { Reg } from '../bpf/register.js';
import { R0, R1, R2, R3, R4, R6, R10 } from '../bpf/register.js';
import type { FieldRef, Pairing } from '../catalog/table.js';
import { Codegen } from './codegen.js';
import { emitCountStat } from './stats.js';

export const PAIRS_MAP = 'pairs';
/** Pairs in flight at most; the oldest are evicted beyond it. */
export const DEFAULT_MAX_PAIRS = 16384;

const LOAD = { 1: 'b', 2: 'h', 4: 'w', 8: 'dw' } as const;

export function pairKeySize(p: Pairing): number {
  return p.key.kind === 'thread' ? 8 : 8 * p.key.entry.length;
}

export function pairValueSize(p: Pairing): number {
  return 8 + 8 * p.saved.length;
}

/** Writes the pair key at R10+slot from the current thread or the record's fields. */
function emitKey(g: Codegen, p: Pairing, side: 'entry' | 'exit', slot: number): void {
  if (p.key.kind === 'thread') {
    g.emit(comment('pair key: this thread', call(Helper.getCurrentPidTgid)), stx.dw(R10, slot, R0));
    return;
  }
  const fields: readonly FieldRef[] = side === 'entry' ? p.key.entry : p.key.exit;
  fields.forEach((f, i) => {
    g.emit(comment(`pair key ${i}: record field at ${f.offset}`, ldx[LOAD[f.size]](R1, R6, f.offset)), stx.dw(R10, slot + 8 * i, R1));
  });
}

function loadField(g: Codegen, r: Reg, f: FieldRef & { readonly signed: boolean }): void {
  g.emit(ldx[LOAD[f.size]](r, R6, f.offset));
  if (f.signed && f.size !== 8) {
    const shift = 64 - 8 * f.size;
    g.emit(lsh.imm(r, shift), arsh.imm(r, shift));
  }
}

/** The program on the entry event: save the time and the fields the exit side needs. */
export function emitEntryProgram(p: Pairing): Codegen {
  const g = new Codegen();
  g.emit(comment('r6 = context', mov.reg(R6, R1)));
  const keySlot = g.frame.alloc(pairKeySize(p), 'pair key');
  const valueSlot = g.frame.alloc(pairValueSize(p), 'pair value');
  emitKey(g, p, 'entry', keySlot);
  g.emit(comment('entry time', call(Helper.ktimeGetNs)), stx.dw(R10, valueSlot, R0));
  p.saved.forEach((f, i) => {
    loadField(g, R1, f);
    g.emit(comment(`save field at ${f.offset}`, stx.dw(R10, valueSlot + 8 + 8 * i, R1)));
  });
  g.emit(
    comment('remember the entry (LRU: bounded)', ldMap(R1, PAIRS_MAP)),
    mov.reg(R2, R10), add.imm(R2, keySlot),
    mov.reg(R3, R10), add.imm(R3, valueSlot),
    mov.imm(R4, 0),
    call(Helper.mapUpdateElem),
    mov.imm(R0, 0),
    exit(),
  );
  return g;
}

/**
 * The start of the exit program: find the entry, copy it to R10+entrySlot and delete it; on no
 * entry, count it and jump to `out`.
 */
export function emitTakeEntry(g: Codegen, p: Pairing, entrySlot: number, out: string): void {
  const keySlot = g.frame.alloc(pairKeySize(p), 'pair key');
  emitKey(g, p, 'exit', keySlot);
  g.emit(
    comment('find the entry', ldMap(R1, PAIRS_MAP)),
    mov.reg(R2, R10), add.imm(R2, keySlot),
    call(Helper.mapLookupElem),
    jeq.imm(R0, 0, 'unmatched'),
  );
  for (let i = 0; i < pairValueSize(p); i += 8) g.emit(ldx.dw(R1, R0, i), stx.dw(R10, entrySlot + i, R1));
  g.emit(
    comment('forget it', ldMap(R1, PAIRS_MAP)),
    mov.reg(R2, R10), add.imm(R2, keySlot),
    call(Helper.mapDeleteElem),
  );
  g.emit(ja('matched'), label('unmatched'));
  emitCountStat(g, 'unmatched', g.frame.alloc(8, 'stats key'), out);
  g.emit(ja(out), label('matched'));
}
