// Brings column values within reach of expressions. Values that need a helper call (pid, comm,
// strings, task_struct members, …) are fetched once into stack slots before any expression runs,
// so expression code never calls helpers and may use every scratch register. Integer record
// fields are loaded straight from the context, saved entry fields from the entry copy.
import { Helper, add, and, arsh, be16, be32, be64, call, comment, jeq, jle, ja, label, lddw, ldMap, ldMapValue, ldx, lsh, mov, mov32, rsh, st, stx, sub } from '../bpf/index.js';
import type { Reg } from '../bpf/register.js';
import { R0, R1, R2, R3, R4, R6, R10 } from '../bpf/register.js';
import type { Builtin, Column, MemberPath, SocketAddressPaths, StackSpace } from '../catalog/column.js';
import { memberPathKey } from '../catalog/column.js';
import type { ExecArgsOffsets, FdFileOffsets, MemberOffsets, RegOffsets, TaskOffsets } from '../planner/plan.js';
import { DATA_LOC_BYTES, stringCapacity } from '../planner/layout.js';
import { AF_INET } from '../catalog/addresses.js';
import type { Codegen } from './codegen.js';
import { emitKernelPath } from './kernel-path.js';
import { emitStackId } from './stacks.js';
import { emitFdFile, emitFdInode, emitFdPath } from './fd-file.js';
import { CGROUP_SET_MORE_OFFSET, CGROUP_SET_SLOTS, hashMapOf } from './cgroup-sets.js';
import { emitSwitchState } from './switch-state.js';
import type { PairLayout } from './pair-layout.js';
import { entryStackOffset, taskValueOffset } from './pair-layout.js';
import { assertNever } from '../diag/assert-never.js';

/** The kernel's comm buffer, NUL included (TASK_COMM_LEN). */
const TASK_COMM_LEN = 16;

/** Where a paired table's exit program copied the entry's value, and how that value is laid out. */
export interface EntryCopy {
  readonly slot: number;
  readonly layout: PairLayout;
}

/** A helper result kept in a slot; pid and tid share one, as do uid and gid. */
type HelperValue = 'pid_tgid' | 'uid_gid' | 'ts' | 'cpu' | 'cgroup_id';

const BUILTIN_VALUE: { readonly [B in Exclude<Builtin, 'comm'>]: HelperValue } = {
  pid: 'pid_tgid', tid: 'pid_tgid', uid: 'uid_gid', gid: 'uid_gid', ts: 'ts', cpu: 'cpu', cgroup_id: 'cgroup_id',
};

const HELPER_OF: { readonly [V in HelperValue]: number } = {
  pid_tgid: Helper.getCurrentPidTgid, uid_gid: Helper.getCurrentUidGid, ts: Helper.ktimeGetNs,
  cpu: Helper.getSmpProcessorId, cgroup_id: Helper.getCurrentCgroupId,
};

const LOAD = { 1: 'b', 2: 'h', 4: 'w', 8: 'dw' } as const;
const BE = { 2: be16, 4: be32, 8: be64 } as const;

export class Values {
  private readonly helperSlots = new Map<HelperValue, number>();
  private readonly stringSlots = new Map<string, number>();
  /** Where fetchCommInto put a string column, instead of a buffer of its own. */
  private readonly placed = new Map<string, number>();
  private readonly taskSlots = new Map<string, number>();
  private readonly stackSlots = new Map<string, number>();
  private readonly cgroupSetSlots = new Map<string, number>();
  private readonly ancestorSlots = new Map<number, number>();
  private readonly pointeeSlots = new Map<string, number>();
  private readonly unalignedSlots = new Map<string, number>();
  /** The struct file of a saved fd, and its inode number, by the fd's index in the entry. */
  private readonly fileSlots = new Map<number, number>();
  private readonly inodeSlots = new Map<number, number>();
  private latencySlot: number | undefined;
  private switchStateSlot: number | undefined;

  private readonly taskOffsets: TaskOffsets | undefined;
  private readonly regOffsets: RegOffsets | undefined;
  private readonly memberOffsets: MemberOffsets | undefined;
  private readonly argsOffsets: ExecArgsOffsets | undefined;
  private readonly fdOffsets: FdFileOffsets | undefined;

