// The one error type of the assembler: a program that cannot be turned into valid bytes
// (bad label, out-of-range field, write to the frame pointer, missing map fd, malformed bytes).
export class AsmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AsmError';
  }
}
