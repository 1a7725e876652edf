// Kernel tables: an event source and the columns its events carry.
import type { Column } from './column.js';

export type EventSource = { readonly kind: 'tracepoint'; readonly category: string; readonly event: string };

export interface KernelTable {
  readonly name: string;
  readonly description: string;
  readonly source: EventSource;
  readonly columns: readonly Column[];
}

/** What the catalog says about a name. */
export type TableResolution =
  | { readonly kind: 'table'; readonly table: KernelTable }
  | { readonly kind: 'unavailable'; readonly name: string; readonly reason: string }
  | { readonly kind: 'unknown'; readonly name: string };

export function describeSource(s: EventSource): string {
  return `tracepoint ${s.category}:${s.event}`;
}
