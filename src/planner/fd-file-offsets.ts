// Where the file behind an fd is (current->files->fdt->fd[fd]) and the members its path and inode
// are read from, asked of BTF at plan time for the columns that read them.
import type { Column } from '../catalog/column.js';
import type { SelectQuery } from '../query/ast.js';
import type { PlannerEnv } from './offsets.js';
import { offsetFor } from './offsets.js';
import type { FdFileOffsets } from './plan.js';

/** `{ fdFileOffsets }` when a column reads an fd's file, or nothing. */
export function fdFileOffsetsFor(columns: readonly Column[], env: PlannerEnv, q: SelectQuery): { fdFileOffsets?: FdFileOffsets } {
  const c = columns.find((x) => x.source.kind === 'fd-file');
  if (c === undefined) return {};
  const at = (struct: string, member: string): number => env.memberOffset(struct, member);
  return {
    fdFileOffsets: offsetFor(c, q, () => ({
      taskFiles: at('task_struct', 'files'),
      filesFdt: at('files_struct', 'fdt'),
      fdtMaxFds: at('fdtable', 'max_fds'),
      fdtFd: at('fdtable', 'fd'),
      fileInode: at('file', 'f_inode'),
      inodeIno: at('inode', 'i_ino'),
      inodeMode: at('inode', 'i_mode'),
      fileDentry: at('file', 'f_path') + at('path', 'dentry'),
      fileVfsmount: at('file', 'f_path') + at('path', 'mnt'),
      dentryName: at('dentry', 'd_name') + at('qstr', 'name'),
      dentryParent: at('dentry', 'd_parent'),
      vfsmountRoot: at('vfsmount', 'mnt_root'),
      mountOfVfsmount: at('mount', 'mnt'),
      mountParent: at('mount', 'mnt_parent'),
      mountMountpoint: at('mount', 'mnt_mountpoint'),
    })),
  };
}
