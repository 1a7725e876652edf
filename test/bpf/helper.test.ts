// Helper ids against enum bpf_func_id in the kernel's include/uapi/linux/bpf.h, by the
// kernel's own names, which also checks the names the disassembler derives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Helper, helperNames } from '../../src/bpf/index.js';

const kernel: ReadonlyArray<readonly [string, number]> = [
  ['bpf_map_lookup_elem', 1], ['bpf_map_update_elem', 2], ['bpf_map_delete_elem', 3], ['bpf_probe_read', 4],
  ['bpf_ktime_get_ns', 5], ['bpf_trace_printk', 6], ['bpf_get_prandom_u32', 7], ['bpf_get_smp_processor_id', 8],
  ['bpf_tail_call', 12], ['bpf_get_current_pid_tgid', 14], ['bpf_get_current_uid_gid', 15],
  ['bpf_get_current_comm', 16], ['bpf_perf_event_read', 22], ['bpf_perf_event_output', 25],
  ['bpf_get_stackid', 27], ['bpf_get_current_task', 35], ['bpf_get_numa_node_id', 42], ['bpf_probe_read_str', 45],
  ['bpf_perf_event_read_value', 55], ['bpf_perf_prog_read_value', 56], ['bpf_get_stack', 67],
  ['bpf_get_current_cgroup_id', 80], ['bpf_map_push_elem', 87], ['bpf_map_pop_elem', 88],
  ['bpf_map_peek_elem', 89], ['bpf_send_signal', 109], ['bpf_probe_read_user', 112],
  ['bpf_probe_read_kernel', 113], ['bpf_probe_read_user_str', 114], ['bpf_probe_read_kernel_str', 115],
  ['bpf_send_signal_thread', 117], ['bpf_jiffies64', 118], ['bpf_get_ns_current_pid_tgid', 120],
  ['bpf_get_current_ancestor_cgroup_id', 123], ['bpf_ktime_get_boot_ns', 125], ['bpf_ringbuf_output', 130],
  ['bpf_ringbuf_reserve', 131], ['bpf_ringbuf_submit', 132], ['bpf_ringbuf_discard', 133],
  ['bpf_ringbuf_query', 134], ['bpf_get_task_stack', 141], ['bpf_get_current_task_btf', 158],
  ['bpf_ktime_get_coarse_ns', 160], ['bpf_snprintf', 165], ['bpf_get_func_ip', 173],
  ['bpf_get_attach_cookie', 174], ['bpf_task_pt_regs', 175], ['bpf_loop', 181], ['bpf_strncmp', 182],
  ['bpf_map_lookup_percpu_elem', 195], ['bpf_ktime_get_tai_ns', 208],
];

test('every helper id and derived name matches the kernel', () => {
  assert.deepEqual([...helperNames].map(([id, name]) => [name, id]), kernel);
  assert.equal(Object.keys(Helper).length, kernel.length);
});

test('the ids the brief names', () => {
  assert.equal(Helper.getPrandomU32, 7);
  assert.equal(Helper.getCurrentTaskBtf, 158);
  assert.equal(helperNames.get(Helper.probeReadKernelStr), 'bpf_probe_read_kernel_str');
});
