// A full disk on demand: a 64 KiB tmpfs mounted in a test's directory (root only), unmounted after.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Runs `f` with a 64 KiB tmpfs mounted at `dir`/small, and unmounts it afterwards. */
export async function withFullDisk(dir: string, f: (mnt: string) => Promise<void>): Promise<void> {
  const mnt = join(dir, 'small');
  mkdirSync(mnt);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]);
  try {
    await f(mnt);
  } finally {
    execFileSync('umount', [mnt]);
  }
}
