// What the code of an expression takes, computed the way ExprEmitter (bpf-templates/expr.ts)
// allocates, so the planner can leave to DuckDB what the kernel program cannot hold: an expression
// needing more registers than a template gives it, or code so long that jumps across it leave the
// 16-bit offset range (see program-limits.ts).
import type { KExpr } from './kexpr.js';

const S32_MIN = -(2n ** 31n);
const S32_MAX = 2n ** 31n - 1n;

function isImm(e: KExpr): boolean {
  return e.kind === 'const' && e.value >= S32_MIN && e.value <= S32_MAX;
}

/** Registers value(e, dst) takes besides dst. */
function valueRegs(e: KExpr): number {
  switch (e.kind) {
    case 'const': case 'column': return 0;
    case 'neg': case 'bitnot': return valueRegs(e.operand);
    case 'arith': return Math.max(valueRegs(e.left), isImm(e.right) ? 0 : 1 + valueRegs(e.right));
    case 'compare': case 'and': case 'or': case 'not': case 'string-match': return jumpRegs(e);
  }
}

/** Registers jumpIfTrue/jumpIfFalse(e) takes. */
function jumpRegs(e: KExpr): number {
  switch (e.kind) {
    case 'and': case 'or': return Math.max(jumpRegs(e.left), jumpRegs(e.right));
    case 'not': return jumpRegs(e.operand);
    case 'compare': return Math.max(1 + valueRegs(e.left), isImm(e.right) ? 0 : 2 + valueRegs(e.right));
    case 'string-match': return 2;
    case 'const': return 0;
    case 'column': case 'neg': case 'bitnot': case 'arith': return 1 + valueRegs(e);
  }
}

/** Registers `e` holds at once, whether its value is computed or it decides a jump. */
export function exprRegisters(e: KExpr): number {
  return Math.max(1 + valueRegs(e), jumpRegs(e));
}

/** At most this many slots load a column (a load, then sign or zero extension). */
const COLUMN_SLOTS = 4;

/** Slots of a string comparison: per 8-byte word a load, a mask, a constant and a jump. */
function stringSlots(e: Extract<KExpr, { kind: 'string-match' }>): number {
  const bytes = e.raw ? e.raw.length : Buffer.byteLength(e.value) + 1;
  return Math.ceil(bytes / 8) * 7 + 1;
}

function valueSlots(e: KExpr): number {
  switch (e.kind) {
    case 'const': return isImm(e) ? 1 : 2;
    case 'column': return COLUMN_SLOTS;
    case 'neg': case 'bitnot': return valueSlots(e.operand) + 1;
    case 'arith': return valueSlots(e.left) + (isImm(e.right) ? 1 : valueSlots(e.right) + 1);
    case 'compare': case 'and': case 'or': case 'not': case 'string-match': return jumpSlots(e) + 2;
  }
}

function jumpSlots(e: KExpr): number {
  switch (e.kind) {
    case 'and': case 'or': return jumpSlots(e.left) + jumpSlots(e.right);
    case 'not': return jumpSlots(e.operand);
    case 'compare': return valueSlots(e.left) + (isImm(e.right) ? 0 : valueSlots(e.right)) + 1;
    case 'string-match': return stringSlots(e);
    case 'const': return 1;
    case 'column': case 'neg': case 'bitnot': case 'arith': return valueSlots(e) + 1;
  }
}

/** An upper bound on the instruction slots of `e`'s code, whether as a value or a jump. */
export function exprSlots(e: KExpr): number {
  return Math.max(valueSlots(e), jumpSlots(e));
}
