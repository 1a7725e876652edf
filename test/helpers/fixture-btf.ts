// A few kernel types written by hand, as vmlinux BTF describes them (offsets as on the
// development machine's kernel), so planner tests resolve member paths with no kernel.
import type { BtfTypes, CMember, CType, TracepointArg } from '../../src/catalog/btf-types.js';

type Struct = Extract<CType, { kind: 'struct' }>;

const struct = (id: number, name: string, size: number, union = false): Struct => ({ kind: 'struct', id, name, size, union });
const int = (name: string, size: number, signed: boolean): CType => ({ kind: 'int', name, size, signed });
const ptr = (to: CType): CType => ({ kind: 'pointer', to });
const char = int('char', 1, true);

const TASK = struct(1, 'task_struct', 9792);
const MM = struct(2, 'mm_struct', 1472);
const SCHED_ENTITY = struct(3, 'sched_entity', 256);
const CPUMASK = struct(4, 'cpumask', 1024);
const SK_BUFF = struct(5, 'sk_buff', 232);
const NET_DEVICE = struct(6, 'net_device', 2560);
const PT_REGS = struct(8, 'pt_regs', 168);

const MEMBERS: ReadonlyMap<number, readonly CMember[]> = new Map([
  [TASK.id, [
    { name: 'prio', type: int('int', 4, true), offset: 156 },
    { name: 'static_prio', type: int('int', 4, true), offset: 160 },
    { name: 'se', type: SCHED_ENTITY, offset: 192 },
    { name: 'cpus_mask', type: CPUMASK, offset: 968 },
    { name: 'mm', type: ptr(MM), offset: 1136 },
    { name: 'exit_code', type: int('int', 4, true), offset: 1204 },
    { name: 'pid', type: int('pid_t', 4, true), offset: 1264 },
    { name: 'tgid', type: int('pid_t', 4, true), offset: 1268 },
    { name: 'real_parent', type: ptr(TASK), offset: 1280 },
    { name: 'in_execve', type: int('unsigned int', 4, false), offset: 1480, bitfield: true },
    { name: 'comm', type: { kind: 'array', element: char, length: 16 }, offset: 1896 },
    { name: 'utime', type: int('u64', 8, false), offset: 1720 },
  ]],
  [MM.id, [{ name: 'total_vm', type: int('long unsigned int', 8, false), offset: 224 }]],
  [SCHED_ENTITY.id, [{ name: 'vruntime', type: int('u64', 8, false), offset: 88 }]],
  [CPUMASK.id, [{ name: 'bits', type: { kind: 'array', element: int('long unsigned int', 8, false), length: 128 }, offset: 0 }]],
  [SK_BUFF.id, [{ name: 'len', type: int('unsigned int', 4, false), offset: 112 }, { name: 'dev', type: ptr(NET_DEVICE), offset: 16 }]],
  [NET_DEVICE.id, [{ name: 'name', type: { kind: 'array', element: char, length: 16 }, offset: 0 }]],
]);

export const fixtureBtf: BtfTypes = {
  struct: (name) => [TASK, MM, SCHED_ENTITY, CPUMASK, SK_BUFF, NET_DEVICE].find((s) => s.name === name),
  members: (s) => MEMBERS.get(s.id) ?? [],
};

/** TP_PROTO arguments of the fixture events, after their `void *`. */
export const FIXTURE_ARGS: Readonly<Record<string, readonly TracepointArg[]>> = {
  sched_switch: [
    { name: 'preempt', type: int('bool', 1, false), index: 0 },
    { name: 'prev', type: ptr(TASK), index: 1 },
    { name: 'next', type: ptr(TASK), index: 2 },
    { name: 'prev_state', type: int('unsigned int', 4, false), index: 3 },
  ],
  kfree_skb: [
    { name: 'skb', type: ptr(SK_BUFF), index: 0 },
    { name: 'location', type: ptr({ kind: 'void' }), index: 1 },
    { name: 'rx_sk', type: ptr(struct(7, 'sock', 760)), index: 2 },
    { name: 'reason', type: int('enum skb_drop_reason', 4, false), index: 3 },
  ],
  sys_enter: [
    { name: 'regs', type: ptr(PT_REGS), index: 0 },
    { name: 'id', type: int('long int', 8, true), index: 1 },
  ],
  sys_exit: [
    { name: 'regs', type: ptr(PT_REGS), index: 0 },
    { name: 'ret', type: int('long int', 8, true), index: 1 },
  ],
};