  constructor(
    private readonly g: Codegen,
    offsets: {
      readonly taskOffsets?: TaskOffsets; readonly regOffsets?: RegOffsets; readonly memberOffsets?: MemberOffsets;
      readonly execArgsOffsets?: ExecArgsOffsets; readonly fdFileOffsets?: FdFileOffsets;
    },
    /** A paired table's exit program: the entry it took (see EntryCopy). */
    private readonly entryCopy?: EntryCopy,
  ) {
    this.taskOffsets = offsets.taskOffsets;
    this.regOffsets = offsets.regOffsets;
    this.memberOffsets = offsets.memberOffsets;
    this.argsOffsets = offsets.execArgsOffsets;
    this.fdOffsets = offsets.fdFileOffsets;
  }

  /** Where the arguments of an exec-args column are (it is written straight into its record). */
  execArgsOffsets(): ExecArgsOffsets {
    if (this.argsOffsets === undefined) throw new Error('no offsets for the program\'s arguments');
    return this.argsOffsets;
  }

  /** Emits whatever fetching `columns` needs that has not been fetched yet. */
  fetch(columns: readonly Column[]): void {
    for (const c of columns) {
      const s = c.source;
      switch (s.kind) {
        case 'field':
          if (s.offset % s.size !== 0) this.fetchUnaligned(c.name, s.offset, s.size);
          break;
        // exec-args goes straight into the record (see exec-args.ts).
        case 'entry-field': case 'entry-builtin': case 'ctx-reg': case 'constant': case 'exec-args': case 'kernel-symbol': break;
        case 'builtin':
          if (s.name === 'comm') this.fetchString(c);
          else this.fetchHelper(BUILTIN_VALUE[s.name]);
          break;
        case 'task': this.fetchTask(c.name, s.path, s.size, s.elapsed === true); break;
        case 'fd-file':
          if (s.part === 'path') this.fetchFdPath(c, s.fdIndex);
          else this.fetchFdInode(s.fdIndex);
          break;
        case 'pointee': this.fetchPointee(c.name, s.pointer, s.path, s.size); break;
        case 'kernel-path': this.fetchKernelPath(c, s); break;
        case 'switch-state': this.fetchSwitchState(c.name, s); break;
        case 'latency': this.fetchLatency(); break;
        case 'stack': if (!s.entry) this.fetchStack(c.name, s.space); break;
        case 'cgroup': if (!s.entry) this.fetchHelper('cgroup_id'); break;
        case 'cgroup-set': this.fetchCgroupSet(c.name, s.map, s.entry === true); break;
        case 'cgroup-ancestor': this.fetchCgroupAncestor(c.name, s.level); break;
        case 'char-array': case 'data-loc-string': case 'user-string': case 'entry-user-string': case 'reg-user-string': case 'constant-text': case 'pointee-string':
          this.fetchString(c);
          break;
        case 'byte-array': case 'address':
          this.fetchBytes(c, s);
          break;
        case 'data-loc-bytes':
          this.fetchDataLocBytes(c, s.offset);
          break;
        default:
          return assertNever(s);
      }
    }
  }

