// tracefs: where tracepoint ids and formats are read. On a fresh machine it may be unmounted;
// bpfql mounts it when it can (as root), and otherwise says how to.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { closest } from '../diag/messages.js';
import { Errno, KernelError } from './errors.js';

const MOUNT_POINT = '/sys/kernel/tracing';
/** Where tracefs shows up when only debugfs is mounted (older setups). */
const DEBUGFS_PATH = '/sys/kernel/debug/tracing';

let cachedRoot: string | undefined;

// stat, not access(2) (existsSync): access checks with the real uid and no capabilities, so it
// would hide tracefs from a user who may read it through CAP_DAC_READ_SEARCH.
function present(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch (e) {
    if (errnoOf(e) === Errno.EACCES || errnoOf(e) === Errno.EPERM) {
      throw new KernelError('tracefs', Errno.EACCES, { message: `cannot read tracefs at ${path}` });
    }
    throw e;
  }
}

function mounted(): string | undefined {
  return [MOUNT_POINT, DEBUGFS_PATH].find((dir) => present(join(dir, 'events')));
}

/**
 * The tracefs directory, mounting tracefs at /sys/kernel/tracing when it is absent and we are
 * root. A tracefs that is there but unreadable is a privilege refusal (op 'tracefs', EACCES).
 */
export function tracefsRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let root = mounted();
  const asRoot = process.getuid?.() === 0;
  if (root === undefined && asRoot) {
    try {
      execFileSync('mount', ['-t', 'tracefs', 'nodev', MOUNT_POINT], { stdio: 'pipe' });
    } catch (e) {
      const detail = e instanceof Error && 'stderr' in e ? String(e.stderr).trim() : String(e);
      throw new KernelError('mount tracefs', Errno.ENODEV, {
        message: `tracefs is not mounted and mounting it at ${MOUNT_POINT} failed: ${detail}`,
        hint: `mount it by hand: mount -t tracefs nodev ${MOUNT_POINT}`,
      });
    }
    root = mounted();
  }
  if (root === undefined) {
    throw new KernelError('mount tracefs', Errno.ENODEV, {
      message: asRoot ? `tracefs is not available at ${MOUNT_POINT}` : `tracefs is not mounted, and only root may mount it`,
      hint: `mount it as root: mount -t tracefs nodev ${MOUNT_POINT}`,
    });
  }
  cachedRoot = root;
  return root;
}

// Names go into a path: refuse anything that could step outside events/.
const NAME = /^[A-Za-z0-9_]+$/;

function eventFile(category: string, event: string, file: string): string {
  if (!NAME.test(category) || !NAME.test(event)) {
    throw new KernelError(`tracepoint ${category}:${event}`, Errno.EINVAL, {
      message: `'${category}:${event}' is not a tracepoint name`,
    });
  }
  const path = join(tracefsRoot(), 'events', category, event, file);
  try {
    return readFileSync(path, 'latin1');
  } catch (e) {
    throw missingTracepoint(category, event, e);
  }
}

function errnoOf(e: unknown): number {
  const code = e instanceof Error && 'code' in e ? e.code : undefined;
  switch (code) {
    case 'ENOENT':
      return Errno.ENOENT;
    case 'EACCES':
      return Errno.EACCES;
    case 'EPERM':
      return Errno.EPERM;
    default:
      return Errno.EINVAL;
  }
}

function missingTracepoint(category: string, event: string, cause: unknown): KernelError {
  const op = `tracepoint ${category}:${event}`;
  const errno = errnoOf(cause);
  if (errno !== Errno.ENOENT) return new KernelError(op, errno, { message: `cannot read ${op}: ${String(cause)}` });
  const events = join(tracefsRoot(), 'events');
  let hint: string;
  if (present(join(events, category))) {
    const near = closest(event, readdirSync(join(events, category)));
    hint = near.length > 0 ? `did you mean ${near.map((n) => `${category}:${n}`).join(', ')}?` : `see ${join(events, category)}`;
  } else {
    const near = closest(category, readdirSync(events));
    hint = near.length > 0 ? `no category '${category}'; did you mean ${near.join(', ')}?` : `no category '${category}'`;
  }
  return new KernelError(op, Errno.ENOENT, { message: `this kernel has no tracepoint ${category}:${event}`, hint });
}

/** The id perf_event_open needs for a tracepoint (events/<cat>/<ev>/id). */
export function tracepointId(category: string, event: string): number {
  const text = eventFile(category, event, 'id').trim();
  const id = Number(text);
  if (!Number.isInteger(id) || id < 0) {
    throw new KernelError(`tracepoint ${category}:${event}`, Errno.EINVAL, { message: `bad tracepoint id '${text}'` });
  }
  return id;
}

/** The text of events/<cat>/<ev>/format: the fields of the tracepoint's record. */
export function readFormat(category: string, event: string): string {
  return eventFile(category, event, 'format');
}

export interface TracepointName {
  readonly category: string;
  readonly event: string;
}

/** Parses available_events: one "category:event" per line. */
export function parseAvailableEvents(text: string): TracepointName[] {
  const out: TracepointName[] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    out.push({ category: line.slice(0, colon), event: line.slice(colon + 1).trim() });
  }
  return out;
}

/** Every tracepoint of the running kernel, from tracefs's available_events. */
export function listTracepoints(): TracepointName[] {
  return parseAvailableEvents(readFileSync(join(tracefsRoot(), 'available_events'), 'latin1'));
}
