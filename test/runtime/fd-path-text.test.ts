// A file's path as the kernel keeps it (header, then the names from the file up) made into text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CUT_PATH_MARK, FD_PATH_BYTES, FdPathHeader } from '../../src/catalog/fd-path.js';
import { fdPathText } from '../../src/runtime/fd-path-text.js';

/** A key at offset 8 holding `header` and the names, each with its NUL, cut at the room. */
function kept(header: bigint | number, names: readonly Buffer[]): Buffer {
  const buf = Buffer.alloc(16 + FD_PATH_BYTES);
  buf.writeBigUInt64LE(BigInt(header), 8);
  Buffer.concat(names.flatMap((n) => [n, Buffer.from([0])])).copy(buf, 16, 0, FD_PATH_BYTES);
  return buf;
}

const names = (...xs: string[]): Buffer[] => xs.map((x) => Buffer.from(x));

test('a whole path is turned over: the file\'s name last, from the root', () => {
  assert.equal(fdPathText(kept(FdPathHeader.root, names('b.txt', 'dir', 'tmp')), 8), '/tmp/dir/b.txt');
  assert.equal(fdPathText(kept(FdPathHeader.root, []), 8), '/');
  assert.equal(fdPathText(kept(FdPathHeader.root, [Buffer.from([0xff, 0x41]), Buffer.from('a b\n"c"')]), 8), '/a b\n"c"/\uFFFDA');
});

test('a cut path keeps the whole names that fit and starts with …/', () => {
  const leaf = 'n'.repeat(60);
  // The parent's name runs past the room: left out.
  assert.equal(fdPathText(kept(FdPathHeader.cut, names(leaf, 'd'.repeat(100))), 8), `${CUT_PATH_MARK}${leaf}`);
  // Out of steps before the root, every name whole.
  assert.equal(fdPathText(kept(FdPathHeader.cut, names('f', 'e')), 8), `${CUT_PATH_MARK}e/f`);
  // The file's own name fills the room: its start, cut.
  const long = 'm'.repeat(FD_PATH_BYTES - 1);
  assert.equal(fdPathText(kept(FdPathHeader.cut, names(long)), 8), `${CUT_PATH_MARK}${long}…`);
});

test('files in no tree: pipes and sockets by inode as /proc shows them, others by name; no file is empty', () => {
  const pseudo = (type: number, ino: number): bigint => BigInt(FdPathHeader.pseudo) | (BigInt(type) << 4n) | (BigInt(ino) << 8n);
  assert.equal(fdPathText(kept(pseudo(0o01, 4242), names('')), 8), 'pipe:[4242]');
  assert.equal(fdPathText(kept(pseudo(0o14, 99), names('TCP')), 8), 'socket:[99]');
  assert.equal(fdPathText(kept(pseudo(0o00, 7), names('[eventfd]')), 8), '[eventfd]');
  assert.equal(fdPathText(kept(FdPathHeader.none, []), 8), '');
});
