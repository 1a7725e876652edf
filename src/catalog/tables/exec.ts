// `exec`: one row per successful execve, from sched:sched_process_exec (fires after the new
// program is loaded, so comm is already the new program's name, and its arguments are in place
// in its memory: a failed exec has no row, and no arguments to show).
import type { CuratedTable } from '../curated.js';
import { requireField } from '../curated.js';
import { fieldColumn } from '../tracepoint-columns.js';
import type { Column } from '../column.js';
import { ARGV_BYTES } from '../column.js';
import type { TracepointFormat } from '../format.js';
import { argStringColumn } from './columns.js';
import { STRINGS } from '../types.js';

export const execTable: CuratedTable = {
  name: 'exec',
  description: 'process executions (sched:sched_process_exec)',
  event: { category: 'sched', event: 'sched_process_exec' },
  build(format) {
    return { columns: [filenameColumn(format), ARGV] };
  },
  // TP_PROTO(struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm): the record copies
  // the string bprm->filename points to.
  raw(format) {
    return { columns: [argStringColumn(filenameColumn(format), 2, [[['linux_binprm', 'filename']], []]), ARGV] };
  },
};

function filenameColumn(format: TracepointFormat): Column {
  return { ...fieldColumn(requireField(format, 'filename')), description: 'path of the executed file' };
}

const ARGV: Column = { name: 'argv', type: STRINGS, source: { kind: 'exec-args' }, description: `the arguments (argv[0] first), ${ARGV_BYTES} bytes of them at most: a cut list ends in an element ending with …` };
