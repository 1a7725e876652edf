// A catalog over the format files kept in test/catalog/fixtures, so planner tests need no kernel.
import { readFileSync } from 'node:fs';
import type { Hook } from '../../src/catalog/hook.js';
import { Catalog } from '../../src/catalog/catalog.js';
import type { PlannerEnv } from '../../src/planner/offsets.js';
import { readBinary } from '../../src/runtime/kernel-env.js';
import { FIXTURE_ARGS, fixtureBtf } from './fixture-btf.js';
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
  'syscalls/sys_enter_kill': 'sys_enter_kill',
  'syscalls/sys_exit_kill': 'sys_exit_kill',
  'syscalls/sys_enter_newfstatat': 'sys_enter_newfstatat',
  'syscalls/sys_exit_newfstatat': 'sys_exit_newfstatat',
  'syscalls/sys_enter_fsync': 'sys_enter_fsync',
  'syscalls/sys_exit_fsync': 'sys_exit_fsync',
  'syscalls/sys_enter_mount': 'sys_enter_mount',
  'syscalls/sys_exit_mount': 'sys_exit_mount',
  'syscalls/sys_enter_close': 'sys_enter_close',
  'syscalls/sys_exit_close': 'sys_exit_close',
  'syscalls/sys_enter_exit_group': 'sys_enter_exit_group',
  'syscalls/sys_exit_exit_group': 'sys_exit_exit_group',
  'block/block_rq_issue': 'block_rq_issue',
  'block/block_io_start': 'block_io_start',
  'block/block_rq_complete': 'block_rq_complete',
  'exceptions/page_fault_user': 'page_fault_user',
  'signal/signal_generate': 'signal_generate',
  'oom/mark_victim': 'mark_victim',
  'tcp/tcp_retransmit_skb': 'tcp_retransmit_skb',
  'tcp/tcp_send_reset': 'tcp_send_reset',
  'tcp/tcp_receive_reset': 'tcp_receive_reset',
  'tcp/tcp_destroy_sock': 'tcp_destroy_sock',
  'skb/kfree_skb': 'kfree_skb',
  'net/net_dev_xmit': 'net_dev_xmit',
  'net/netif_receive_skb': 'netif_receive_skb',
  'sock/sock_send_length': 'sock_send_length',
  'sock/sock_recv_length': 'sock_recv_length',
};

/** The text of a fixture format file, by its file name. */
export function fixtureFormat(name: string): string {
  return readFileSync(fromRoot('test', 'catalog', 'fixtures', `${name}.format`), 'utf8');
}

/**
 * A catalog over the fixtures, on `hook`, with `btfIds` as its BTF's btf_trace_<event> typedefs. `overrides`, by 'category/event', replaces a format's text, or with
 * undefined removes the tracepoint, as a kernel without it would.
 */
/** `btfReadable`: false for a kernel whose BTF cannot be read (raw shapes that read through pointers fall back). */
export function fixtureCatalog(overrides: Readonly<Record<string, string | undefined>> = {}, hook?: Hook, btfIds?: Readonly<Record<string, number>>, btfReadable = true): Catalog {
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
    btfReadable: () => btfReadable,
    // BTF ids of btf_trace_<event> typedefs by event; without them the kernel has no BTF.
    ...(btfIds === undefined ? {} : { btfTracepoint: (event: string) => btfIds[event], btfTracepointArgs: (event: string) => (btfIds[event] === undefined ? undefined : FIXTURE_ARGS[event]) }),
  });
}

/** Offsets as on the development machine's kernel; the real ones come from BTF. */
const TASK_STRUCT: Readonly<Record<string, number>> = { real_parent: 1280, tgid: 1268, exit_code: 1204, start_time: 1768, mm: 1136, files: 1824, pid: 1264, comm: 1752, prio: 108, exit_state: 1160 };
const MM_STRUCT: Readonly<Record<string, number>> = { arg_start: 488, arg_end: 496 };
/** struct pt_regs on x86_64 (the uapi layout). */
const PT_REGS: Readonly<Record<string, number>> = { r9: 64, r8: 72, ax: 80, cx: 88, dx: 96, si: 104, di: 112, ip: 128, sp: 152 };
/** The socket members socket_io reads, as on the development machine's kernel. */
const SOCK: Readonly<Record<string, number>> = { __sk_common: 0, sk_protocol: 532 };
const SOCK_COMMON: Readonly<Record<string, number>> = { skc_daddr: 0, skc_rcv_saddr: 4, skc_dport: 12, skc_family: 16, skc_state: 18, skc_v6_daddr: 56, skc_v6_rcv_saddr: 72 };
const INET_SOCK: Readonly<Record<string, number>> = { inet_saddr: 808, inet_sport: 814 };
/** What the files of fds are read through (kernel 6.18's offsets). */
const FILE_STRUCTS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  files_struct: { fdt: 32 }, fdtable: { max_fds: 0, fd: 8 }, file: { f_inode: 32, f_path: 64 }, inode: { i_ino: 64, i_mode: 0 },
  path: { dentry: 8, mnt: 0 }, dentry: { d_name: 32, d_parent: 24 }, qstr: { name: 8 }, vfsmount: { mnt_root: 0 },
  mount: { mnt: 32, mnt_parent: 16, mnt_mountpoint: 24 },
};
/** What the raw tracepoints' programs read through their pointer arguments. */
const SK_BUFF: Readonly<Record<string, number>> = { dev: 16, len: 112, protocol: 176 };
const NET_DEVICE: Readonly<Record<string, number>> = { name: 280 };
const LINUX_BINPRM: Readonly<Record<string, number>> = { filename: 96 };
const STRUCTS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  task_struct: TASK_STRUCT, mm_struct: MM_STRUCT, pt_regs: PT_REGS, sock: SOCK, sock_common: SOCK_COMMON, inet_sock: INET_SOCK, ...FILE_STRUCTS,
  sk_buff: SK_BUFF, net_device: NET_DEVICE, linux_binprm: LINUX_BINPRM,
};

export const fixturePlannerEnv: PlannerEnv = {
  memberOffset(struct, member) {
    const off = STRUCTS[struct]?.[member];
    if (off === undefined) throw new Error(`no fixture offset for ${struct}.${member}`);
    return off;
  },
  btfTypes: () => fixtureBtf,
};
