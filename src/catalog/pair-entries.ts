// A curated table's entry events as the kernel table's PairEntry list: each one's conditions and
// update read from its own record format (an `update` event's format may differ from the
// entries' one, as tcp_life's sends and receives do from its state changes).
import type { EntryRef } from './curated.js';
import { fieldRef } from './curated.js';
import type { TracepointFormat } from './format.js';
import type { EventSource, PairEntry } from './table.js';

export function pairEntry(e: EntryRef, format: TracepointFormat, source: EventSource): PairEntry {
  const when = e.when?.map((c) => ({ field: fieldRef(format, c.field), values: c.values }));
  const u = e.update;
  const update = u && {
    key: u.key.map((k) => fieldRef(format, k)),
    ...(u.task ? { task: u.task } : {}),
    ...(u.add ? { add: { field: fieldRef(format, u.add.field), counter: u.add.counter } } : {}),
  };
  return {
    source,
    ...(e.restamp === true ? { restamp: true } : {}),
    ...(when ? { when } : {}),
    ...(update ? { update } : {}),
  };
}
