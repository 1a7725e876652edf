// The process's own families under the names every Prometheus exporter uses, with the host label.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { processFamilies } from '../../../src/output/metrics/process.js';
import { renderFamilies } from '../../../src/output/metrics/prometheus.js';

test('process families render as the exporters\' conventional series', () => {
  const families = processFamilies({ cpuSeconds: 12.5, residentBytes: 131_072_000, startTimeSeconds: 1_796_000_000.25, openFds: 23, heapUsedBytes: 20_000_000, heapTotalBytes: 25_000_000, externalBytes: 3_000_000 }, 0, [['host', 'a']]);
  const text = renderFamilies(families, 'text');
  const series = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  assert.deepEqual(series, [
    'process_cpu_seconds_total{host="a"} 12.5',
    'process_resident_memory_bytes{host="a"} 131072000',
    'process_start_time_seconds{host="a"} 1796000000.25',
    'process_open_fds{host="a"} 23',
    'nodejs_heap_size_used_bytes{host="a"} 20000000',
    'nodejs_heap_size_total_bytes{host="a"} 25000000',
    'nodejs_external_memory_bytes{host="a"} 3000000',
  ]);
  assert.match(text, /^# TYPE process_cpu_seconds_total counter$/m);
});