  /** Loads an integer column into `dst` (zero- or sign-extended to 64 bits). */
  load(c: Column, dst: Reg): void {
    const s = c.source;
    const g = this.g;
    switch (s.kind) {
      case 'field': {
        const copy = this.unalignedSlots.get(c.name);
        g.emit(copy === undefined
          ? comment(`${c.name}: record field at ${s.offset}`, ldx[LOAD[s.size]](dst, R6, s.offset))
          : comment(`${c.name}: copied from ${s.offset}`, ldx.dw(dst, R10, copy)));
        if (s.bigEndian && s.size !== 1) g.emit(comment('network byte order', BE[s.size](dst)));
        if (s.signed && s.size !== 8) signExtend(g, dst, s.size);
        return;
      }
      case 'kernel-symbol':
        g.emit(comment(`${c.name}: kernel address at ${s.offset}, named after the run`, ldx.dw(dst, R6, s.offset)));
        return;
      case 'entry-field':
        // The entry program saved it extended to 64 bits from its real width (see pairing.ts).
        g.emit(comment(`${c.name}: saved at entry`, ldx.dw(dst, R10, this.savedOffset(s.index))));
        return;
      case 'entry-builtin': {
        if (s.name === 'comm') throw new Error('comm is a string');
        g.emit(comment(`${c.name}: the entry's task`, ldx.dw(dst, R10, this.entry() + taskValueOffset(this.layout(), s.name))));
        if (s.name === 'pid' || s.name === 'gid') g.emit(rsh.imm(dst, 32));
        else if (s.name === 'tid' || s.name === 'uid') g.emit(comment('low 32 bits', mov32.reg(dst, dst)));
        return;
      }
      case 'builtin': {
        if (s.name === 'comm') throw new Error('comm is a string');
        g.emit(comment(c.name, ldx.dw(dst, R10, this.slot(BUILTIN_VALUE[s.name]))));
        if (s.name === 'pid' || s.name === 'gid') g.emit(rsh.imm(dst, 32));
        else if (s.name === 'tid' || s.name === 'uid') g.emit(comment('low 32 bits', mov32.reg(dst, dst)));
        return;
      }
      case 'task': {
        const slot = this.taskSlots.get(taskSlotKey(s.path, s.elapsed === true));
        if (slot === undefined) throw new Error(`${c.name} was not fetched`);
        g.emit(comment(c.name, ldx.dw(dst, R10, slot)));
        if (s.size === 4) {
          if (s.signed) signExtend(g, dst, 4);
          else g.emit(mov32.reg(dst, dst));
        }
        return;
      }
      case 'fd-file': {
        if (s.part === 'path') throw new Error(`${c.name} is a string`);
        const slot = this.inodeSlots.get(s.fdIndex);
        if (slot === undefined) throw new Error(`${c.name} was not fetched`);
        g.emit(comment(c.name, ldx.dw(dst, R10, slot)));
        return;
      }
      case 'latency':
        if (this.latencySlot === undefined) throw new Error('latency was not fetched');
        g.emit(comment('latency_ns', ldx.dw(dst, R10, this.latencySlot)));
        return;
      case 'ctx-reg':
        g.emit(comment(`${c.name}: register ${s.member}`, ldx.dw(dst, R6, this.regOffset(s.member))));
        return;
      case 'constant':
        g.emit(comment(`${c.name}: fixed by the event`, lddw(dst, s.value)));
        return;
      case 'pointee': {
        const slot = this.pointeeSlots.get(c.name);
        if (slot === undefined) throw new Error(`${c.name} was not fetched`);
        // Read into a zeroed word: the bytes above the value are 0.
        g.emit(comment(c.name, ldx.dw(dst, R10, slot)));
        if (s.bigEndian && s.size !== 1) g.emit(comment('network byte order', BE[s.size](dst)));
        if (s.signed && s.size !== 8) signExtend(g, dst, s.size);
        return;
      }
      case 'kernel-path': {
        if (s.text === true) throw new Error(`${c.name} is a string`);
        const slot = this.pointeeSlots.get(c.name);
        if (slot === undefined) throw new Error(`${c.name} was not fetched`);
        g.emit(comment(c.name, ldx.dw(dst, R10, slot)));
        if (s.signed && s.size < 8) signExtend(g, dst, s.size as 1 | 2 | 4);
        return;
      }
      case 'switch-state': {
        if (this.switchStateSlot === undefined) throw new Error(`${c.name} was not fetched`);
        g.emit(comment(c.name, ldx.dw(dst, R10, this.switchStateSlot)));
        return;
      }
      case 'stack': {
        if (s.entry) {
          g.emit(comment(`${c.name}: stack id the entry took`, ldx.dw(dst, R10, this.entry() + entryStackOffset(this.layout(), s.space))));
          return;
        }
        const slot = this.stackSlots.get(s.space);
        if (slot === undefined) throw new Error(`${c.name} was not fetched`);
        g.emit(comment(`${c.name}: stack id`, ldx.dw(dst, R10, slot)));
        return;
      }
      case 'cgroup':
        g.emit(comment(`${c.name}: named from the cgroup id`, ldx.dw(dst, R10, this.cgroupIdSlot(s.entry === true))));
        return;
      case 'cgroup-ancestor': {
        const slot = this.ancestorSlots.get(s.level);
        if (slot === undefined) throw new Error(`${c.name} was not fetched`);
        g.emit(comment(c.name, ldx.dw(dst, R10, slot)));
        return;
      }
      case 'cgroup-set': {
        const slot = this.cgroupSetSlots.get(s.map);
        if (slot === undefined) throw new Error(`${c.name} was not fetched`);
        g.emit(comment(c.name, ldx.dw(dst, R10, slot)));
        return;
      }
      case 'char-array': case 'data-loc-string': case 'user-string': case 'entry-user-string': case 'byte-array': case 'address': case 'data-loc-bytes':
      case 'exec-args': case 'reg-user-string': case 'constant-text': case 'pointee-string':
        throw new Error(`${c.name} is a string or bytes`);
      default:
        return assertNever(s);
    }
  }

