// What one kernel program may hold, agreed between the planner and code generation: the planner
// leaves to DuckDB whatever would not fit, and code generation works within these bounds.
import type { Reg } from '../bpf/register.js';
import { R0, R1, R2, R3, R4, R5, R7, R8, R9 } from '../bpf/register.js';

/** Registers expression code may use: all but R6 (the context) and R10 (the frame). Expression
 * code calls no helpers, so the caller-saved ones are free too. */
export const SCRATCH_REGS: readonly Reg[] = [R1, R2, R3, R4, R5, R7, R8, R9, R0];

/**
 * Registers an expression may hold at once, its destination included: the fewest any template
 * gives (a streamed record field gets the scratch registers but the record pointer).
 */
export const EXPRESSION_REGISTERS = SCRATCH_REGS.length - 1;

/**
 * Instruction slots all expressions of one program may take together. Jumps reach 32767 slots;
 * the filter jumps past everything else, so expressions get a quarter and the rest is left to
 * fetching values and updating maps.
 */
export const EXPRESSION_SLOTS = 8192;

/** The stack a BPF program has. */
export const STACK_LIMIT = 512;
/**
 * Stack a template may give to keys, string buffers and aggregate arguments; the rest is enough
 * for helper results, task_struct reads, a paired entry and the small keys of map lookups.
 */
export const DATA_STACK_BYTES = STACK_LIMIT - 128;
