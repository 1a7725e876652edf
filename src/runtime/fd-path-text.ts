// A file's path as the kernel kept it (see catalog/fd-path.ts): the header word, then the names
// from the file up, NUL after each. Turned over into the path users know; bytes that are not
// UTF-8 show as U+FFFD, as in every text column.
import { CUT_PATH_MARK, FD_PATH_BYTES, FdPathHeader, PSEUDO_FILE_PREFIX } from '../catalog/fd-path.js';

/** The bytes before the first NUL, as text. */
function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.toString('utf8', 0, end < 0 ? bytes.length : end);
}

/** The whole names (a name cut at the end of the room has no NUL after it), and that cut one. */
function names(bytes: Buffer): { readonly whole: string[]; readonly partial: string } {
  const whole: string[] = [];
  let from = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0) continue;
    if (i === from) break;
    whole.push(bytes.toString('utf8', from, i));
    from = i + 1;
  }
  return { whole, partial: cString(bytes.subarray(from)) };
}

export function fdPathText(buf: Buffer, at: number): string {
  const header = buf.readBigUInt64LE(at);
  const bytes = buf.subarray(at + 8, at + 8 + FD_PATH_BYTES);
  if (header === BigInt(FdPathHeader.none)) return '';
  if ((header & 0xfn) === BigInt(FdPathHeader.pseudo)) {
    const prefix = PSEUDO_FILE_PREFIX[Number((header >> 4n) & 0xfn)];
    // A pipe's dentry has no name (its d_name is ''); a socket's is its protocol's.
    return prefix === undefined ? cString(bytes) : `${prefix}:[${header >> 8n}]`;
  }
  // In a cut path, a name whose NUL is the room's last byte may have been cut there too.
  const cut = header === BigInt(FdPathHeader.cut);
  const { whole, partial } = names(cut ? bytes.subarray(0, FD_PATH_BYTES - 1) : bytes);
  const path = whole.reverse().join('/');
  if (!cut) return `/${path}`;
  // Cut: the names that did not fit are left out; a file whose own name did not fit shows its start.
  return whole.length > 0 ? `${CUT_PATH_MARK}${path}` : `${CUT_PATH_MARK}${partial}…`;
}
