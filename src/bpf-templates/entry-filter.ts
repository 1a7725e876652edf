// The part of a paired table's WHERE that its entry events can decide. An entry the filter
// rejects opens no pair, so the pairing map holds only the pairs the query wants (a query on one
// process no longer fills it with every process's calls), and its exit, finding no entry, is
// dropped as out of the query's window. The exit program still evaluates the whole filter.
import type { Column } from '../catalog/column.js';
import type { KExpr } from '../planner/kexpr.js';
import { mapColumns } from '../planner/kexpr.js';
import type { KernelPlan, PlannedPairing } from '../planner/plan.js';
import { assertNever } from '../diag/assert-never.js';

/**
 * What a column is at the entry event, or undefined when only the exit knows it. Saved fields
 * are the entry record's own; saved task values are the entry task's; on a pair of one thread
 * (a syscall) the task's pid, tid and cgroup are the entry's too.
 */
function atEntry(c: Column, p: PlannedPairing): Column | undefined {
  const s = c.source;
  switch (s.kind) {
    case 'entry-field': {
      const f = p.saved[s.index];
      if (!f) return undefined;
      // A syscall argument is 8 bytes in the record; a 32-bit column reads its low half.
      const size = c.type.kind === 'int' && c.type.bits < 8 * f.size ? ((c.type.bits / 8) as 1 | 2 | 4) : f.size;
      return { ...c, source: { kind: 'field', offset: f.offset, size, signed: s.signed } };
    }
    case 'entry-builtin':
      return { ...c, source: { kind: 'builtin', name: s.name } };
    case 'constant': case 'constant-text':
      return c;
    case 'builtin':
      // The row's task values are the exit's. execve and prctl(PR_SET_NAME) change comm during
      // the call, setuid() the uid and gid, so filtering those at entry would drop pairs the
      // query keeps. pid and tid stay; so does the cgroup, but for the one write that moves its
      // own thread to another cgroup (bpfql run's cgroup filter needs it here, or every thread
      // of the machine in a syscall would take room in the pairing map).
      return p.key.kind === 'thread' && (s.name === 'pid' || s.name === 'tid' || s.name === 'cgroup_id') ? c : undefined;
    case 'cgroup-ancestor':
      // The current task's, as cgroup_id above.
      return p.key.kind === 'thread' ? c : undefined;
    case 'field': case 'char-array': case 'byte-array': case 'address': case 'data-loc-string':
    case 'data-loc-bytes': case 'user-string': case 'task':
    case 'entry-user-string': case 'latency': case 'ctx-reg': case 'stack': case 'kernel-symbol': case 'cgroup': case 'cgroup-set': case 'pointee':
    case 'exec-args': case 'kernel-path': case 'reg-user-string': case 'fd-file': case 'pointee-string': case 'switch-state':
      return undefined;
    default:
      return assertNever(s);
  }
}

function conjuncts(e: KExpr): KExpr[] {
  return e.kind === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

/** The conjuncts of the plan's filter an entry event can evaluate, as one expression over its record. */
export function entryFilter(plan: KernelPlan, p: PlannedPairing): KExpr | undefined {
  // A pair the exit event opens itself (reopen) never sees an entry filter: keep them all alike.
  // Nor does one whose task a later event replaces (tcp_life's owner): the opening task is not the row's.
  if (!plan.filter || p.reopen || p.entries.some((e) => e.update?.task === true)) return undefined;
  const parts = conjuncts(plan.filter).flatMap((c) => {
    // A constant conjunct is true here: a false one folds the whole filter (see compileKernelPlan).
    if (c.kind === 'const') return [];
    const r = mapColumns(c, (col) => atEntry(col, p));
    return r ? [r] : [];
  });
  return parts.reduce<KExpr | undefined>((acc, c) => (acc ? { kind: 'and', left: acc, right: c, signed: false } : c), undefined);
}