  /** The stack offset of a fetched string column's zero-padded buffer. */
  stringSlot(c: Column): number {
    // The entry's comm is used where the entry copy holds it (zero-padded by bpf_get_current_comm).
    if (c.source.kind === 'entry-builtin') return this.entry() + taskValueOffset(this.layout(), c.source.name);
    const slot = this.stringSlots.get(c.name);
    if (slot === undefined) throw new Error(`string ${c.name} was not fetched`);
    return slot;
  }

  private regOffset(member: string): number {
    const off = this.regOffsets?.[member];
    if (off === undefined) throw new Error(`no pt_regs offset for ${member}`);
    return off;
  }

  private entry(): number {
    if (this.entryCopy === undefined) throw new Error('no entry event for this table');
    return this.entryCopy.slot;
  }

  /** Where the entry copy holds the value the entry saved at `index` (extended to 64 bits). */
  private savedOffset(index: number): number {
    return this.entry() + this.layout().fields[index]!;
  }

  private layout(): PairLayout {
    if (this.entryCopy === undefined) throw new Error('no entry event for this table');
    return this.entryCopy.layout;
  }

  private slot(v: HelperValue): number {
    const slot = this.helperSlots.get(v);
    if (slot === undefined) throw new Error(`${v} was not fetched`);
    return slot;
  }

  private fetchHelper(v: HelperValue): void {
    if (this.helperSlots.has(v)) return;
    const slot = this.g.frame.alloc(8, v);
    this.helperSlots.set(v, slot);
    this.g.emit(comment(`fetch ${v}`, call(HELPER_OF[v])), stx.dw(R10, slot, R0));
  }

  private fetchStack(name: string, space: StackSpace): void {
    if (this.stackSlots.has(space)) return;
    const slot = this.g.frame.alloc(8, name);
    this.stackSlots.set(space, slot);
    emitStackId(this.g, space, slot);
  }

  /** Where the cgroup id is: the current task's (fetched), or the entry task's in the entry copy. */
  private cgroupIdSlot(entry: boolean): number {
    return entry ? this.entry() + taskValueOffset(this.layout(), 'cgroup_id') : this.slot('cgroup_id');
  }

  /**
   * 1 when the task's cgroup id is in set `map`, else 0 (see cgroup-sets.ts): compared with each
   * slot of the set's array, then, only when its `more` flag is up, looked up in its hash map.
   */
  private fetchCgroupSet(name: string, map: string, entry: boolean): void {
    if (this.cgroupSetSlots.has(map)) return;
    if (!entry) this.fetchHelper('cgroup_id');
    const g = this.g;
    const slot = g.frame.alloc(8, name);
    this.cgroupSetSlots.set(map, slot);
    const id = this.cgroupIdSlot(entry);
    const found = g.fresh(`${map}_found`);
    const done = g.fresh(`${map}_done`);
    // The array has one value: its address is loaded directly, as libbpf does for global
    // variables, with no lookup and no NULL check.
    g.emit(
      comment(`${name}: the set's slots, in its array's one value`, st.dw(R10, slot, 0)),
      ldMapValue(R0, map, 0),
      ldx.dw(R1, R10, id),
    );
    for (let i = 0; i < CGROUP_SET_SLOTS; i++) g.emit(ldx.dw(R2, R0, i * 8), jeq.reg(R1, R2, found));
    g.emit(
      ldx.dw(R2, R0, CGROUP_SET_MORE_OFFSET),
      jeq.imm(R2, 0, done),
      comment(`${name}: more ids than slots: the set's hash map`, ldMap(R1, hashMapOf(map))),
      mov.reg(R2, R10), add.imm(R2, id),
      call(Helper.mapLookupElem),
      jeq.imm(R0, 0, done),
      label(found),
      st.dw(R10, slot, 1),
      label(done),
    );
  }

  private fetchCgroupAncestor(name: string, level: number): void {
    if (this.ancestorSlots.has(level)) return;
    const slot = this.g.frame.alloc(8, name);
    this.ancestorSlots.set(level, slot);
    this.g.emit(mov.imm(R1, level), comment(`fetch ${name}`, call(Helper.getCurrentAncestorCgroupId)), stx.dw(R10, slot, R0));
  }

