// A column of a kernel table: its SQL type and where the kernel program finds its value.
import type { CgroupAttr } from './containers.js';
import type { DecoderName } from './decoders.js';
import type { ValueType } from './types.js';

/** Values every program can get from helpers, whatever the event. */
export type Builtin = 'ts' | 'cpu' | 'pid' | 'tid' | 'uid' | 'gid' | 'comm' | 'cgroup_id';

/** The builtins that name a task: what a paired table's entry event can save about its task. */
export type TaskBuiltin = Exclude<Builtin, 'ts' | 'cpu'>;

/**
 * Members of kernel structs, each embedded in the one before: `[['sock', '__sk_common'],
 * ['sock_common', 'skc_dport']]` is sk->__sk_common.skc_dport. Their offsets come from BTF at plan
 * time and add up.
 */
export type MemberPath = readonly (readonly [struct: string, member: string])[];

/** The name a member path's offset goes by in a plan. */
export function memberPathKey(path: MemberPath): string {
  return path.map(([s, m]) => `${s}.${m}`).join('/');
}

/** Where a socket keeps an address: IPv4 (4 bytes) and IPv6 (16), one read by the socket's family. */
export interface SocketAddressPaths {
  readonly v4: MemberPath;
  readonly v6: MemberPath;
  /**
   * Where the socket keeps its family, for a context that has no family field (a raw tracepoint's
   * arguments): read there, and the address's `family` offset is not read (it only says that the
   * value carries a family).
   */
  readonly family?: MemberPath;
}

