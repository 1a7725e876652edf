// A catalog over the format files kept in test/catalog/fixtures, so planner tests need no kernel.
import { readFileSync } from 'node:fs';
import { Catalog } from '../../src/catalog/catalog.js';
import type { PlannerEnv } from '../../src/planner/planner.js';
import { fromRoot } from './paths.js';

const FIXTURES: Readonly<Record<string, string>> = {
  'sched/sched_process_exec': 'sched_process_exec',
  'syscalls/sys_enter_openat': 'sys_enter_openat',
  'syscalls/sys_exit_openat': 'sys_exit_openat',
  'sock/inet_sock_set_state': 'inet_sock_set_state',
  'sched/sched_switch': 'sched_switch',
};

export function fixtureCatalog(): Catalog {
  return new Catalog({
    readFormat(category, event) {
      const name = FIXTURES[`${category}/${event}`];
      return name === undefined ? undefined : readFileSync(fromRoot('test', 'catalog', 'fixtures', `${name}.format`), 'utf8');
    },
    listTracepoints: () => Object.keys(FIXTURES).map((k) => ({ category: k.split('/')[0]!, event: k.split('/')[1]! })),
  });
}

/** Offsets as on the development machine's kernel; the real ones come from BTF. */
const TASK_STRUCT: Readonly<Record<string, number>> = { real_parent: 1280, tgid: 1268, exit_code: 1204, start_time: 1768 };

export const fixturePlannerEnv: PlannerEnv = {
  memberOffset(struct, member) {
    const off = struct === 'task_struct' ? TASK_STRUCT[member] : undefined;
    if (off === undefined) throw new Error(`no fixture offset for ${struct}.${member}`);
    return off;
  },
};
