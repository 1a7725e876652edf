// The eleven eBPF registers. R0 holds return values, R1–R5 carry helper arguments (and are
// clobbered by calls), R6–R9 survive calls, and R10 is the read-only frame pointer.
export type Reg = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;

export const R0: Reg = 0;
export const R1: Reg = 1;
export const R2: Reg = 2;
export const R3: Reg = 3;
export const R4: Reg = 4;
export const R5: Reg = 5;
export const R6: Reg = 6;
export const R7: Reg = 7;
export const R8: Reg = 8;
export const R9: Reg = 9;
export const R10: Reg = 10;
/** The frame pointer: the stack lives at negative offsets from it. */
export const FP: Reg = R10;

export function isReg(n: number): n is Reg {
  return Number.isInteger(n) && n >= 0 && n <= 10;
}
