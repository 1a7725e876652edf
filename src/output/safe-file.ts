// Files bpfql writes at a path the user names (exports, `bpfql run` reports and baselines). bpfql
// runs as root, often in directories other users can write to, so a name planted there (a symlink
// at the target, or at a temporary name next to it) must not redirect the write. The content is
// written into a fresh directory only root can enter (mkdtemp, 0700), made next to the target so
// the final rename stays on one filesystem, and renamed over the target once complete: a rename
// replaces a link rather than following it, and a failed write leaves nothing behind. Both
// directories are held open and reached through /proc/self/fd, so renaming them while bpfql writes
// does not move the write elsewhere. Rows a query streams to a file go to the target itself, as
// they arrive (openEmptied), so they can be read while it runs.
import { closeSync, chmodSync, constants, fstatSync, ftruncateSync, lstatSync, mkdtempSync, openSync, readdirSync, renameSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

/** A target bpfql refuses to write (a symlink or a directory), or a write that failed, said for the user. */
export class OutputFileError extends Error {
  /** The message without the path: why it failed. */
  readonly detail: string;

  constructor(readonly path: string, detail: string) {
    super(`cannot write ${path}: ${detail}`);
    this.name = 'OutputFileError';
    this.detail = detail;
  }
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Throws unless `path` is absent or a regular (or special, e.g. /dev/null) file that is not a link. */
export function checkTarget(path: string): void {
  let st;
  try {
    st = lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new OutputFileError(path, reason(e));
  }
  if (st.isSymbolicLink()) throw new OutputFileError(path, 'it is a symbolic link, which bpfql does not follow (name the file it points to, if that is meant)');
  if (st.isDirectory()) throw new OutputFileError(path, 'it is a directory');
}

/** A name in the directory open at `fd`, reached through that fd: a rename of the directory does not move it. */
export const fdPath = (fd: number, name?: string): string => `/proc/self/fd/${fd}${name === undefined ? '' : `/${name}`}`;

/** The mode a newly created file gets under the process's umask. */
function createMode(): number {
  // Node has no other way to read the umask; bpfql runs no worker threads to race with.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  return 0o666 & ~process.umask();
}

interface Staging {
  /** Where to write the content. */
  readonly file: string;
  /** Moves the written file over the target. */
  commit(): void;
  /** Removes the private directory and what is left in it; call on every path. */
  cleanup(): void;
}

function stage(path: string): Staging {
  checkTarget(path);
  const name = basename(path);
  let parentFd: number;
  try {
    parentFd = openSync(dirname(resolve(path)), constants.O_RDONLY | constants.O_DIRECTORY);
  } catch (e) {
    throw new OutputFileError(path, reason(e));
  }
  let dirName: string | undefined;
  let dirFd: number | undefined;
  const cleanup = (): void => {
    // Best effort, and never in the way of the error being reported: what is left is in a
    // directory only root can enter.
    try {
      if (dirFd !== undefined) {
        for (const entry of readdirSync(fdPath(dirFd))) unlinkSync(fdPath(dirFd, entry));
        closeSync(dirFd);
      }
      // Fails if someone renamed it away; it is empty by now.
      if (dirName !== undefined) rmdirSync(fdPath(parentFd, dirName));
    } catch {
      // nothing more can be done
    }
    closeSync(parentFd);
  };
  try {
    dirName = basename(mkdtempSync(fdPath(parentFd, '.bpfql-')));
    dirFd = openSync(fdPath(parentFd, dirName), constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  } catch (e) {
    cleanup();
    throw new OutputFileError(path, reason(e));
  }
  const file = fdPath(dirFd, name);
  return {
    file,
    commit: () => {
      try {
        chmodSync(file, createMode());
        checkTarget(path);
        renameSync(file, fdPath(parentFd, name));
      } catch (e) {
        throw e instanceof OutputFileError ? e : new OutputFileError(path, reason(e));
      }
    },
    cleanup,
  };
}

/**
 * Replaces `path` with what `write` puts at the path it is given (e.g. DuckDB's COPY). Errors of
 * `write` are passed to `explain` with that path, to say them in terms of `path`.
 */
export async function replaceFile(path: string, write: (staged: string) => Promise<void>, explain: (e: unknown, staged: string) => Error): Promise<void> {
  const s = stage(path);
  try {
    try {
      await write(s.file);
    } catch (e) {
      throw explain(e, s.file);
    }
    s.commit();
  } finally {
    s.cleanup();
  }
}

/** Replaces `path` with `text`, the same way. */
export function replaceFileText(path: string, text: string): void {
  const s = stage(path);
  try {
    writeWhole(s.file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600, text, path);
    s.commit();
  } finally {
    s.cleanup();
  }
}

/**
 * Appends `text` to `path`, creating it with `mode` (under the umask) if absent. A symlink at `path`
 * is refused, not followed (O_NOFOLLOW), so a planted link can't make root append elsewhere.
 */
export function appendFileText(path: string, text: string, mode = 0o666): void {
  checkTarget(path);
  writeWhole(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, mode, text, path);
}

/**
 * Opens `path` to append to it for as long as the caller writes (an alert log), creating it 0600
 * (it may hold what the alerts saw). As appendFileText, a symlink at `path` is refused, and so is
 * anything but a regular file or a character device (a FIFO would block the writer). Returns the fd.
 */
export function openAppendOnly(path: string): number {
  checkTarget(path);
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK, 0o600);
    const st = fstatSync(fd);
    if (!st.isFile() && !st.isCharacterDevice()) throw new Error('it is not a regular file');
    return fd;
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    throw new OutputFileError(path, reason(e));
  }
}

/**
 * Opens `path` for writing from its start, emptied (created under the umask if absent): for rows
 * written to the named file as they arrive, where a staged copy renamed at the end would show
 * nothing until then. Refused, before anything is emptied: a symlink (O_NOFOLLOW), anything but a
 * regular file or a character device, and a regular file with other hard links (a link planted in
 * a shared directory must not make root empty another file).
 */
export function openEmptied(path: string): number {
  checkTarget(path);
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK, createMode());
    const st = fstatSync(fd);
    if (!st.isFile() && !st.isCharacterDevice()) throw new Error('it is not a regular file');
    if (st.isFile() && st.nlink > 1) throw new Error('it has other hard links, which bpfql does not write through');
    if (st.isFile()) ftruncateSync(fd, 0);
    return fd;
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    throw new OutputFileError(path, reason(e));
  }
}

/** Opens `file` with `flags` and writes all of `text` (a short write is written on); errors name `shown`. */
function writeWhole(file: string, flags: number, mode: number, text: string, shown: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(file, flags, mode);
    const data = Buffer.from(text);
    for (let at = 0; at < data.length; ) at += writeSync(fd, data, at);
  } catch (e) {
    throw new OutputFileError(shown, reason(e));
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
