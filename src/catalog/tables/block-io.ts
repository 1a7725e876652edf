// `block_io`: one row per completed block request, pairing block:block_rq_issue with
// block:block_rq_complete by device and sector (a request is known by where it goes, not by a
// thread: it completes in interrupt context). So the common columns (pid, comm, …) are those of
// whatever ran at completion, usually not the issuer.
import type { CuratedTable } from '../curated.js';
import { fieldRef, intColumn, requireEntry } from '../curated.js';
import { S32, U64 } from '../types.js';
import { decodedColumn, entryColumn, latencyColumn, stringColumn } from './columns.js';

export const blockIoTable: CuratedTable = {
  name: 'block_io',
  description: 'block device requests: device, sector, size, operation, latency (block:block_rq_issue/complete)',
  event: { category: 'block', event: 'block_rq_complete' },
  entry: { category: 'block', event: 'block_rq_issue' },
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
      ],
      pairing: {
        key: { kind: 'fields', entry: [fieldRef(issue, 'dev'), fieldRef(issue, 'sector')], exit: [fieldRef(complete, 'dev'), fieldRef(complete, 'sector')] },
        saved,
      },
    };
  },
};