  private fetchLatency(): void {
    if (this.latencySlot !== undefined) return;
    const slot = this.g.frame.alloc(8, 'latency');
    this.latencySlot = slot;
    this.g.emit(
      comment('latency: now - entry time', call(Helper.ktimeGetNs)),
      ldx.dw(R1, R10, this.entry()),
      sub.reg(R0, R1),
      stx.dw(R10, slot, R0),
    );
  }

  /** current->a->b…: each hop but the last reads a task_struct pointer; `elapsed`: now minus it. */
  private fetchTask(name: string, path: readonly string[], size: 4 | 8, elapsed: boolean): void {
    const key = taskSlotKey(path, elapsed);
    if (this.taskSlots.has(key)) return;
    const offsets = this.taskOffsets?.[path.join('.')];
    if (!offsets || offsets.length !== path.length) throw new Error(`no task_struct offsets for ${key}`);
    const g = this.g;
    const slot = g.frame.alloc(8, name);
    this.taskSlots.set(key, slot);
    g.emit(comment(`fetch ${name}: current task`, call(Helper.getCurrentTask)), mov.reg(R3, R0));
    offsets.forEach((off, i) => {
      const last = i === offsets.length - 1;
      g.emit(
        st.dw(R10, slot, 0),
        mov.reg(R1, R10), add.imm(R1, slot), mov.imm(R2, last ? size : 8),
        add.imm(R3, off),
        comment(`->${path[i]}`, call(Helper.probeReadKernel)),
      );
      if (!last) g.emit(ldx.dw(R3, R10, slot));
    });
    if (elapsed) {
      g.emit(comment(`${name}: time since it`, call(Helper.ktimeGetNs)), ldx.dw(R1, R10, slot), sub.reg(R0, R1), stx.dw(R10, slot, R0));
    }
  }

  /**
   * A record field at an offset that is no multiple of its size (`__u8 saddr[4]` at 22), which the
   * verifier does not let a program load whole: copied byte by byte into a zeroed word.
   */
  private fetchUnaligned(name: string, offset: number, size: number): void {
    if (this.unalignedSlots.has(name)) return;
    const g = this.g;
    const slot = g.frame.alloc(8, name);
    this.unalignedSlots.set(name, slot);
    g.emit(comment(`fetch ${name}: unaligned at ${offset}`, st.dw(R10, slot, 0)));
    for (let i = 0; i < size; i++) g.emit(ldx.b(R1, R6, offset + i), stx.b(R10, slot + i, R1));
  }

  private fdFileOffsets(): FdFileOffsets {
    if (this.fdOffsets === undefined) throw new Error('no offsets for the files of fds');
    return this.fdOffsets;
  }

  /** The struct file the fd saved at entry (by index) names, once per fd. */
  private fileSlot(fdIndex: number): number {
    const known = this.fileSlots.get(fdIndex);
    if (known !== undefined) return known;
    const slot = this.g.frame.alloc(8, `file of fd ${fdIndex}`);
    this.fileSlots.set(fdIndex, slot);
    emitFdFile(this.g, this.fdFileOffsets(), (dst) => {
      this.g.emit(comment('the fd, saved at entry', ldx.dw(dst, R10, this.savedOffset(fdIndex))));
    }, slot);
    return slot;
  }

  private fetchFdInode(fdIndex: number): void {
    if (this.inodeSlots.has(fdIndex)) return;
    const file = this.fileSlot(fdIndex);
    const slot = this.g.frame.alloc(8, `inode of fd ${fdIndex}`);
    this.inodeSlots.set(fdIndex, slot);
    emitFdInode(this.g, this.fdFileOffsets(), file, slot);
  }

  private fetchFdPath(c: Column, fdIndex: number): void {
    const file = this.fileSlot(fdIndex);
    const slot = this.clearedBuffer(c);
    if (slot === undefined) return;
    emitFdPath(this.g, this.fdFileOffsets(), file, slot);
  }

  private memberOffset(path: MemberPath): number {
    const off = this.memberOffsets?.[memberPathKey(path)];
    if (off === undefined) throw new Error(`no BTF offset for ${memberPathKey(path)}`);
    return off;
  }

