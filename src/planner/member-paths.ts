// A member path through kernel structs (`next.real_parent.tgid`, `current.mm.total_vm`) as a
// column, typed and laid out from the running kernel's BTF at plan time: the members' offsets,
// the pointers followed between them, and the value at the end. Every name is checked here, so
// a misspelt member gets a caret on it and the closest names before anything loads.
import { intOf } from '../catalog/arg-columns.js';
import type { BtfTypes, CType } from '../catalog/btf-types.js';
import { cTypeText, isCharArray } from '../catalog/btf-types.js';
import type { Column } from '../catalog/column.js';
import { STRING, U64 } from '../catalog/types.js';
import { diagnostic, QueryError } from '../diag/diagnostic.js';
import { closest } from '../diag/messages.js';
import type { NamePart } from '../query/ast.js';

/** Where a path starts: a pointer argument at a context offset, or the current task. */
export interface PathStart {
  readonly from: number | 'current';
  /** The type of the path's first name (a pointer to the struct the next name is a member of). */
  readonly type: CType;
}

/** The column a path's name stands for in the query once resolved: its parts joined by dots. */
export function pathName(parts: readonly NamePart[]): string {
  return parts.map((p) => p.name.toLowerCase()).join('.');
}

function text(parts: readonly NamePart[]): string {
  return parts.map((p) => p.name).join('.');
}

/** The struct a value of type `t` has members in: itself, or what a pointer points to; undefined when none. */
function membersHolder(t: CType): { readonly struct: Extract<CType, { kind: 'struct' }>; readonly follow: boolean } | undefined {
  if (t.kind === 'struct') return { struct: t, follow: false };
  if (t.kind === 'pointer' && t.to.kind === 'struct') return { struct: t.to, follow: true };
  return undefined;
}

/**
 * The member names a path may go on with after `parts` (the first is the start's name), for
 * completion: the members of the struct it reaches; none when it reaches no struct or names no member.
 */
export function membersAfter(parts: readonly string[], start: PathStart, btf: BtfTypes): readonly string[] {
  let type = start.type;
  for (const name of parts.slice(1)) {
    const holder = membersHolder(type);
    const member = holder === undefined ? undefined : btf.members(holder.struct).find((m) => m.name.toLowerCase() === name.toLowerCase());
    if (member === undefined) return [];
    type = member.type;
  }
  const holder = membersHolder(type);
  return holder === undefined ? [] : btf.members(holder.struct).map((m) => m.name);
}

/**
 * The column reading `parts` (the first is the start's name) from `start`. Throws a QueryError on
 * the first part that names no member, goes into what has none, or is not a value bpfql reads.
 */
export function resolvePath(parts: readonly NamePart[], start: PathStart, btf: BtfTypes): Column {
  let type = start.type;
  let offset = 0;
  const hops: number[] = [];
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!;
    const before = parts.slice(0, i);
    const holder = membersHolder(type);
    if (holder === undefined) throw new QueryError([diagnostic('no-members', { path: text(before), type: cTypeText(type) }, part.span)]);
    // The start's own pointer is the first one read; every later pointer ends a hop.
    if (holder.follow && i > 1) {
      hops.push(offset);
      offset = 0;
    }
    const members = btf.members(holder.struct);
    const member = members.find((m) => m.name === part.name) ?? members.find((m) => m.name.toLowerCase() === part.name.toLowerCase());
    if (member === undefined) {
      throw new QueryError([diagnostic('unknown-member', { struct: cTypeText(holder.struct), member: part.name, suggestions: closest(part.name, members.map((m) => m.name)) }, part.span)]);
    }
    if (member.bitfield) throw new QueryError([diagnostic('unsupported-member', { path: text([...before, part]), type: cTypeText(member.type), reason: 'it is a bitfield' }, part.span)]);
    offset += member.offset;
    type = member.type;
  }
  hops.push(offset);
  return valueColumn(parts, start, type, hops);
}

/** The column of the value at the path's end: an integer, a char array as text, or a pointer as its address. */
function valueColumn(parts: readonly NamePart[], start: PathStart, type: CType, hops: readonly number[]): Column {
  const name = pathName(parts);
  const description = `${cTypeText(type)}, read through BTF`;
  const last = parts[parts.length - 1]!;
  if (type.kind === 'array' && isCharArray(type)) {
    return { name, type: STRING, source: { kind: 'kernel-path', from: start.from, hops, size: type.length, signed: false, text: true }, description };
  }
  if (type.kind === 'pointer') return { name, type: U64, source: { kind: 'kernel-path', from: start.from, hops, size: 8, signed: false }, description };
  const int = intOf(type);
  if (int !== undefined) {
    return { name, type: { kind: 'int', bits: (int.size * 8) as 8 | 16 | 32 | 64, signed: int.signed }, source: { kind: 'kernel-path', from: start.from, hops, size: int.size, signed: int.signed }, description };
  }
  const reason = type.kind === 'struct' ? 'name one of its members' : type.kind === 'array' ? 'of arrays only char[N] is read (as text)' : 'it is not an integer, text or pointer';
  throw new QueryError([diagnostic('unsupported-member', { path: text(parts), type: cTypeText(type), reason }, last.span)]);
}
