// `exec`: one row per successful execve, from sched:sched_process_exec (fires after the new
// program is loaded, so comm is already the new program's name).
import type { CuratedTable } from '../curated.js';
import { requireField } from '../curated.js';
import { fieldColumn } from '../tracepoint-columns.js';

export const execTable: CuratedTable = {
  name: 'exec',
  description: 'process executions (sched:sched_process_exec)',
  event: { category: 'sched', event: 'sched_process_exec' },
  build(format) {
    const filename = fieldColumn(requireField(format, 'filename'));
    return { columns: [{ ...filename, description: 'path of the executed file' }] };
  },
};
