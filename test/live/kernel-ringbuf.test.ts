// A real ring buffer: a tracepoint program reserves a record per getpgid call of this process,
// submits those with an even argument and discards the odd ones; the reader must see exactly the
// even arguments, in order, across several wraps of the buffer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attachTracepoint } from '../../src/kernel/attach.js';
import { BpfMap } from '../../src/kernel/map.js';
import { BpfProgram } from '../../src/kernel/program.js';
import { RingBuffer } from '../../src/kernel/ringbuf.js';
import { KernelScope } from '../../src/kernel/scope.js';
import { readFormat } from '../../src/kernel/tracefs.js';
import { Helper, R0, R1, R2, R3, R6, R7, insn, ldMapFd, program } from './kernel-insns.js';
import { callGetpgid, needsRoot } from './kernel-root.js';

const SIZE = 16384; // 4 pages; each record takes 16 bytes (8 header + 8 payload)

/** Offset of the `pid` argument in the sys_enter_getpgid record, from its tracefs format. */
function pidArgOffset(): number {
  const m = /field:pid_t pid;\s*offset:(\d+);/.exec(readFormat('syscalls', 'sys_enter_getpgid'));
  assert.ok(m !== null, 'sys_enter_getpgid has a pid field');
  return Number(m[1]);
}

function recorder(ring: BpfMap, argOffset: number): Buffer {
  const pid = process.pid;
  return program(
    insn(0xbf, R6, R1, 0, 0), //                     0  r6 = ctx
    insn(0x85, 0, 0, 0, Helper.getCurrentPidTgid), // 1
    insn(0x77, R0, 0, 0, 32), //                     2  r0 >>= 32 (tgid)
    insn(0x55, R0, 0, 19, pid), //                   3  if r0 != pid goto 23
    ldMapFd(R1, ring.fd), //                         4,5
    insn(0xb7, R2, 0, 0, 8), //                      6  r2 = 8 (record size)
    insn(0xb7, R3, 0, 0, 0), //                      7  r3 = 0 (flags)
    insn(0x85, 0, 0, 0, Helper.ringbufReserve), //   8
    insn(0x15, R0, 0, 13, 0), //                     9  if r0 == 0 goto 23
    insn(0xbf, R7, R0, 0, 0), //                     10 r7 = record
    insn(0x79, R1, R6, argOffset, 0), //             11 r1 = ctx->pid (the argument)
    insn(0x62, R7, 0, 0, pid), //                    12 *(u32 *)(r7 + 0) = tgid
    insn(0x63, R7, R1, 4, 0), //                     13 *(u32 *)(r7 + 4) = r1
    insn(0x57, R1, 0, 0, 1), //                      14 r1 &= 1
    insn(0x55, R1, 0, 4, 0), //                      15 if r1 != 0 goto 20
    insn(0xbf, R1, R7, 0, 0), //                     16 r1 = record
    insn(0xb7, R2, 0, 0, 0), //                      17 r2 = 0
    insn(0x85, 0, 0, 0, Helper.ringbufSubmit), //    18
    insn(0x05, 0, 0, 3, 0), //                       19 goto 23
    insn(0xbf, R1, R7, 0, 0), //                     20 r1 = record
    insn(0xb7, R2, 0, 0, 0), //                      21 r2 = 0
    insn(0x85, 0, 0, 0, Helper.ringbufDiscard), //   22
    insn(0xb7, R0, 0, 0, 0), //                      23 r0 = 0
    insn(0x95, 0, 0, 0, 0), //                       24 exit
  );
}

function setup(scope: KernelScope, name: string): RingBuffer {
  const ring = scope.add(BpfMap.create({ name, type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: SIZE }));
  const prog = scope.add(BpfProgram.load({ name, type: 'tracepoint', insns: recorder(ring, pidArgOffset()), license: 'GPL' }));
  scope.add(attachTracepoint(prog, 'syscalls', 'sys_enter_getpgid'));
  return scope.add(new RingBuffer(ring));
}

test('reads back exactly the submitted records, in order, across wraps', { skip: needsRoot }, () => {
  const scope = new KernelScope();
  try {
    const rb = setup(scope, 'kt_ring');
    const got: number[] = [];
    const read = (view: DataView, offset: number, length: number): void => {
      assert.equal(length, 8);
      assert.equal(view.getUint32(offset, true), process.pid);
      got.push(view.getUint32(offset + 4, true));
    };
    const expected: number[] = [];
    for (let round = 0; round < 5; round++) {
      // 600 calls, 600 records reserved (9600 bytes): the 16 KiB buffer wraps within a few rounds.
      const args = Array.from({ length: 600 }, (_, i) => 100_000 + round * 600 + i);
      callGetpgid(args);
      assert.equal(rb.poll(read), 300);
      expected.push(...args.filter((a) => a % 2 === 0));
    }
    assert.deepEqual(got, expected);
    assert.equal(rb.poll(read), 0);
    rb.close(); // throws if munmap fails (the scope would swallow it)
  } finally {
    scope.closeAll();
  }
});

test('wait wakes up when the program submits a record', { skip: needsRoot }, async () => {
  const scope = new KernelScope();
  try {
    const rb = setup(scope, 'kt_ring_wait');
    const t0 = performance.now();
    const timer = setTimeout(() => callGetpgid([4]), 30);
    const woke = await rb.wait(5000);
    clearTimeout(timer);
    assert.equal(woke, true);
    assert.ok(performance.now() - t0 < 4000);
    const got: number[] = [];
    rb.poll((view, offset) => got.push(view.getUint32(offset + 4, true)));
    assert.deepEqual(got, [4]);
  } finally {
    scope.closeAll();
  }
});
