// Which columns can be NULL, and how the kernel writes a NULL. A key or record field always holds
// some integer; for a column that can be NULL one raw value stands for it, which user space turns
// into NULL when it decodes the field (symbolize.ts for stacks). The planner reads only this to
// test `x IS [NOT] NULL` and to count `count(x)` in the kernel, so every source kind must say.
import type { Column } from './column.js';
import { assertNever } from '../diag/assert-never.js';

/**
 * bpf_get_stackid's -EFAULT: the event has no such stack (a sample taken in user mode has no kernel
 * stack, a kernel thread no user stack). Other negative ids are stacks that existed but were lost
 * (the map full, the hash bucket taken), which read as text saying so, not as NULL.
 */
export const NO_STACK_ID = -14n;

/** The raw value that means NULL in `c`'s kernel field, or undefined when `c` always has a value. */
export function kernelNullValue(c: Column): bigint | undefined {
  const s = c.source;
  switch (s.kind) {
    case 'stack': return NO_STACK_ID;
    case 'kernel-symbol': return 0n;
    // Whether a cgroup has a container or pod is known in user space only; pushdown keeps
    // IS NULL on these columns for DuckDB (see planner/cgroup-filters.ts) and never asks here.
    case 'cgroup': case 'cgroup-set': case 'cgroup-ancestor':
      throw new Error(`'${c.name}' is named in user space: its NULLs are not a kernel value`);
    // Helpers, record fields (integers, byte arrays, addresses), task_struct members and registers
    // always give a value, and a paired table's rows are completed pairs, whose entry values and
    // latency are always there. A string or byte run the kernel cannot read is empty, in both plans.
    case 'builtin': case 'field': case 'char-array': case 'byte-array': case 'address':
    case 'data-loc-string': case 'data-loc-bytes': case 'user-string': case 'task':
    case 'entry-field': case 'entry-builtin': case 'entry-user-string': case 'latency': case 'ctx-reg': case 'constant': case 'pointee':
    case 'exec-args': case 'reg-user-string': case 'constant-text': case 'kernel-path': case 'pointee-string': case 'switch-state':
    // An fd that is not open has the path '' and the inode number 0 (see tables/columns.ts).
    case 'fd-file':
      return undefined;
    default:
      return assertNever(s);
  }
}
