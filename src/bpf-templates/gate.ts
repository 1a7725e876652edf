// The gate of a query that shares its window with others (several kernel tables in one
// statement): its programs producing results do nothing until user space opens the gate, a
// one-slot array, and nothing again once it is closed. Every query's programs are attached first
// and the gates opened together afterwards, so the queries count over the same stretch of time
// (see runtime/window-gate.ts). Entry programs are not gated: as in a query of its own, an exit
// in the window finds the entry its call opened before it.
import { Helper, call, comment, jeq, ldMap, ldx, mov, add, st } from '../bpf/index.js';
import type { MapSpec } from '../bpf/map-spec.js';
import { R0, R1, R2, R10 } from '../bpf/register.js';
import type { Codegen } from './codegen.js';

export const GATE_MAP = 'gate';

export function gateMap(): MapSpec {
  return { name: GATE_MAP, type: 'array', keySize: 4, valueSize: 8, maxEntries: 1 };
}

/** Jumps to `out` unless the gate's value is non-zero (open). */
export function emitGateCheck(g: Codegen, out: string): void {
  const key = g.frame.alloc(8, 'gate key');
  g.emit(
    comment('one window with other queries: nothing before the gate opens or after it closes', st.w(R10, key, 0)),
    ldMap(R1, GATE_MAP),
    mov.reg(R2, R10), add.imm(R2, key),
    call(Helper.mapLookupElem),
    jeq.imm(R0, 0, out),
    ldx.dw(R1, R0, 0),
    jeq.imm(R1, 0, out),
  );
}
