// Record fields that are their tracepoint's argument copied unchanged. For these a query reads the
// same value from the argument on tp_btf as from the formatted record on the classic hook, so it
// can run on the cheaper hook (planner/typed-fields.ts). Other fields named like an argument are
// not known to be copies: sched_switch's prev_state is computed from its argument, and a field
// computed from an argument can differ from it. Each entry is the kernel's TP_fast_assign
// (include/trace/events/*.h) assigning `__entry->name = name`, checked in that file; the catalog
// also checks that the field's type is the argument's.

/** `category:event` → the fields that copy the argument of their name. */
const COPIES: ReadonlyMap<string, readonly string[]> = new Map([
  // syscalls.h: sys_enter assigns `__entry->id = id`; its args come from regs, not copied.
  ['raw_syscalls:sys_enter', ['id']],
  // syscalls.h: sys_exit assigns `__entry->ret = ret`; its id is syscall_get_nr(), not an argument.
  ['raw_syscalls:sys_exit', ['ret']],
]);

export function recordCopies(category: string, event: string): readonly string[] {
  return COPIES.get(`${category}:${event}`) ?? [];
}
