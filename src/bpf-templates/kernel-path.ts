// Reads a kernel-path column (a BTF member path such as next->real_parent->tgid, see
// catalog/column.ts) into a stack slot: the start pointer (a raw tracepoint argument, or the
// current task), then each hop's offset, following the pointer at every hop but the last.
// bpf_probe_read_kernel takes any address, so the same code runs on raw_tp, tp_btf and the
// classic hook, and a NULL pointer on the way makes the read fail, which leaves the slot zeroed.
import { Helper, add, call, comment, ldx, mov, st } from '../bpf/index.js';
import { R0, R1, R2, R3, R6, R10 } from '../bpf/register.js';
import type { Column } from '../catalog/column.js';
import type { Codegen } from './codegen.js';

type KernelPath = Extract<Column['source'], { kind: 'kernel-path' }>;

/**
 * Emits the read of `s` into the zeroed buffer at `slot` (`capacity` bytes: 8 for an integer,
 * the text's buffer for a char array). An integer is read into a zeroed word, so the bytes above
 * its size are 0.
 */
export function emitKernelPath(g: Codegen, name: string, s: KernelPath, slot: number, capacity: number): void {
  if (s.from === 'current') g.emit(comment(`${name}: from the current task`, call(Helper.getCurrentTask)), mov.reg(R3, R0));
  else g.emit(comment(`${name}: from the argument at ${s.from}`, ldx.dw(R3, R6, s.from)));
  s.hops.forEach((offset, i) => {
    const last = i === s.hops.length - 1;
    if (!last) {
      g.emit(
        st.dw(R10, slot, 0),
        mov.reg(R1, R10), add.imm(R1, slot), mov.imm(R2, 8), add.imm(R3, offset),
        comment('follow the pointer', call(Helper.probeReadKernel)),
        ldx.dw(R3, R10, slot),
        // The value read next may be shorter than the pointer (text stops at its NUL, an int may be
        // 4 bytes): none of the pointer's bytes may stay.
        st.dw(R10, slot, 0),
      );
      return;
    }
    if (s.text === true) {
      g.emit(mov.reg(R1, R10), add.imm(R1, slot), mov.imm(R2, Math.min(s.size, capacity)), add.imm(R3, offset), comment('char array', call(Helper.probeReadKernelStr)));
    } else {
      // A followed pointer has zeroed the word already.
      if (s.hops.length === 1) g.emit(st.dw(R10, slot, 0));
      g.emit(mov.reg(R1, R10), add.imm(R1, slot), mov.imm(R2, s.size), add.imm(R3, offset), comment('the value', call(Helper.probeReadKernel)));
    }
  });
}
