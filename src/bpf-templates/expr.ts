// Expression code: integer values into registers, and conditions straight into jumps (no
// boolean is materialised where a branch will do). Signedness picks the signed compare, divide
// and shift instructions. Column values come from `Values`, which fetched them beforehand.
import type { AluOp, Insn, JumpOp } from '../bpf/index.js';
import {
  add, and, arsh, comment, div, ja, jeq, jge, jgt, jle, jlt, jne, jsge, jsgt, jsle, jslt, label,
  lddw, ldx, lsh, mod, mov, mul, neg, or, rsh, sdiv, smod, sub, xor,
} from '../bpf/index.js';
import type { Reg } from '../bpf/register.js';
import { R10 } from '../bpf/register.js';
import type { ArithOp, CompareOp, KExpr } from '../planner/kexpr.js';
import type { Codegen, RegPool } from './codegen.js';
import type { Values } from './values.js';
import { assertNever } from '../diag/assert-never.js';

const S32_MIN = -(2n ** 31n);
const S32_MAX = 2n ** 31n - 1n;

function fitsImm(v: bigint): boolean {
  return v >= S32_MIN && v <= S32_MAX;
}

function arithOp(op: ArithOp, signed: boolean): AluOp {
  switch (op) {
    case '+': return add;
    case '-': return sub;
    case '*': return mul;
    case '//': return signed ? sdiv : div;
    case '%': return signed ? smod : mod;
    case '&': return and;
    case '|': return or;
    case '^': return xor;
    case '<<': return lsh;
    case '>>': return signed ? arsh : rsh;
  }
}

/** The jump taken when `op` holds. */
function jumpOp(op: CompareOp, signed: boolean): JumpOp {
  switch (op) {
    case '=': return jeq;
    case '!=': return jne;
    case '<': return signed ? jslt : jlt;
    case '<=': return signed ? jsle : jle;
    case '>': return signed ? jsgt : jgt;
    case '>=': return signed ? jsge : jge;
  }
}

const NEGATE: { readonly [O in CompareOp]: CompareOp } = { '=': '!=', '!=': '=', '<': '>=', '<=': '>', '>': '<=', '>=': '<' };

/** 64-bit little-endian words of a NUL-terminated string (or of raw bytes), zero-padded. */
function words(text: string | readonly number[], bytes: number): bigint[] {
  const buf = Buffer.alloc(Math.ceil(bytes / 8) * 8);
  const src = typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text);
  src.copy(buf, 0, 0, Math.min(bytes, src.length));
  const out: bigint[] = [];
  for (let i = 0; i < buf.length; i += 8) out.push(buf.readBigUInt64LE(i));
  return out;
}

export class ExprEmitter {
  constructor(private readonly g: Codegen, private readonly values: Values) {}

  /** Emits code leaving the 64-bit value of `e` in `dst`. */
  value(e: KExpr, dst: Reg, pool: RegPool): void {
    const g = this.g;
    switch (e.kind) {
      case 'const':
        g.emit(fitsImm(e.value) ? mov.imm(dst, Number(e.value)) : lddw(dst, BigInt.asUintN(64, e.value)));
        return;
      case 'column':
        this.values.load(e.column, dst);
        return;
      case 'neg':
        this.value(e.operand, dst, pool);
        g.emit(neg(dst));
        return;
      case 'bitnot':
        this.value(e.operand, dst, pool);
        g.emit(xor.imm(dst, -1));
        return;
      case 'arith': {
        this.value(e.left, dst, pool);
        const op = arithOp(e.op, e.signed);
        if (e.right.kind === 'const' && fitsImm(e.right.value)) {
          g.emit(op.imm(dst, Number(e.right.value)));
          return;
        }
        const tmp = pool.take();
        this.value(e.right, tmp, pool);
        g.emit(op.reg(dst, tmp));
        pool.give(tmp);
        return;
      }
      case 'compare': case 'and': case 'or': case 'not': case 'string-match': {
        const done = g.fresh('bool');
        g.emit(mov.imm(dst, 1));
        this.jumpIfTrue(e, done, pool);
        g.emit(mov.imm(dst, 0), label(done));
        return;
      }
      default:
        return assertNever(e);
    }
  }

