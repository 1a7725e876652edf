// A program's arguments as the kernel recorded them (see bpf-templates/exec-args.ts): their whole
// length, then at most ARGV_BYTES of them, a NUL after each. Bytes that are not UTF-8 show as
// U+FFFD, as in every text column. Arguments cut at ARGV_BYTES end the list with an element
// ending in '…' (the cut argument, or '…' alone when the cut fell between two).
import { ARGV_BYTES } from '../catalog/column.js';

export const CUT_MARK = '…';

export function execArgsText(buf: Buffer, at: number): string[] {
  const total = buf.readBigUInt64LE(at);
  if (total === 0n) return [];
  const kept = total > BigInt(ARGV_BYTES) ? ARGV_BYTES : Number(total);
  const bytes = buf.subarray(at + 8, at + 8 + kept);
  const cut = kept < total;
  // Whole arguments end with their NUL: the last one's is no separator.
  const text = !cut && bytes[bytes.length - 1] === 0 ? bytes.subarray(0, bytes.length - 1) : bytes;
  const args: string[] = [];
  let from = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text[i] === 0) {
      args.push(text.toString('utf8', from, i));
      from = i + 1;
    }
  }
  if (cut) args.push(`${args.pop() ?? ''}${CUT_MARK}`);
  return args;
}
