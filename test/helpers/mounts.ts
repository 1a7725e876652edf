// A program that mounts a tmpfs on a dir of the test and unmounts it, `n` times, then tries once
// to mount on a dir that does not exist (ENOENT), in a mount namespace of its own (unshare -m,
// private propagation), so nothing it mounts is seen outside it or outlives it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CProgram } from './c-program.js';
import { uniqueComm } from './workload.js';

/** The source every mount of the program names (dev_name). */
export const MOUNT_SOURCE = 'bqsrc';
/** Where the failed mount tries to go, under the dir. */
export const ABSENT_DIR = 'absent';

const SOURCE = `
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
int main(int argc, char **argv) {
  if (argc != 3) return 2;
  char absent[4096];
  snprintf(absent, sizeof absent, "%s/${ABSENT_DIR}", argv[1]);
  for (int i = 0; i < atoi(argv[2]); i++) {
    if (mount("${MOUNT_SOURCE}", argv[1], "tmpfs", 0, "size=1m") != 0) return 3;
    if (umount(argv[1]) != 0) return 4;
  }
  return mount("${MOUNT_SOURCE}", absent, "tmpfs", 0, "size=1m") == -1 && errno == ENOENT ? 0 : 5;
}
`;

export class Mounter {
  private readonly prog = new CProgram(uniqueComm('bqmount'), SOURCE);

  get comm(): string {
    return this.prog.name;
  }

  /** Mounts and unmounts a tmpfs on `dir` n times, then fails once. */
  async run(dir: string, n: number): Promise<void> {
    await promisify(execFile)('unshare', ['-m', '--propagation', 'private', this.prog.path, dir, String(n)]);
  }

  remove(): void {
    this.prog.remove();
  }
}