  /** `size` bytes at `path` in the struct the record's pointer at `pointer` points to, in a zeroed word. */
  private fetchPointee(name: string, pointer: number, path: MemberPath, size: number): void {
    if (this.pointeeSlots.has(name)) return;
    const g = this.g;
    const slot = g.frame.alloc(8, name);
    this.pointeeSlots.set(name, slot);
    g.emit(
      comment(`fetch ${name}: through the record's pointer at ${pointer}`, st.dw(R10, slot, 0)),
      mov.reg(R1, R10), add.imm(R1, slot), mov.imm(R2, size),
      ldx.dw(R3, R6, pointer), add.imm(R3, this.memberOffset(path)),
      call(Helper.probeReadKernel),
    );
  }

  /** A BTF member path: its text into a cleared buffer, or its integer into a zeroed word. */
  private fetchKernelPath(c: Column, s: Extract<Column['source'], { kind: 'kernel-path' }>): void {
    if (s.text === true) {
      const buffer = this.clearedBuffer(c);
      if (buffer !== undefined) emitKernelPath(this.g, c.name, s, buffer, stringCapacity(c));
      return;
    }
    if (this.pointeeSlots.has(c.name)) return;
    const slot = this.g.frame.alloc(8, c.name);
    this.pointeeSlots.set(c.name, slot);
    emitKernelPath(this.g, c.name, s, slot, 8);
  }

  private fetchSwitchState(name: string, s: Extract<Column['source'], { kind: 'switch-state' }>): void {
    if (this.switchStateSlot !== undefined) return;
    const slot = this.g.frame.alloc(8, name);
    this.switchStateSlot = slot;
    this.g.emit(...emitSwitchState({ preempt: s.preempt, state: s.state, task: s.task, exitState: this.memberOffset(s.exitState) }, slot, this.g.fresh(name)));
  }

  /**
   * The string at the end of `hops` from the context's pointer at `pointer` (see the pointee-string
   * source): each hop but the last reads the next pointer into a zeroed word (NULL stays 0, and
   * the reads after it fail, leaving the buffer empty).
   */
  private fetchPointeeString(name: string, pointer: number, hops: readonly MemberPath[], slot: number, capacity: number): void {
    const g = this.g;
    g.emit(comment(`${name}: through the context's pointer at ${pointer}`, ldx.dw(R3, R6, pointer)));
    const last = hops.length - 1;
    if (last > 0) {
      const next = g.frame.alloc(8, `${name} pointer`);
      for (const hop of hops.slice(0, last)) {
        g.emit(
          st.dw(R10, next, 0),
          mov.reg(R1, R10), add.imm(R1, next), mov.imm(R2, 8),
          add.imm(R3, this.memberOffset(hop)),
          comment(`->${memberPathKey(hop)}`, call(Helper.probeReadKernel)),
          ldx.dw(R3, R10, next),
        );
      }
    }
    const end = hops[last];
    if (end !== undefined && end.length > 0) g.emit(add.imm(R3, this.memberOffset(end)));
    g.emit(mov.reg(R1, R10), add.imm(R1, slot), mov.imm(R2, capacity), comment(`${name}: kernel string`, call(Helper.probeReadKernelStr)));
  }

  /**
   * A socket's address, through the record's pointer to its struct sock: the IPv6 one, or the
   * IPv4 one made IPv4-mapped (as sockaddr addresses are), by the record's family after it.
   */
  private fetchSocketAddress(name: string, pointer: number, family: number, paths: SocketAddressPaths, slot: number): void {
    const g = this.g;
    if (paths.family === undefined) {
      g.emit(comment(`${name}: the socket's family`, ldx.h(R4, R6, family)), stx.h(R10, slot + 16, R4));
    } else {
      g.emit(
        comment(`${name}: the socket's family, read in the socket`, mov.reg(R1, R10)),
        add.imm(R1, slot + 16), mov.imm(R2, 2),
        ldx.dw(R3, R6, pointer), add.imm(R3, this.memberOffset(paths.family)),
        call(Helper.probeReadKernel),
        ldx.h(R4, R10, slot + 16),
      );
    }
    g.emit(
      comment(`${name}: the record's struct sock pointer`, ldx.dw(R3, R6, pointer)),
      mov.reg(R1, R10), add.imm(R1, slot),
      jeq.imm(R4, AF_INET, `${name}_v4`),
      mov.imm(R2, 16), add.imm(R3, this.memberOffset(paths.v6)),
      comment(`${name}: IPv6 address`, call(Helper.probeReadKernel)),
      ja(`${name}_done`),
      label(`${name}_v4`),
      comment(`${name}: ::ffff: then the IPv4 address`, st.h(R10, slot + 10, -1)),
      add.imm(R1, 12), mov.imm(R2, 4), add.imm(R3, this.memberOffset(paths.v4)),
      call(Helper.probeReadKernel),
      label(`${name}_done`),
    );
  }

