// How the kernel keeps a file's path (bpf-templates/fd-file.ts writes it, runtime/fd-path-text.ts
// makes it text): a header word, then FD_PATH_BYTES bytes of dentry names, the file's own first
// and each followed by its NUL, found walking up d_parent, and from the root of a mount to the
// dentry it is mounted on. BPF cannot write a path from the root down without knowing its length,
// so the kernel keeps it upside down and user space turns it over.

/** Bytes of names kept (as for every other path column); a longer path is cut at its top. */
export const FD_PATH_BYTES = 128;

/** Steps up the tree the kernel takes at most: each is one name, or one mount crossed. */
export const FD_PATH_LEVELS = 16;

/** What the header word says about the names after it. */
export const FdPathHeader = {
  /** The fd was not open when the program looked. */
  none: 0,
  /** The walk stopped at FD_PATH_BYTES or FD_PATH_LEVELS before the root: the top is missing. */
  cut: 1,
  /** The walk reached the root of the mount tree: the names are the whole path. */
  root: 2,
  /**
   * The file is in no tree (a pipe, a socket, an eventfd: a dentry that is its own parent and no
   * mount's root). The header is `pseudo | file type (i_mode >> 12) << 4 | inode number << 8`,
   * and the names are the dentry's own name alone.
   */
  pseudo: 3,
} as const;

/** The file types (i_mode >> 12) that /proc names by their inode number, and how it names them. */
export const PSEUDO_FILE_PREFIX: Readonly<Record<number, string>> = { 0o01: 'pipe', 0o14: 'socket' };

/** What a cut path starts with: the names that did not fit are left out. */
export const CUT_PATH_MARK = '…/';
