// The tracing tools compared, as command lines, and how to read from each one's output how many
// events it counted for the workload (the check that it really was attached the whole time).
import { execFileSync } from 'node:child_process';
import { CLI } from '../test/helpers/cli.js';
import { readFileSync } from 'node:fs';
import { GETPPID_ID, WORKLOAD_COMM } from './workload.js';

export type ToolName = 'bpfql' | 'bpftrace';

export interface ToolQuery {
  readonly tool: ToolName;
  /** What the query does, for the table. */
  readonly what: string;
  readonly command: string;
  readonly args: readonly string[];
  /** The query text, for the report. */
  readonly text: string;
  /** The count the tool printed for the workload's events, or undefined if it printed none. */
  workloadCount(stdout: string): number | undefined;
}

/** bpftrace's version line, or undefined when it is not installed. */
export function bpftraceVersion(): string | undefined {
  try {
    return execFileSync('bpftrace', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

/** Queries that run until SIGINT; FOR 60s only bounds a run the bench failed to stop. */
function bpfql(what: string, query: string, key: string, value: string | number): ToolQuery {
  const text = `${query} FOR 60s`;
  return {
    tool: 'bpfql',
    what,
    command: process.execPath,
    args: [CLI, '--format', 'json', text],
    text,
    workloadCount(stdout) {
      let rows: unknown;
      try {
        rows = JSON.parse(stdout);
      } catch {
        return undefined;
      }
      if (!Array.isArray(rows)) return undefined;
      const row = rows.find((r): r is Record<string, unknown> => typeof r === 'object' && r !== null && (r as Record<string, unknown>)[key] === value);
      return typeof row?.['n'] === 'number' ? row['n'] : undefined;
    },
  };
}

function bpftrace(what: string, program: string, key: string): ToolQuery {
  return {
    tool: 'bpftrace',
    what,
    command: 'bpftrace',
    args: ['-e', program],
    text: program,
    workloadCount(stdout) {
      const m = new RegExp(`^@\\[${key}\\]: (\\d+)$`, 'm').exec(stdout);
      return m ? Number(m[1]) : undefined;
    },
  };
}

export const BY_COMM = 'count by comm';
export const FILTERED = `comm = '${WORKLOAD_COMM}', count by syscall id`;

export function bpfqlQueries(): ToolQuery[] {
  return [
    bpfql(BY_COMM, 'SELECT comm, count(*) AS n FROM tracepoint.raw_syscalls.sys_enter GROUP BY comm', 'comm', WORKLOAD_COMM),
    bpfql(
      FILTERED,
      `SELECT id, count(*) AS n FROM tracepoint.raw_syscalls.sys_enter WHERE comm = '${WORKLOAD_COMM}' GROUP BY id`,
      'id',
      GETPPID_ID,
    ),
  ];
}

export const STREAMED = `comm = '${WORKLOAD_COMM}' AND id = ${GETPPID_ID}, rows streamed, counted in DuckDB`;

/**
 * A query the kernel cannot aggregate (count DISTINCT), so every matching event is streamed
 * through the ring buffer into DuckDB: the per-event cost of streaming. The row with d = 1
 * holds the count.
 */
export function bpfqlStreamQuery(): ToolQuery {
  return bpfql(
    STREAMED,
    `SELECT count(DISTINCT id) AS d, count(*) AS n FROM tracepoint.raw_syscalls.sys_enter WHERE comm = '${WORKLOAD_COMM}' AND id = ${GETPPID_ID}`,
    'd',
    1,
  );
}

export const BY_COMM_SYSCALLS = 'FROM syscalls, count by comm (sys_enter alone since pay-for-use)';
export const FILTERED_SYSCALLS = `FROM syscalls, comm = '${WORKLOAD_COMM}', count by syscall`;

/** The same two queries over the curated `syscalls` table, for a catalog that has it. */
export function bpfqlSyscallsQueries(): ToolQuery[] {
  return [
    bpfql(BY_COMM_SYSCALLS, 'SELECT comm, count(*) AS n FROM syscalls GROUP BY comm', 'comm', WORKLOAD_COMM),
    bpfql(FILTERED_SYSCALLS, `SELECT syscall, count(*) AS n FROM syscalls WHERE comm = '${WORKLOAD_COMM}' GROUP BY syscall`, 'syscall', 'getppid'),
  ];
}

export const CGROUP_FILTERED = 'count by comm, cgroup = the workload\'s (a container filter: cgroup id set in the kernel)';

/**
 * Count by comm kept to the bench's own cgroup v2 (the workload inherits it), as a container
 * filter is: the planner turns `cgroup = '…'` into a lookup of the cgroup id in a set map.
 */
export function bpfqlCgroupQuery(): ToolQuery {
  const line = readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((l) => l.startsWith('0::'));
  const path = line === undefined ? '/' : line.slice(3);
  return bpfql(CGROUP_FILTERED, `SELECT comm, count(*) AS n FROM tracepoint.raw_syscalls.sys_enter WHERE cgroup = '${path.replaceAll("'", "''")}' GROUP BY comm`, 'comm', WORKLOAD_COMM);
}

export function bpftraceQueries(): ToolQuery[] {
  return [
    bpftrace(BY_COMM, 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }', WORKLOAD_COMM),
    bpftrace(FILTERED, `tracepoint:raw_syscalls:sys_enter /comm == "${WORKLOAD_COMM}"/ { @[args->id] = count(); }`, String(GETPPID_ID)),
  ];
}