export type ColumnSource =
  | { readonly kind: 'builtin'; readonly name: Builtin }
  /** An integer field of the tracepoint record. */
  | { readonly kind: 'field'; readonly offset: number; readonly size: 1 | 2 | 4 | 8; readonly signed: boolean; readonly bigEndian?: true }
  /** A char array inside the record. */
  | { readonly kind: 'char-array'; readonly offset: number; readonly size: number }
  /** Bytes of the record as they are (a BLOB). */
  | { readonly kind: 'byte-array'; readonly offset: number; readonly size: number }
  /**
   * A 16-byte IPv6 address of the record, shown as text. With `family` (the offset of a u16
   * address family), an AF_INET socket's address (kept IPv4-mapped in the 16 bytes) shows dotted.
   * With `sockaddr`, `offset` is a struct sockaddr_in or sockaddr_in6 in the record (the family
   * first, at `family` too; the IPv4 address at 4, the IPv6 one at 8), made into the same bytes.
   * With `socket`, `offset` is the record's pointer to a struct sock and the address is read there
   * (bpf_probe_read_kernel), IPv4 or IPv6 by the record's family (or the socket's: see
   * SocketAddressPaths.family), again into the same bytes.
   */
  | { readonly kind: 'address'; readonly offset: number; readonly family?: number; readonly sockaddr?: true; readonly socket?: SocketAddressPaths }
  /**
   * An integer in a kernel struct the record points to: the pointer field at `pointer`, then
   * `path` (read with bpf_probe_read_kernel; 0 when the pointer is NULL). `bigEndian` when the
   * struct keeps it in network order (a socket's remote port).
   */
  | { readonly kind: 'pointee'; readonly pointer: number; readonly path: MemberPath; readonly size: 1 | 2 | 4 | 8; readonly signed: boolean; readonly bigEndian?: true }
  /**
   * A NUL-terminated string in a kernel struct the context's pointer at `pointer` points to (a raw
   * tracepoint's `struct task_struct *` argument): each of `hops` but the last is a member holding
   * a further pointer, followed; the last is where the string's bytes are (a char array there, or
   * the start of what the previous pointer points to when it is empty: `bprm->filename`). Offsets
   * from BTF. `size`: the bytes kept when the classic record keeps the string as a char array of
   * them; without, as many as a `__data_loc` string keeps (so both hooks lay rows out alike and
   * cut at the same length). Empty when a pointer on the way is NULL.
   */
  | { readonly kind: 'pointee-string'; readonly pointer: number; readonly hops: readonly MemberPath[]; readonly size?: number }
  /**
   * sched_switch's prev_state as its record reports it (the kernel's __trace_sched_switch_state),
   * made on the raw tracepoint from its arguments: the bool `preempt`, the unsigned `state`, and the
   * switched-out task at `task` (its member at `exitState`, offset from BTF). TASK_REPORT_MAX (256)
   * when preempted, else the highest TASK_REPORT bit of the state (see bpf-templates/switch-state.ts).
   */
  | { readonly kind: 'switch-state'; readonly preempt: number; readonly state: number; readonly task: number; readonly exitState: MemberPath }
  /** The bytes a `__data_loc` field of the record locates (a BLOB; at most DATA_LOC_BYTES of them). */
  | { readonly kind: 'data-loc-bytes'; readonly offset: number }
  /** A `__data_loc char[]` string of the record. */
  | { readonly kind: 'data-loc-string'; readonly offset: number }
  /** A record field holding a pointer to a NUL-terminated user-space string (syscall paths). */
  | { readonly kind: 'user-string'; readonly offset: number }
  /**
   * A member of the current task_struct, found through BTF at plan time: every member of the path
   * but the last is a pointer to another task_struct (`real_parent.tgid` is the parent's pid).
   * With `elapsed`, the member is a CLOCK_MONOTONIC time in ns (start_time) and the value is the
   * time from it to the event (a task's age when it exits).
   */
  | { readonly kind: 'task'; readonly path: readonly string[]; readonly size: 4 | 8; readonly signed: boolean; readonly elapsed?: boolean }
  /**
   * A value reached through kernel pointers, typed by BTF at plan time (`next.real_parent.tgid`,
   * `current.comm`; see planner/typed-fields.ts): from the pointer argument at `from` in a raw
   * tracepoint's context, or from the current task. Each hop is a byte offset in the struct
   * reached so far; every hop but the last lands on a pointer, which is followed. The last hop's
   * `size` bytes are the value: an integer, or with `text` a char array read up to its NUL. Read
   * with bpf_probe_read_kernel, so a NULL pointer on the way reads as 0 (or '').
   */
  | { readonly kind: 'kernel-path'; readonly from: number | 'current'; readonly hops: readonly number[]; readonly size: number; readonly signed: boolean; readonly text?: true }
  /** A value the entry event of a paired table saved (see Pairing), by its index. */
  | { readonly kind: 'entry-field'; readonly index: number; readonly signed: boolean }
  /**
   * A builtin of the task that ran a paired table's entry event (the process that submitted a
   * block request), saved with the entry when the query reads it.
   */
  | { readonly kind: 'entry-builtin'; readonly name: TaskBuiltin }
  /** A user string whose pointer the entry event saved (a path given to a syscall). */
  | { readonly kind: 'entry-user-string'; readonly index: number }
  /**
   * The arguments of the program the current task has just executed: the NUL-separated strings
   * the kernel copied between its mm's arg_start and arg_end (task_struct.mm and the mm_struct
   * members' offsets from BTF), at most ARGV_BYTES of them (see exec-args.ts).
   */
  | { readonly kind: 'exec-args' }
  /**
   * The file an fd of the current task refers to, found at the exit event of a paired table from
   * the fd its entry saved (by index, see Pairing): current->files->fdt->fd[fd], checked against
   * fdt->max_fds, through BTF offsets. `path`: where the file is, kept in the kernel as the names
   * of its dentries from the file up (see fd-path.ts), made into text in user space; `inode`: its
   * inode number.
   */
  | { readonly kind: 'fd-file'; readonly fdIndex: number; readonly part: FdFilePart }
  /** Nanoseconds from the entry event to this one. */
  | { readonly kind: 'latency' }
  /**
   * A register of the probed context (struct pt_regs, whose member offsets come from BTF at plan
   * time): a uprobe's arguments are in di, si, dx, cx, r8, r9 on x86_64.
   */
  | { readonly kind: 'ctx-reg'; readonly member: string }
  /**
   * A NUL-terminated user string whose address is in a register of the probed context: what a
   * function returning `char *` returned (register ax at a uretprobe).
   */
  | { readonly kind: 'reg-user-string'; readonly member: string }
  /**
   * A value fixed by the event a row comes from: a table over several events (see
   * KernelTable.also) says which one with it (tcp_reset's direction, sent or received).
   */
  | { readonly kind: 'constant'; readonly value: bigint }
  /**
   * Text fixed by the event a row comes from, as `constant` is a number: a wildcard table's
   * `probe` (`tracepoint:sched:sched_switch`). `size` is the room every event of the table gives
   * it (the longest text's bytes, its NUL, padding to 8), so that their records are laid out alike.
   */
  | { readonly kind: 'constant-text'; readonly value: string; readonly size: number }
  /**
   * The id of the kernel or user call stack in the program's stack map (bpf_get_stackid). The
   * kernel keys and records carry the id; user space turns it into symbolised text after reading.
   * With `entry`, the stack the entry event of a paired table took, saved with the pair (off_cpu:
   * where the task was when it left the CPU, not where the task switched in is).
   */
  | { readonly kind: 'stack'; readonly space: StackSpace; readonly entry?: true }
  /**
   * An 8-byte kernel code address at `offset` of the record (kfree_skb's `location`), shown as the
   * function it is in (`name+0xoffset`), named after reading from /proc/kallsyms as kernel stack
   * frames are; NULL when 0, its hex when no function holds it.
   */
  | { readonly kind: 'kernel-symbol'; readonly offset: number }
  /**
   * Text about the cgroup v2 of the task (its path, container, pod): the kernel keys and records
   * carry the 8-byte cgroup id; user space names it (runtime/cgroup-names.ts), as it names stacks.
   * With `entry`, the cgroup of the task that ran a paired table's entry event (see entry-builtin).
   */
  | { readonly kind: 'cgroup'; readonly attr: CgroupAttr; readonly entry?: true }
  /**
   * Whether the task's cgroup is in a set of cgroups the runtime keeps in the hash map `map` (1) or
   * not (0): a filter on the cgroup text columns, held in the kernel (see planner/cgroup-filters.ts).
   * The runtime fills the map with the ids whose `attr` matches when the query starts, and adds
   * cgroups made while it runs.
   */
  | { readonly kind: 'cgroup-set'; readonly map: string; readonly filter: CgroupFilter; readonly entry?: true }
  /**
   * The id of the current task's cgroup v2 ancestor at `level` (the root is level 0; the task's
   * own cgroup at its own level; 0 below it): equal to a cgroup's id exactly for the tasks in that
   * cgroup's subtree, those in cgroups made after the program was loaded too (bpf_get_current_ancestor_cgroup_id).
   */
  | { readonly kind: 'cgroup-ancestor'; readonly level: number };

/** A filter on a cgroup text column that the kernel answers with a set of cgroup ids. */
export interface CgroupFilter {
  readonly attr: CgroupAttr;
  /** `equals`: `=` (container_id also by a prefix of 12+ characters); `like`: SQL LIKE. */
  readonly match: 'equals' | 'like';
  readonly value: string;
}

export type StackSpace = 'kernel' | 'user';

export type FdFilePart = 'path' | 'inode';

/**
 * Bytes of a program's arguments kept (room for 20 arguments of 127 bytes and their NULs): an
 * exec's arguments beyond them are cut, and the row shows where (see runtime/exec-args-text.ts).
 */
export const ARGV_BYTES = 2560;

export interface Column {
  readonly name: string;
  readonly type: ValueType;
  readonly source: ColumnSource;
  readonly description: string;
  /**
   * The kernel records the raw integer (`type`); users see text made by this decoder (see
   * decoders.ts). Filters on it are encoded to the raw value and stay in the kernel.
   */
  readonly decode?: DecoderName;
  /** Left out of `SELECT *` (named, it is there): see stack-columns.ts. */
  readonly hidden?: boolean;
}
