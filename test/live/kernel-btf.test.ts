// Offsets read from the kernel's BTF, checked by a second method: a program that reads
// current->tgid and current->real_parent->tgid at those offsets must find this process's pid and
// parent pid.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attachTracepoint } from '../../src/kernel/attach.js';
import { vmlinuxBtf } from '../../src/kernel/btf.js';
import { BpfMap } from '../../src/kernel/map.js';
import { BpfProgram } from '../../src/kernel/program.js';
import { KernelScope } from '../../src/kernel/scope.js';
import { Helper, R0, R1, R2, R3, R6, R10, insn, ldMapFd, program } from './kernel-insns.js';
import { callGetppid, needsRoot } from './kernel-root.js';

test('task_struct offsets are inside the struct and stable across lookups', { skip: needsRoot }, () => {
  const btf = vmlinuxBtf();
  const size = btf.structSize('task_struct');
  const tgid = btf.memberOffset('task_struct', 'tgid');
  const parent = btf.memberOffset('task_struct', 'real_parent');
  assert.ok(tgid > 0 && tgid + 4 <= size, `tgid at ${tgid} of ${size}`);
  assert.ok(parent > 0 && parent + 8 <= size, `real_parent at ${parent} of ${size}`);
  assert.equal(vmlinuxBtf(), btf);
  assert.equal(btf.memberOffset('task_struct', 'tgid'), tgid);
});

test('a program reading task_struct at the BTF offsets finds our pid and parent pid', { skip: needsRoot }, () => {
  const btf = vmlinuxBtf();
  const tgidAt = btf.memberOffset('task_struct', 'tgid');
  const parentAt = btf.memberOffset('task_struct', 'real_parent');
  const scope = new KernelScope();
  try {
    const out = scope.add(BpfMap.create({ name: 'kt_btf_out', type: 'array', keySize: 4, valueSize: 8, maxEntries: 1 }));
    const insns = program(
      insn(0x85, 0, 0, 0, Helper.getCurrentPidTgid), //  0
      insn(0x77, R0, 0, 0, 32), //                        1  r0 >>= 32
      insn(0x55, R0, 0, 31, process.pid), //              2  if r0 != pid goto 34
      insn(0x85, 0, 0, 0, Helper.getCurrentTask), //      3  r0 = current
      insn(0xbf, R6, R0, 0, 0), //                        4  r6 = current
      insn(0xbf, R1, R10, 0, 0), //                       5  r1 = r10 - 8
      insn(0x07, R1, 0, 0, -8), //                        6
      insn(0xb7, R2, 0, 0, 4), //                         7  r2 = 4
      insn(0xbf, R3, R6, 0, 0), //                        8  r3 = &current->tgid
      insn(0x07, R3, 0, 0, tgidAt), //                    9
      insn(0x85, 0, 0, 0, Helper.probeReadKernel), //     10 *(u32 *)(r10 - 8) = current->tgid
      insn(0xbf, R1, R10, 0, 0), //                       11 r1 = r10 - 16
      insn(0x07, R1, 0, 0, -16), //                       12
      insn(0xb7, R2, 0, 0, 8), //                         13 r2 = 8
      insn(0xbf, R3, R6, 0, 0), //                        14 r3 = &current->real_parent
      insn(0x07, R3, 0, 0, parentAt), //                  15
      insn(0x85, 0, 0, 0, Helper.probeReadKernel), //     16 *(u64 *)(r10 - 16) = current->real_parent
      insn(0x79, R3, R10, -16, 0), //                     17 r3 = &real_parent->tgid
      insn(0x07, R3, 0, 0, tgidAt), //                    18
      insn(0xbf, R1, R10, 0, 0), //                       19 r1 = r10 - 24
      insn(0x07, R1, 0, 0, -24), //                       20
      insn(0xb7, R2, 0, 0, 4), //                         21 r2 = 4
      insn(0x85, 0, 0, 0, Helper.probeReadKernel), //     22 *(u32 *)(r10 - 24) = real_parent->tgid
      insn(0x62, R10, 0, -28, 0), //                      23 *(u32 *)(r10 - 28) = 0 (key)
      insn(0xbf, R2, R10, 0, 0), //                       24 r2 = r10 - 28
      insn(0x07, R2, 0, 0, -28), //                       25
      ldMapFd(R1, out.fd), //                             26,27
      insn(0x85, 0, 0, 0, Helper.mapLookupElem), //       28
      insn(0x15, R0, 0, 4, 0), //                         29 if r0 == 0 goto 34
      insn(0x61, R1, R10, -8, 0), //                      30 r1 = *(u32 *)(r10 - 8)
      insn(0x63, R0, R1, 0, 0), //                        31 *(u32 *)(r0 + 0) = tgid
      insn(0x61, R1, R10, -24, 0), //                     32 r1 = *(u32 *)(r10 - 24)
      insn(0x63, R0, R1, 4, 0), //                        33 *(u32 *)(r0 + 4) = parent tgid
      insn(0xb7, R0, 0, 0, 0), //                         34 r0 = 0
      insn(0x95, 0, 0, 0, 0), //                          35 exit
    );
    const prog = scope.add(BpfProgram.load({ name: 'kt_btf_check', type: 'tracepoint', insns, license: 'GPL' }));
    scope.add(attachTracepoint(prog, 'syscalls', 'sys_enter_getppid'));
    callGetppid(1);
    const value = Buffer.alloc(8);
    assert.equal(out.lookup(Buffer.alloc(4), value), true);
    assert.deepEqual([value.readUInt32LE(0), value.readUInt32LE(4)], [process.pid, process.ppid]);
  } finally {
    scope.closeAll();
  }
});
