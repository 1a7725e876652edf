// How many files the process may open. Loading bpfql opens about a hundred module files at once,
// and a query holds a descriptor per map, program, link and perf event (one per CPU for sampling):
// under a low `ulimit -n` Node's module loader would fail with a stack trace, so the limit is
// checked before anything is loaded.
import { readFileSync } from 'node:fs';

/** Open files bpfql asks for: loading takes about 120 (measured), queries and DuckDB the rest. */
export const MIN_OPEN_FILES = 256;

/** The soft RLIMIT_NOFILE in /proc/<pid>/limits text ("Max open files  1024  4096  files"); undefined if absent. */
export function parseOpenFilesLimit(limits: string): number | undefined {
  const m = /^Max open files\s+(\d+|unlimited)\s/m.exec(limits);
  if (!m) return undefined;
  return m[1] === 'unlimited' ? Infinity : Number(m[1]);
}

/** What to say when the limit is too low to run bpfql, else undefined. */
export function openFilesProblem(limit: number | undefined): string | undefined {
  if (limit === undefined || limit >= MIN_OPEN_FILES) return undefined;
  return `bpfql needs to open at least ${MIN_OPEN_FILES} files, but the limit (ulimit -n) is ${limit}: raise it, e.g. \`ulimit -n 1024\``;
}

export function ownOpenFilesLimit(): number | undefined {
  try {
    return parseOpenFilesLimit(readFileSync('/proc/self/limits', 'utf8'));
  } catch {
    return undefined;
  }
}
