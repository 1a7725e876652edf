// What DESCRIBE says from the kernel's BTF: a tracepoint table's TP_PROTO arguments (the starts
// of member paths, read on tp_btf) and `current`, and `DESCRIBE STRUCT name`'s members.
import { cTypeText } from '../catalog/btf-types.js';
import type { KernelTable } from '../catalog/table.js';
import { diagnostic, QueryError } from '../diag/diagnostic.js';
import type { PlannerEnv } from '../planner/offsets.js';
import { OffsetUnavailableError } from '../planner/offsets.js';
import { CURRENT } from '../planner/typed-fields.js';
import type { NamePart } from '../query/ast.js';
import type { QueryResult } from '../store/session.js';

/** Where a path's members are listed. */
function membersHint(type: string): string {
  const struct = /^(?:struct|union) (\w+) \*$/.exec(type)?.[1];
  return struct === undefined ? '' : `; members as <name>.<member> (DESCRIBE STRUCT ${struct})`;
}

/** DESCRIBE rows (column, type, description) for a table's event arguments and the current task. */
export function typedRows(t: KernelTable): string[][] {
  const args = (t.typed?.args ?? []).map((a) => {
    const type = cTypeText(a.type);
    const where = t.typed?.table === undefined ? 'not readable while BPFQL_HOOK=tracepoint' : 'read on the tp_btf hook, with no record field in the query';
    const shadowed = t.columns.some((c) => c.name === a.name) ? '; a record field has the name too: it means the argument in a query that reads another argument' : '';
    return [a.name, type, `argument ${a.index} of the event (BTF), ${where}${shadowed}${membersHint(type)}`];
  });
  const current = t.columns.some((c) => c.name === CURRENT) ? [] : [[CURRENT, 'struct task_struct *', `the task the event runs in${membersHint('struct task_struct *')}`]];
  return [...args, ...current];
}

/** `DESCRIBE STRUCT name`: its members (anonymous members' in their place) with types and byte offsets. */
export function describeStruct(env: PlannerEnv, name: NamePart): QueryResult {
  let btf;
  try {
    btf = env.btfTypes();
  } catch (e) {
    if (e instanceof OffsetUnavailableError) throw new QueryError([diagnostic('unknown-struct', { name: name.name, reason: e.message }, name.span)]);
    throw e;
  }
  const struct = btf.struct(name.name);
  if (struct === undefined) throw new QueryError([diagnostic('unknown-struct', { name: name.name, reason: 'the kernel\'s BTF has no struct or union of that name' }, name.span)]);
  const rows = btf.members(struct).map((m) => [m.name, cTypeText(m.type), m.offset, m.bitfield === true ? 'bitfield (not readable)' : '']);
  return {
    columns: [{ name: 'member', type: 'VARCHAR' }, { name: 'type', type: 'VARCHAR' }, { name: 'offset', type: 'INTEGER' }, { name: 'note', type: 'VARCHAR' }],
    rows,
  };
}