  /**
   * Has the current comm (column `c`, not fetched yet) fetched straight into `slot`, a field of
   * `width` bytes such as a key's, instead of a buffer of its own that is then copied there:
   * bpf_get_current_comm fills the whole buffer (the name, then NULs), so the field needs neither
   * clearing nor a copy. Says whether it will be; false for any other column or one already fetched.
   */
  fetchCommInto(c: Column, slot: number, width: number): boolean {
    if (c.source.kind !== 'builtin' || c.type.kind !== 'string' || this.stringSlots.has(c.name)) return false;
    if (stringCapacity(c) !== width || width > TASK_COMM_LEN) return false;
    this.placed.set(c.name, slot);
    this.fetchString(c);
    return true;
  }

  /**
   * A zeroed stack buffer of the column's capacity, or undefined when the column already has one.
   * Zeroed first: strings and bytes compare and group by whole words, so bytes past the value must be 0.
   */
  private clearedBuffer(c: Column): number | undefined {
    if (this.stringSlots.has(c.name)) return undefined;
    const g = this.g;
    const cap = stringCapacity(c);
    const slot = this.placed.get(c.name) ?? g.frame.alloc(cap, c.name);
    this.stringSlots.set(c.name, slot);
    // bpf_get_current_comm fills the whole buffer it is given (the name, then NULs) when the
    // buffer is no longer than the kernel's comm: clearing it first would only cost time.
    if (c.source.kind === 'builtin' && cap <= TASK_COMM_LEN) return slot;
    for (let i = 0; i < cap; i += 8) g.emit(i === 0 ? comment(`${c.name}: clear buffer`, st.dw(R10, slot, 0)) : st.dw(R10, slot + i, 0));
    return slot;
  }

  private fetchString(c: Column): void {
    const slot = this.clearedBuffer(c);
    if (slot === undefined) return;
    const g = this.g;
    if (c.source.kind === 'constant-text') {
      emitConstantText(g, c.source.value, slot);
      return;
    }
    if (c.source.kind === 'pointee-string') {
      this.fetchPointeeString(c.name, c.source.pointer, c.source.hops, slot, stringCapacity(c));
      return;
    }
    const cap = stringCapacity(c);
    g.emit(mov.reg(R1, R10), add.imm(R1, slot), mov.imm(R2, cap));
    const s = c.source;
    switch (s.kind) {
      case 'builtin':
        g.emit(comment('comm', call(Helper.getCurrentComm)));
        return;
      case 'char-array':
        g.emit(mov.reg(R3, R6), add.imm(R3, s.offset), comment(`${c.name}: char array in record`, call(Helper.probeReadKernelStr)));
        return;
      case 'data-loc-string':
        // The u32 at the field holds the string's offset in the record (low 16 bits).
        g.emit(ldx.w(R3, R6, s.offset), and.imm(R3, 0xffff), add.reg(R3, R6), comment(`${c.name}: __data_loc string`, call(Helper.probeReadKernelStr)));
        return;
      case 'user-string':
        g.emit(ldx.dw(R3, R6, s.offset), comment(`${c.name}: user string`, call(Helper.probeReadUserStr)));
        return;
      case 'entry-user-string':
        g.emit(ldx.dw(R3, R10, this.savedOffset(s.index)), comment(`${c.name}: user string saved at entry`, call(Helper.probeReadUserStr)));
        return;
      case 'reg-user-string':
        g.emit(ldx.dw(R3, R6, this.regOffset(s.member)), comment(`${c.name}: user string at register ${s.member}`, call(Helper.probeReadUserStr)));
        return;
      case 'field': case 'task': case 'entry-field': case 'entry-builtin': case 'latency': case 'ctx-reg': case 'stack': case 'kernel-symbol': case 'byte-array': case 'address': case 'data-loc-bytes': case 'constant': case 'pointee':
      case 'cgroup': case 'cgroup-set': case 'cgroup-ancestor': case 'exec-args': case 'kernel-path': case 'fd-file': case 'switch-state':
        throw new Error(`${c.name} is not a string read by a helper`);
      default:
        return assertNever(s);
    }
  }