  /** Jumps to `target` when `e` is false (zero); falls through when true. */
  jumpIfFalse(e: KExpr, target: string, pool: RegPool): void {
    const g = this.g;
    switch (e.kind) {
      case 'and':
        this.jumpIfFalse(e.left, target, pool);
        this.jumpIfFalse(e.right, target, pool);
        return;
      case 'or': {
        const yes = g.fresh('or_true');
        this.jumpIfTrue(e.left, yes, pool);
        this.jumpIfFalse(e.right, target, pool);
        g.emit(label(yes));
        return;
      }
      case 'not':
        this.jumpIfTrue(e.operand, target, pool);
        return;
      case 'compare':
        this.compare({ ...e, op: NEGATE[e.op] }, target, pool);
        return;
      case 'string-match':
        this.stringMatch(e, target, !e.negated, pool);
        return;
      case 'const':
        if (e.value === 0n) g.emit(ja(target));
        return;
      case 'column': case 'neg': case 'bitnot': case 'arith': {
        const r = pool.take();
        this.value(e, r, pool);
        g.emit(jeq.imm(r, 0, target));
        pool.give(r);
        return;
      }
      default:
        return assertNever(e);
    }
  }

  /** Jumps to `target` when `e` is true (non-zero); falls through when false. */
  jumpIfTrue(e: KExpr, target: string, pool: RegPool): void {
    const g = this.g;
    switch (e.kind) {
      case 'and': {
        const no = g.fresh('and_false');
        this.jumpIfFalse(e.left, no, pool);
        this.jumpIfTrue(e.right, target, pool);
        g.emit(label(no));
        return;
      }
      case 'or':
        this.jumpIfTrue(e.left, target, pool);
        this.jumpIfTrue(e.right, target, pool);
        return;
      case 'not':
        this.jumpIfFalse(e.operand, target, pool);
        return;
      case 'compare':
        this.compare(e, target, pool);
        return;
      case 'string-match':
        this.stringMatch(e, target, e.negated, pool);
        return;
      case 'const':
        if (e.value !== 0n) g.emit(ja(target));
        return;
      case 'column': case 'neg': case 'bitnot': case 'arith': {
        const r = pool.take();
        this.value(e, r, pool);
        g.emit(jne.imm(r, 0, target));
        pool.give(r);
        return;
      }
      default:
        return assertNever(e);
    }
  }

  /** Jumps to `target` when the comparison holds. */
  private compare(e: Extract<KExpr, { kind: 'compare' }>, target: string, pool: RegPool): void {
    const g = this.g;
    const op = jumpOp(e.op, e.signed);
    const l = pool.take();
    this.value(e.left, l, pool);
    if (e.right.kind === 'const' && fitsImm(e.right.value)) {
      g.emit(op.imm(l, Number(e.right.value), target));
    } else {
      const r = pool.take();
      this.value(e.right, r, pool);
      g.emit(op.reg(l, r, target));
      pool.give(r);
    }
    pool.give(l);
  }

  /**
   * String equality or prefix against a constant, word by word over the zero-padded buffer.
   * Jumps to `target` on a mismatch when `onMismatch`, otherwise on a match.
   */
  private stringMatch(e: Extract<KExpr, { kind: 'string-match' }>, target: string, onMismatch: boolean, pool: RegPool): void {
    const g = this.g;
    const slot = this.values.stringSlot(e.column);
    // Equality compares the NUL too. The planner folded matches that can never happen.
    const bytes = e.raw ? e.raw.length : Buffer.byteLength(e.value) + (e.match === 'equals' ? 1 : 0);
    const ws = words(e.raw ?? e.value, bytes);
    const mismatch = onMismatch ? target : g.fresh('str_mismatch');
    // A string's buffer is zero after its NUL (see Values.stringSlot), as the constant's last word
    // is: equality compares whole words. A prefix leaves the bytes after it free, so they are masked.
    const wholeWords = e.match === 'equals' && e.raw === undefined;
    const r = pool.take();
    const c = pool.take();
    ws.forEach((w, i) => {
      const significant = Math.min(8, bytes - i * 8);
      const first: Insn = ldx.dw(r, R10, slot + i * 8);
      g.emit(i === 0 ? comment(`${e.column.name} ${e.match === 'equals' ? '=' : 'starts with'} '${e.value}'`, first) : first);
      if (significant < 8 && !wholeWords) g.emit(lddw(c, (1n << BigInt(significant * 8)) - 1n), and.reg(r, c));
      g.emit(lddw(c, w), jne.reg(r, c, mismatch));
    });
    pool.give(c);
    pool.give(r);
    if (!onMismatch) g.emit(ja(target), label(mismatch));
  }
}
