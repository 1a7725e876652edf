// Brings column values within reach of expressions. Values that need a helper call (pid, comm,
// strings, ppid, …) are fetched once into stack slots before any expression runs, so expression
// code never calls helpers and may use every scratch register. Integer record fields are loaded
// straight from the context when an expression reads them.
import { Helper, add, and, arsh, call, comment, ldx, lsh, mov, mov32, rsh, st, stx } from '../bpf/index.js';
import type { Reg } from '../bpf/register.js';
import { R0, R1, R2, R3, R6, R10 } from '../bpf/register.js';
import type { Builtin, Column } from '../catalog/column.js';
import type { TaskOffsets } from '../planner/plan.js';
import { stringCapacity } from '../planner/layout.js';
import type { Codegen } from './codegen.js';

/** A helper result kept in a slot; pid and tid share one, as do uid and gid. */
type HelperValue = 'pid_tgid' | 'uid_gid' | 'ts' | 'cpu' | 'cgroup_id' | 'ppid';

const BUILTIN_VALUE: { readonly [B in Exclude<Builtin, 'comm'>]: HelperValue } = {
  pid: 'pid_tgid', tid: 'pid_tgid', uid: 'uid_gid', gid: 'uid_gid', ts: 'ts', cpu: 'cpu', cgroup_id: 'cgroup_id', ppid: 'ppid',
};

export class Values {
  private readonly helperSlots = new Map<HelperValue, number>();
  private readonly stringSlots = new Map<string, number>();

  constructor(private readonly g: Codegen, private readonly taskOffsets: TaskOffsets | undefined) {}

  /** Emits whatever fetching `columns` needs that has not been fetched yet. */
  fetch(columns: readonly Column[]): void {
    for (const c of columns) {
      const s = c.source;
      switch (s.kind) {
        case 'field': break;
        case 'builtin':
          if (s.name === 'comm') this.fetchString(c);
          else this.fetchHelper(BUILTIN_VALUE[s.name]);
          break;
        case 'char-array': case 'data-loc-string': case 'user-string':
          this.fetchString(c);
          break;
      }
    }
  }

  /** Loads an integer column into `dst` (zero- or sign-extended to 64 bits). */
  load(c: Column, dst: Reg): void {
    const s = c.source;
    const g = this.g;
    switch (s.kind) {
      case 'field': {
        const size = ({ 1: 'b', 2: 'h', 4: 'w', 8: 'dw' } as const)[s.size];
        g.emit(comment(`${c.name}: record field at ${s.offset}`, ldx[size](dst, R6, s.offset)));
        if (s.signed && s.size < 8) {
          const shift = 64 - s.size * 8;
          g.emit(lsh.imm(dst, shift), arsh.imm(dst, shift));
        }
        return;
      }
      case 'builtin': {
        if (s.name === 'comm') throw new Error('comm is a string');
        const slot = this.slot(BUILTIN_VALUE[s.name]);
        g.emit(comment(c.name, ldx.dw(dst, R10, slot)));
        if (s.name === 'pid') g.emit(rsh.imm(dst, 32));
        else if (s.name === 'tid' || s.name === 'uid') g.emit(comment('low 32 bits', mov32.reg(dst, dst)));
        else if (s.name === 'gid') g.emit(rsh.imm(dst, 32));
        return;
      }
      case 'char-array': case 'data-loc-string': case 'user-string':
        throw new Error(`${c.name} is a string`);
    }
  }

  /** The stack offset of a fetched string column's zero-padded buffer. */
  stringSlot(c: Column): number {
    const slot = this.stringSlots.get(c.name);
    if (slot === undefined) throw new Error(`string ${c.name} was not fetched`);
    return slot;
  }

  private slot(v: HelperValue): number {
    const slot = this.helperSlots.get(v);
    if (slot === undefined) throw new Error(`${v} was not fetched`);
    return slot;
  }

  private fetchHelper(v: HelperValue): void {
    if (this.helperSlots.has(v)) return;
    const g = this.g;
    const slot = g.frame.alloc(8, v);
    this.helperSlots.set(v, slot);
    const simple: Partial<Record<HelperValue, number>> = {
      pid_tgid: Helper.getCurrentPidTgid, uid_gid: Helper.getCurrentUidGid, ts: Helper.ktimeGetNs,
      cpu: Helper.getSmpProcessorId, cgroup_id: Helper.getCurrentCgroupId,
    };
    const helper = simple[v];
    if (helper !== undefined) {
      g.emit(comment(`fetch ${v}`, call(helper)), stx.dw(R10, slot, R0));
      return;
    }
    // ppid: current->real_parent->tgid, with offsets from BTF.
    const off = this.taskOffsets;
    if (!off) throw new Error('ppid needs task_struct offsets');
    g.emit(
      comment('fetch ppid: current task', call(Helper.getCurrentTask)),
      st.dw(R10, slot, 0),
      mov.reg(R1, R10), add.imm(R1, slot), mov.imm(R2, 8),
      mov.reg(R3, R0), add.imm(R3, off.realParent),
      comment('task->real_parent', call(Helper.probeReadKernel)),
      ldx.dw(R3, R10, slot),
      st.dw(R10, slot, 0),
      mov.reg(R1, R10), add.imm(R1, slot), mov.imm(R2, 4),
      add.imm(R3, off.tgid),
      comment('real_parent->tgid', call(Helper.probeReadKernel)),
    );
  }

  private fetchString(c: Column): void {
    if (this.stringSlots.has(c.name)) return;
    const g = this.g;
    const cap = stringCapacity(c);
    const slot = g.frame.alloc(cap, c.name);
    this.stringSlots.set(c.name, slot);
    // Zero the buffer first: strings compare and group by whole words, so bytes after the NUL must be 0.
    for (let i = 0; i < cap; i += 8) g.emit(i === 0 ? comment(`${c.name}: clear buffer`, st.dw(R10, slot, 0)) : st.dw(R10, slot + i, 0));
    g.emit(mov.reg(R1, R10), add.imm(R1, slot));
    const s = c.source;
    switch (s.kind) {
      case 'builtin':
        g.emit(mov.imm(R2, cap), comment('comm', call(Helper.getCurrentComm)));
        return;
      case 'char-array':
        g.emit(mov.imm(R2, cap), mov.reg(R3, R6), add.imm(R3, s.offset), comment(`${c.name}: char array in record`, call(Helper.probeReadKernelStr)));
        return;
      case 'data-loc-string':
        // The u32 at the field holds the string's offset in the record (low 16 bits).
        g.emit(
          mov.imm(R2, cap),
          ldx.w(R3, R6, s.offset),
          and.imm(R3, 0xffff),
          add.reg(R3, R6),
          comment(`${c.name}: __data_loc string`, call(Helper.probeReadKernelStr)),
        );
        return;
      case 'user-string':
        g.emit(mov.imm(R2, cap), ldx.dw(R3, R6, s.offset), comment(`${c.name}: user string`, call(Helper.probeReadUserStr)));
        return;
      case 'field':
        throw new Error(`${c.name} is not a string`);
    }
  }
}
