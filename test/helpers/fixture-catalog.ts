// A catalog over the format files kept in test/catalog/fixtures, so planner tests need no kernel.
import { readFileSync } from 'node:fs';
import type { Hook } from '../../src/catalog/hook.js';
import { Catalog } from '../../src/catalog/catalog.js';
import type { PlannerEnv } from '../../src/planner/offsets.js';
import { readBinary } from '../../src/runtime/kernel-env.js';
import { fromRoot } from './paths.js';

const FIXTURES: Readonly<Record<string, string>> = {
  'sched/sched_process_exec': 'sched_process_exec',
  'syscalls/sys_enter_openat': 'sys_enter_openat',
  'syscalls/sys_exit_openat': 'sys_exit_openat',
  'sock/inet_sock_set_state': 'inet_sock_set_state',
  'sched/sched_switch': 'sched_switch',
  'sched/sched_process_exit': 'sched_process_exit',
  'sched/sched_process_fork': 'sched_process_fork',
  'sched/sched_wakeup': 'sched_wakeup',
  'sched/sched_wakeup_new': 'sched_wakeup_new',
  'raw_syscalls/sys_enter': 'raw_sys_enter',
  'raw_syscalls/sys_exit': 'raw_sys_exit',
  'syscalls/sys_enter_read': 'sys_enter_read',
  'syscalls/sys_exit_read': 'sys_exit_read',
  'syscalls/sys_enter_write': 'sys_enter_write',
  'syscalls/sys_exit_write': 'sys_exit_write',
  'block/block_rq_issue': 'block_rq_issue',
  'block/block_io_start': 'block_io_start',
  'block/block_rq_complete': 'block_rq_complete',
  'exceptions/page_fault_user': 'page_fault_user',
  'signal/signal_generate': 'signal_generate',
  'oom/mark_victim': 'mark_victim',
};

/** The text of a fixture format file, by its file name. */
export function fixtureFormat(name: string): string {
  return readFileSync(fromRoot('test', 'catalog', 'fixtures', `${name}.format`), 'utf8');
}

/**
 * A catalog over the fixtures, on `hook`, with `btfIds` as its BTF's btf_trace_<event> typedefs. `overrides`, by 'category/event', replaces a format's text, or with
 * undefined removes the tracepoint, as a kernel without it would.
 */
export function fixtureCatalog(overrides: Readonly<Record<string, string | undefined>> = {}, hook?: Hook, btfIds?: Readonly<Record<string, number>>): Catalog {
  const present = Object.keys(FIXTURES).filter((k) => !(k in overrides) || overrides[k] !== undefined);
  return new Catalog({
    readFormat(category, event) {
      const key = `${category}/${event}`;
      if (key in overrides) return overrides[key];
      const name = FIXTURES[key];
      return name === undefined ? undefined : fixtureFormat(name);
    },
    listTracepoints: () => present.map((k) => ({ category: k.split('/')[0]!, event: k.split('/')[1]! })),
    // Binaries are real files: uprobe tests compile their own.
    readBinary,
    ...(hook === undefined ? {} : { hook }),
    // BTF ids of btf_trace_<event> typedefs by event; without them the kernel has no BTF.
    ...(btfIds === undefined ? {} : { btfTracepoint: (event: string) => btfIds[event] }),
  });
}

/** Offsets as on the development machine's kernel; the real ones come from BTF. */
const TASK_STRUCT: Readonly<Record<string, number>> = { real_parent: 1280, tgid: 1268, exit_code: 1204, start_time: 1768 };
/** struct pt_regs on x86_64 (the uapi layout). */
const PT_REGS: Readonly<Record<string, number>> = { r9: 64, r8: 72, cx: 88, dx: 96, si: 104, di: 112, ip: 128, sp: 152 };
const STRUCTS: Readonly<Record<string, Readonly<Record<string, number>>>> = { task_struct: TASK_STRUCT, pt_regs: PT_REGS };

export const fixturePlannerEnv: PlannerEnv = {
  memberOffset(struct, member) {
    const off = STRUCTS[struct]?.[member];
    if (off === undefined) throw new Error(`no fixture offset for ${struct}.${member}`);
    return off;
  },
};
