// Tables over single tracepoints: page faults, signals, OOM kills.
import type { CuratedTable } from '../curated.js';
import { intColumn } from '../curated.js';
import { S32 } from '../types.js';
import { argColumn, argMemberColumn, decodedColumn, optionalIntColumn, renamedTracepoint, stringColumn } from './columns.js';

const pageFaultsClassic: CuratedTable = renamedTracepoint(
  'page_faults',
  'page faults taken in user mode (exceptions:page_fault_user; kernel-mode faults are tracepoint.exceptions.page_fault_kernel)',
  'exceptions', 'page_fault_user',
  [
    ['address', 'address', 'faulting address'],
    ['ip', 'ip', 'instruction pointer at the fault'],
    ['error_code', 'error_code', 'x86 page fault error code: bit 0 protection, 1 write, 2 user, 4 instruction fetch'],
  ],
);

export const pageFaultsTable: CuratedTable = {
  ...pageFaultsClassic,
  // TP_PROTO(unsigned long address, struct pt_regs *regs, unsigned long error_code): the record's
  // ip is regs->ip.
  raw(format) {
    const [address, ip, errorCode] = pageFaultsClassic.build(format, undefined).columns;
    return { columns: [argColumn(address!, 0), argMemberColumn(ip!, 1, [['pt_regs', 'ip']]), argColumn(errorCode!, 2)] };
  },
};

/** signal:signal_generate fires in the sender, once per signal sent, delivered or not. */
export const signalsTable: CuratedTable = {
  name: 'signals',
  description: 'signals sent: by whom (pid, comm) to whom (target_pid), and what became of them (signal:signal_generate)',
  event: { category: 'signal', event: 'signal_generate' },
  build(format) {
    return {
      columns: [
        decodedColumn(format, 'sig', 'signal', 'signal', 'signal name (SIGKILL, …; SIG<n> for real-time signals)'),
        intColumn(format, 'sig', 'signo', 'signal number', S32),
        intColumn(format, 'pid', 'target_pid', 'thread or process the signal is for', S32),
        stringColumn(format, 'comm', 'target_comm', 'its command name'),
        intColumn(format, 'code', 'code', 'si_code: 0 SI_USER (kill), -6 SI_TKILL, 128 SI_KERNEL, …', S32),
        intColumn(format, 'result', 'result', '0 delivered, 1 ignored, 2 already pending, 3 queue overflow, 4 delivered without info', S32),
      ],
    };
  },
};

/** oom:mark_victim fires when the OOM killer picks its victim (system-wide or in a memory cgroup). */
export const oomKillTable: CuratedTable = {
  name: 'oom_kill',
  description: 'processes chosen by the OOM killer, with their memory use (oom:mark_victim)',
  event: { category: 'oom', event: 'mark_victim' },
  build(format) {
    // Older kernels record only the pid; the memory columns appear where the format has them.
    const comm = format.fields.some((f) => f.name === 'comm') ? [stringColumn(format, 'comm', 'victim_comm', 'command name of the victim')] : [];
    return {
      columns: [
        intColumn(format, 'pid', 'victim_pid', 'process killed', S32),
        ...comm,
        ...optionalIntColumn(format, 'total_vm', 'total_vm_kb', 'its virtual memory (kB)'),
        ...optionalIntColumn(format, 'anon_rss', 'anon_rss_kb', 'its anonymous resident memory (kB)'),
        ...optionalIntColumn(format, 'file_rss', 'file_rss_kb', 'its file-backed resident memory (kB)'),
        ...optionalIntColumn(format, 'shmem_rss', 'shmem_rss_kb', 'its shared-memory resident memory (kB)'),
        ...optionalIntColumn(format, 'uid', 'victim_uid', 'its user id'),
        ...optionalIntColumn(format, 'pgtables', 'pgtables_kb', 'its page tables (kB)'),
        ...optionalIntColumn(format, 'oom_score_adj', 'oom_score_adj', 'its oom_score_adj'),
      ],
    };
  },
};
