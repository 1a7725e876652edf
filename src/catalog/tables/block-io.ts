// `block_io`: one row per completed block request, pairing its issue (block:block_rq_issue) with
// its completion (block:block_rq_complete) by device and sector (a request is known by where it
// goes, not by a thread: it completes in interrupt context). The row's task is the one that
// submitted the request (block:block_io_start runs in it; kernels before 6.5 lack that event,
// and the task that issued it to the driver stands in), as biosnoop shows it; the task that ran
// the completion is complete_pid / complete_comm.
import type { CuratedTable } from '../curated.js';
import { fieldRef, intColumn, requireEntry } from '../curated.js';
import { S32, STRING, U64 } from '../types.js';
import { decodedColumn, entryColumn, entryTaskColumns, latencyColumn, stringColumn } from './columns.js';

export const blockIoTable: CuratedTable = {
  name: 'block_io',
  description: 'block device requests: who submitted them, device, sector, size, operation, latency (block:block_rq_issue/complete)',
  event: { category: 'block', event: 'block_rq_complete' },
  entries: [{ category: 'block', event: 'block_rq_issue', restamp: true }, { category: 'block', event: 'block_io_start', optional: true }],
  build(complete, issueFormat) {
    const issue = requireEntry(issueFormat, 'block_io');
    const saved = [fieldRef(issue, 'bytes')];
    return {
      columns: [
        decodedColumn(complete, 'dev', 'dev', 'dev', 'device as major:minor (see /sys/dev/block/)'),
        intColumn(complete, 'sector', 'sector', 'first sector (512 bytes each)', U64),
        entryColumn(saved, 0, 'bytes', 'bytes of the request when it was issued'),
        stringColumn(complete, 'rwbs', 'op', 'operation: R read, W write, D discard, F flush; S sync, M metadata, A readahead, …'),
        intColumn(complete, 'error', 'error', '0, or -errno', S32),
        latencyColumn('nanoseconds from issue to completion'),
        { name: 'complete_pid', type: S32, source: { kind: 'builtin', name: 'pid' }, description: 'process id of the task that ran the completion (often an interrupt in another task)' },
        { name: 'complete_comm', type: STRING, source: { kind: 'builtin', name: 'comm' }, description: 'its command name' },
      ],
      common: entryTaskColumns('of the task that submitted the request'),
      pairing: {
        key: { kind: 'fields', entry: [fieldRef(issue, 'dev'), fieldRef(issue, 'sector')], exit: [fieldRef(complete, 'dev'), fieldRef(complete, 'sector')] },
        saved,
      },
    };
  },
};
