// Stream mode: the program writes one record per event to a ring buffer, read here as it fills.
import { RING_MAP } from '../bpf-templates/stream-program.js';
import { RingBuffer } from '../kernel/ringbuf.js';
import type { StreamMode } from '../planner/plan.js';
import { RecordDecoder } from './decode-records.js';
import { readStats } from './read-stats.js';
import { RingReader } from './ring-reader.js';
import type { KernelRunOptions } from './run-options.js';
import type { Collected, Running } from './running.js';
import { Sleeper } from './sleeper.js';

/** Reads the ring until the query ends or the row limit is reached. */
export async function stream(run: Running, mode: StreamMode, opts: KernelRunOptions): Promise<Collected> {
  const ring = run.scope.add(new RingBuffer(run.maps.get(RING_MAP)!));
  const decoder = new RecordDecoder(mode, run.wallOffset, run.names);
  const limit = opts.rowLimit ?? Infinity;
  let rows = 0;
  // The ring hands every record in the same view of its data area: wrap it once, not per record.
  let data: Buffer | undefined;
  const onRecord = (view: DataView, offset: number): void => {
    if (rows >= limit) return;
    data ??= Buffer.from(view.buffer, view.byteOffset, view.byteLength);
    decoder.push(data, offset);
    rows++;
  };
  const reader = new RingReader(ring, mode, onRecord, async () => {
    if (decoder.pending > 0 && opts.onRows) await opts.onRows(decoder.take());
  });
  let behind = false;
  const sleeper = new Sleeper([run.ended]);
  while (!run.stopped && rows < limit) {
    // Behind a storm, read on at once (after a turn of the event loop, for signals and timers);
    // otherwise wait for records to gather.
    await sleeper.sleep(behind ? 0 : opts.pollMs ?? 50);
    behind = await reader.drain();
    if (opts.onTick) await opts.onTick({ rows, elapsedMs: performance.now() - run.started, completeness: readStats(run.stats, run.programs) });
  }
  await reader.drain();
  return { rows };
}
