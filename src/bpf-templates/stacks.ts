// Call stacks: a program asks bpf_get_stackid for the current kernel or user stack, which the
// kernel stores in a STACK_TRACE map and names by an id; keys and records carry the id, and user
// space reads the addresses back after the run and symbolises them. A user stack's addresses
// mean something only in its process, so the program also notes, by stack id, the process that
// last produced it (an array indexed by id: ids are below the map's power-of-two size).
import { Helper, add, call, comment, ja, jeq, jsge, label, ldMap, mov, rsh, stx } from '../bpf/index.js';
import { NO_STACK_ID } from '../catalog/nulls.js';
import { R0, R1, R2, R3, R4, R6, R10 } from '../bpf/register.js';
import type { Column, StackSpace } from '../catalog/column.js';
import type { MapSpec } from '../bpf/map-spec.js';
import type { Codegen } from './codegen.js';
import { emitCountStat } from './stats.js';

export const STACKS_MAP = 'stacks';
export const STACK_PIDS_MAP = 'stack_pids';
/** Frames kept per stack: PERF_MAX_STACK_DEPTH, the default of kernel.perf_event_max_stack. */
export const STACK_DEPTH = 127;
/** Distinct stacks kept (bcc's default). A power of two: the kernel hashes stacks into this many buckets. */
export const MAX_STACKS = 16384;
/** BPF_F_USER_STACK: the user stack instead of the kernel's. */
const USER_STACK = 1 << 8;

export function usesStacks(columns: readonly Column[]): boolean {
  return columns.some((c) => c.source.kind === 'stack');
}

export function stackMaps(): MapSpec[] {
  return [
    { name: STACKS_MAP, type: 'stack_trace', keySize: 4, valueSize: 8 * STACK_DEPTH, maxEntries: MAX_STACKS },
    { name: STACK_PIDS_MAP, type: 'array', keySize: 4, valueSize: 4, maxEntries: MAX_STACKS },
  ];
}

/**
 * Stores the stack id (negative errno when there is none) at R10+slot. R6 must hold the context.
 * A stack whose hash bucket holds another stack is not stored (-EEXIST): ids already handed out
 * must keep meaning the stack they meant. Such a stack, and one the full map had no room for, is
 * counted as lost (the result says so); -EFAULT, no stack of that kind at all, is a NULL.
 */
export function emitStackId(g: Codegen, space: StackSpace, slot: number): void {
  const stored = g.fresh('stack_stored');
  const done = g.fresh('stack_done');
  const statKey = g.frame.alloc(8, 'stats key');
  g.emit(
    comment(`${space} stack id`, mov.reg(R1, R6)),
    ldMap(R2, STACKS_MAP),
    mov.imm(R3, space === 'user' ? USER_STACK : 0),
    call(Helper.getStackid),
    stx.dw(R10, slot, R0),
    jsge.imm(R0, 0, stored),
    jeq.imm(R0, Number(NO_STACK_ID), done),
  );
  emitCountStat(g, 'lostStacks', statKey, done);
  g.emit(ja(done), label(stored));
  if (space === 'user') {
    const pidSlot = g.frame.alloc(8, 'stack pid');
    g.emit(
      comment('note the process the user stack belongs to', call(Helper.getCurrentPidTgid)),
      rsh.imm(R0, 32),
      stx.dw(R10, pidSlot, R0),
      ldMap(R1, STACK_PIDS_MAP),
      // The id's low 32 bits are the array key (little-endian).
      mov.reg(R2, R10), add.imm(R2, slot),
      mov.reg(R3, R10), add.imm(R3, pidSlot),
      mov.imm(R4, 0),
      call(Helper.mapUpdateElem),
    );
  }
  g.emit(label(done));
}
