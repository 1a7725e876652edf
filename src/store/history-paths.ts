// Where `--store DIR` keeps a metric's windows: DIR/metric=<name>/host=<host>/date=<YYYY-MM-DD>/,
// hive partitions that DuckDB, Spark and Trino read as columns. Host names come from the system or
// the command line, so they are escaped as hive escapes partition values (%XX); NUL, empty and
// overlong names are refused. Below DIR every directory is opened without following links and
// must be bpfql's own (owned by it, writable by no one else): bpfql runs as root and a link or a
// writable directory planted there would let someone else choose where root writes.
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync } from 'node:fs';
import { fdPath } from '../output/safe-file.js';

/** A path under DIR that cannot be used, said for the user. */
export class HistoryPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryPathError';
  }
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Characters a partition value keeps as they are: a portable file-name set without `=` or `%`. */
const KEPT = /[A-Za-z0-9._-]/;
const NAME_MAX = 255;

/** `metric=<name>`: metric names are identifiers (CREATE METRIC's), anything else is a bug upstream. */
export function metricPart(name: string): string {
  if (!IDENTIFIER.test(name)) throw new HistoryPathError(`metric name '${name}' is not an identifier (letters, digits, _)`);
  return `metric=${name}`;
}

/** `host=<host>`, escaped; throws HistoryPathError for a host name no directory can carry. */
export function hostPart(host: string): string {
  if (host === '') throw new HistoryPathError('the host name is empty: give one with --host');
  if (host.includes('\0')) throw new HistoryPathError('the host name contains a NUL character: give another with --host');
  const part = `host=${escapePartitionValue(host)}`;
  if (Buffer.byteLength(part) > NAME_MAX) throw new HistoryPathError(`the host name is too long for a directory name (${part.length} bytes escaped): give a shorter one with --host`);
  return part;
}

/** `date=<YYYY-MM-DD>` of `ms`, in UTC, so that hosts in every time zone file a moment alike. */
export function datePart(ms: number): string {
  return `date=${new Date(ms).toISOString().slice(0, 10)}`;
}

/**
 * A partition value as a directory name: every byte of its UTF-8 outside [A-Za-z0-9._-] as %XX
 * (hive escapes `/`, `=`, `%`, control characters and a few more the same way; escaping more is
 * read back the same). `..` stays, harmless: the name is `host=..`, never `..` itself.
 */
export function escapePartitionValue(value: string): string {
  let out = '';
  for (const ch of value) {
    if (KEPT.test(ch)) out += ch;
    else for (const b of Buffer.from(ch)) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** DIR, held open for the sink's life; its partition directories are opened per write. */
export class HistoryRoot {
  private readonly fd: number;

  /** Opens (and makes, 0750, if absent) DIR itself, the directory the user named. */
  constructor(readonly path: string) {
    try {
      mkdirSync(path, { recursive: true, mode: 0o750 });
      this.fd = openSync(path, constants.O_RDONLY | constants.O_DIRECTORY);
    } catch (e) {
      throw new HistoryPathError(`cannot use ${path} for --store: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /**
   * Calls `f` with the fd of DIR/parts[0]/parts[1]/…, each made 0750 if absent and none a link,
   * then closes what it opened.
   */
  async within<T>(parts: readonly string[], f: (dirFd: number) => Promise<T>): Promise<T> {
    const opened: number[] = [];
    try {
      let fd = this.fd;
      let shown = this.path;
      for (const part of parts) {
        shown = `${shown}/${part}`;
        fd = openOwnDir(fd, part, shown);
        opened.push(fd);
      }
      return await f(fd);
    } finally {
      for (const fd of opened) closeSync(fd);
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

function openOwnDir(parentFd: number, name: string, shown: string): number {
  const path = fdPath(parentFd, name);
  try {
    mkdirSync(path, 0o750);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new HistoryPathError(`cannot make ${shown}: ${(e as Error).message}`);
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // O_DIRECTORY's ENOTDIR comes before O_NOFOLLOW's ELOOP: which it was, lstat tells.
    if (code === 'ELOOP' || (code === 'ENOTDIR' && isLink(path))) throw new HistoryPathError(`${shown} is a symbolic link, which bpfql does not follow: remove it`);
    if (code === 'ENOTDIR') throw new HistoryPathError(`${shown} is not a directory: remove it`);
    throw new HistoryPathError(`cannot open ${shown}: ${(e as Error).message}`);
  }
  const st = fstatSync(fd);
  if (st.uid !== process.geteuid?.() || (st.mode & 0o022) !== 0) {
    closeSync(fd);
    throw new HistoryPathError(`${shown} was not made by bpfql (owner uid ${st.uid}, mode ${(st.mode & 0o777).toString(8)}): only a directory of its own, writable by no one else, is written in`);
  }
  return fd;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
