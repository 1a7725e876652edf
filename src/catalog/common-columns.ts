// The columns every kernel table has, whatever its event.
import type { Column } from './column.js';
import { CGROUP_ATTRS, type CgroupAttr } from './containers.js';
import { S32, STRING, TIMESTAMP, U32, U64 } from './types.js';

export const COMMON_COLUMNS: readonly Column[] = [
  { name: 'ts', type: TIMESTAMP, source: { kind: 'builtin', name: 'ts' }, description: 'time of the event (wall clock)' },
  { name: 'cpu', type: U32, source: { kind: 'builtin', name: 'cpu' }, description: 'CPU the event ran on' },
  { name: 'pid', type: S32, source: { kind: 'builtin', name: 'pid' }, description: 'process id (thread group id)' },
  { name: 'tid', type: S32, source: { kind: 'builtin', name: 'tid' }, description: 'thread id' },
  { name: 'ppid', type: S32, source: { kind: 'task', path: ['real_parent', 'tgid'], size: 4, signed: true }, description: 'parent process id (task_struct, offsets from BTF)' },
  { name: 'uid', type: U32, source: { kind: 'builtin', name: 'uid' }, description: 'user id' },
  { name: 'gid', type: U32, source: { kind: 'builtin', name: 'gid' }, description: 'group id' },
  { name: 'comm', type: STRING, source: { kind: 'builtin', name: 'comm' }, description: 'command name (16 bytes at most)' },
  { name: 'cgroup_id', type: U64, source: { kind: 'builtin', name: 'cgroup_id' }, description: 'cgroup v2 id' },
  ...cgroupColumns(),
];

/**
 * The cgroup's path, container and pod: text made in user space from the cgroup id (the kernel
 * carries nothing else), so they are left out of `SELECT *` like the stack columns and are there
 * when a query names them.
 */
function cgroupColumns(): Column[] {
  const described: { readonly [A in CgroupAttr]: string } = {
    cgroup: 'cgroup v2 path from the hierarchy\'s root',
    container_id: 'container id (64 hex digits) from the cgroup path; NULL outside containers',
    container_runtime: 'docker, containerd, cri-o, podman or systemd (services), from the cgroup path',
    container_name: 'container name (Docker\'s config.v2.json, kubelet\'s logs, the systemd unit)',
    pod_uid: 'Kubernetes pod uid from the cgroup path',
    pod_name: 'Kubernetes pod name (from /var/log/pods)',
    pod_namespace: 'Kubernetes namespace (from /var/log/pods)',
  };
  return CGROUP_ATTRS.map((attr): Column => ({ name: attr, type: STRING, source: { kind: 'cgroup', attr }, description: described[attr], hidden: true }));
}

export const COMMON_COLUMN_NAMES: ReadonlySet<string> = new Set(COMMON_COLUMNS.map((c) => c.name));

/**
 * The common columns that describe the task rather than the moment: the entry of a paired table
 * already has them for its pair (ts and cpu are the exit's, and may differ).
 */
export const TASK_COLUMNS: readonly Column[] = COMMON_COLUMNS.filter((c) => c.name !== 'ts' && c.name !== 'cpu');
