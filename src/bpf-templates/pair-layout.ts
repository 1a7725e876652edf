// The layout of a paired table's map value: what an entry saves, and where.
import type { Column, StackSpace, TaskBuiltin } from '../catalog/column.js';
import type { PlannedPairing } from '../planner/plan.js';
import { COMM_CAPACITY } from '../planner/layout.js';

/** A helper value of the entry's task, as saved (pid and tid share one, as do uid and gid). */
export type SavedTaskValue = 'pid_tgid' | 'uid_gid' | 'cgroup_id' | 'comm';

const TASK_VALUE: { readonly [B in TaskBuiltin]: SavedTaskValue } = {
  pid: 'pid_tgid', tid: 'pid_tgid', uid: 'uid_gid', gid: 'uid_gid', cgroup_id: 'cgroup_id', comm: 'comm',
};

/**
 * Where each part of a pair's value sits: the entry time at 0, the saved record fields and the
 * counters (8 bytes each), the task values the query reads (comm takes 16 bytes), then the ids of
 * the stacks the entry took (8 bytes each) when the query reads them.
 */
export interface PairLayout {
  readonly size: number;
  /** The saved fields', then the counters' offsets (entry-field indexes). */
  readonly fields: readonly number[];
  readonly task: ReadonlyMap<SavedTaskValue, number>;
  readonly stacks: ReadonlyMap<StackSpace, number>;
}

export function pairLayout(p: PlannedPairing, columns: readonly Column[]): PairLayout {
  const wanted = new Set<SavedTaskValue>();
  const wantedStacks = new Set<StackSpace>();
  for (const c of columns) {
    if (c.source.kind === 'entry-builtin') wanted.add(TASK_VALUE[c.source.name]);
    if ((c.source.kind === 'cgroup' || c.source.kind === 'cgroup-set') && c.source.entry) wanted.add('cgroup_id');
    if (c.source.kind === 'stack' && c.source.entry) wantedStacks.add(c.source.space);
  }
  const slots = p.saved.length + (p.counters ?? 0);
  const fields = Array.from({ length: slots }, (_, i) => 8 + 8 * i);
  let size = 8 + 8 * slots;
  const task = new Map<SavedTaskValue, number>();
  for (const v of ['pid_tgid', 'uid_gid', 'cgroup_id', 'comm'] as const) {
    if (!wanted.has(v)) continue;
    task.set(v, size);
    size += v === 'comm' ? COMM_CAPACITY : 8;
  }
  const stacks = new Map<StackSpace, number>();
  for (const space of ['kernel', 'user'] as const) {
    if (!wantedStacks.has(space)) continue;
    stacks.set(space, size);
    size += 8;
  }
  return { size, fields, task, stacks };
}

/** Where the id of a stack the entry took sits in the pair's value. */
export function entryStackOffset(layout: PairLayout, space: StackSpace): number {
  const off = layout.stacks.get(space);
  if (off === undefined) throw new Error(`the entry does not save its ${space} stack`);
  return off;
}

/** Where the saved value of an entry-builtin column sits in the pair's value. */
export function taskValueOffset(layout: PairLayout, name: TaskBuiltin): number {
  const off = layout.task.get(TASK_VALUE[name]);
  if (off === undefined) throw new Error(`the entry does not save ${name}`);
  return off;
}