  private fetchDataLocBytes(c: Column, offset: number): void {
    const slot = this.clearedBuffer(c);
    if (slot === undefined) return;
    const g = this.g;
    emitDataLocBytes(g, g.fresh(c.name), offset, slot);
  }

  /**
   * Record bytes copied as they are into a zeroed buffer (its tail stays zero, as keys compare
   * whole words); an address of a socket gets its family after the 16 address bytes.
   */
  private fetchBytes(c: Column, s: Extract<Column['source'], { kind: 'byte-array' | 'address' }>): void {
    const slot = this.clearedBuffer(c);
    if (slot === undefined) return;
    const g = this.g;
    if (s.kind === 'address' && s.sockaddr) {
      fetchSockaddr(g, g.fresh(c.name), s.offset, slot);
      return;
    }
    if (s.kind === 'address' && s.socket && s.family !== undefined) {
      this.fetchSocketAddress(g.fresh(c.name), s.offset, s.family, s.socket, slot);
      return;
    }
    const size = s.kind === 'address' ? 16 : s.size;
    if (size > 0) {
      g.emit(mov.reg(R1, R10), add.imm(R1, slot), mov.imm(R2, size), mov.reg(R3, R6), add.imm(R3, s.offset), comment(`${c.name}: ${size} bytes of the record`, call(Helper.probeReadKernel)));
    }
    if (s.kind === 'address' && s.family !== undefined) {
      g.emit(comment(`${c.name}: the socket's family`, ldx.h(R1, R6, s.family)), stx.h(R10, slot + 16, R1));
    }
  }
}

// A struct sockaddr_in or sockaddr_in6 of the record as an address column's bytes: the IPv6
// address, or the IPv4 one IPv4-mapped (::ffff:a.b.c.d, as sockets keep it), then the family.
function fetchSockaddr(g: Codegen, name: string, offset: number, slot: number): void {
  g.emit(
    comment(`${name}: sockaddr family`, ldx.h(R1, R6, offset)),
    stx.h(R10, slot + 16, R1),
    jeq.imm(R1, AF_INET, `${name}_v4`),
    mov.reg(R1, R10), add.imm(R1, slot), mov.imm(R2, 16), mov.reg(R3, R6), add.imm(R3, offset + 8),
    comment(`${name}: sin6_addr`, call(Helper.probeReadKernel)),
    ja(`${name}_done`),
    label(`${name}_v4`),
    comment(`${name}: ::ffff: then sin_addr`, st.h(R10, slot + 10, -1)),
    ldx.w(R1, R6, offset + 4),
    stx.w(R10, slot + 12, R1),
    label(`${name}_done`),
  );
}

// The `__data_loc` bytes of a record: the u32 at the field holds their offset in the record (low
// 16 bits) and length (high 16). The buffer keeps the length read (at most DATA_LOC_BYTES) in its
// first word, then the bytes.
function emitDataLocBytes(g: Codegen, name: string, offset: number, slot: number): void {
  g.emit(
    comment(`${name}: __data_loc bytes`, ldx.w(R3, R6, offset)),
    mov.reg(R2, R3), rsh.imm(R2, 16),
    jle.imm(R2, DATA_LOC_BYTES, `${name}_len`),
    mov.imm(R2, DATA_LOC_BYTES),
    label(`${name}_len`),
    stx.dw(R10, slot, R2),
    and.imm(R3, 0xffff), add.reg(R3, R6),
    mov.reg(R1, R10), add.imm(R1, slot + 8),
    call(Helper.probeReadKernel),
  );
}

function taskSlotKey(path: readonly string[], elapsed: boolean): string {
  return `${path.join('.')}${elapsed ? ' elapsed' : ''}`;
}

function signExtend(g: Codegen, r: Reg, size: 1 | 2 | 4): void {
  const shift = 64 - size * 8;
  g.emit(lsh.imm(r, shift), arsh.imm(r, shift));
}

/** Text known when the program is made, stored into a zeroed buffer 4 bytes at a time (with its NUL after it). */
function emitConstantText(g: Codegen, text: string, slot: number): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += 4) {
    const word = bytes.subarray(i, i + 4);
    const padded = Buffer.concat([word, Buffer.alloc(4 - word.length)]);
    g.emit(i === 0 ? comment(`'${text}'`, st.w(R10, slot + i, padded.readInt32LE(0))) : st.w(R10, slot + i, padded.readInt32LE(0)));
  }
}
