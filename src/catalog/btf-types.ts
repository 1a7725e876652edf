// Kernel C types as BTF describes them, in the plain form the catalog and planner reason about:
// a tracepoint's TP_PROTO arguments, and the members a path like `next.real_parent.tgid` walks.
// The kernel layer reads them from vmlinux BTF; tests write them by hand.
import { assertNever } from '../diag/assert-never.js';

export type CType =
  /** Integers, bool, char and enums, by their width and sign; `name` as C spells it. */
  | { readonly kind: 'int'; readonly name: string; readonly size: number; readonly signed: boolean }
  /**
   * A struct or union, by its BTF id (anonymous ones have the name '', or with `typedef` the name
   * of the typedef that names them: atomic_t). Its members: BtfTypes.members.
   */
  | { readonly kind: 'struct'; readonly id: number; readonly name: string; readonly size: number; readonly union: boolean; readonly typedef?: true }
  | { readonly kind: 'pointer'; readonly to: CType }
  | { readonly kind: 'array'; readonly element: CType; readonly length: number }
  | { readonly kind: 'void' }
  /** Anything a path cannot go into or read as a value (functions, floats): its C spelling. */
  | { readonly kind: 'other'; readonly text: string };

export interface CMember {
  readonly name: string;
  readonly type: CType;
  /** Byte offset in the struct (members of anonymous struct and union members are flattened into it). */
  readonly offset: number;
  /** A bitfield member: it has no byte of its own, so no path reads it. */
  readonly bitfield?: true;
}

/** One argument of a tracepoint's TP_PROTO (the first, `void *__data`, left out), by position from 0. */
export interface TracepointArg {
  readonly name: string;
  readonly type: CType;
  readonly index: number;
}

/** What the planner asks of the kernel's BTF to follow member paths. */
export interface BtfTypes {
  /** The struct or union `struct <name>` (the one with members), or undefined. */
  struct(name: string): Extract<CType, { kind: 'struct' }> | undefined;
  /** Its named members in order, anonymous members' members in their place. */
  members(struct: Extract<CType, { kind: 'struct' }>): readonly CMember[];
}

/** C's spelling of a type, as DESCRIBE shows it: `struct task_struct *`, `char[16]`, `unsigned int`. */
export function cTypeText(t: CType): string {
  switch (t.kind) {
    case 'int': return t.name;
    case 'struct': return t.typedef === true ? t.name : `${t.union ? 'union' : 'struct'} ${t.name === '' ? '(anonymous)' : t.name}`;
    case 'pointer': {
      const inner = cTypeText(t.to);
      return inner.endsWith('*') ? `${inner}*` : `${inner} *`;
    }
    case 'array': return `${cTypeText(t.element)}[${t.length}]`;
    case 'void': return 'void';
    case 'other': return t.text;
    default:
      return assertNever(t);
  }
}

/** A char array (`char comm[16]`): text, NUL-terminated within its length. */
export function isCharArray(t: CType): boolean {
  return t.kind === 'array' && t.element.kind === 'int' && t.element.size === 1 && /\bchar\b/.test(t.element.name) && !/unsigned/.test(t.element.name);
}
