// The tables the generators draw from: every table the fixture catalog resolves, with the kind
// of each column, so generated expressions are mostly well typed.
import type { Catalog } from '../../src/catalog/catalog.js';
import type { KernelTable } from '../../src/catalog/table.js';

export type ColumnKind = 'int' | 'string' | 'time';

export interface TableShape {
  readonly name: string;
  /** What FROM says: the name, or a table function's call. */
  readonly from: string;
  readonly columns: readonly { readonly name: string; readonly kind: ColumnKind }[];
}

/** A function of libc with symbols to place a uprobe on, where Debian keeps libc. */
const LIBC = { binary: '/usr/lib/x86_64-linux-gnu/libc.so.6', symbol: 'malloc' };

export function tableShapes(catalog: Catalog): TableShape[] {
  const out: TableShape[] = [];
  const tables: { from: string; table: KernelTable }[] = [];
  // Each category's wildcard table too: one program per event (KernelTable.also), all to verify.
  const wildcards = [...new Set(catalog.tracepointNames().map((n) => n.slice(0, n.lastIndexOf('.'))))].map((c) => `${c}.*`);
  for (const name of [...catalog.curatedNames(), ...catalog.tracepointNames(), ...wildcards]) {
    const r = catalog.resolve(name);
    if (r.kind === 'table') tables.push({ from: name, table: r.table });
  }
  tables.push({ from: 'profile(99)', table: catalog.profile(99) });
  const uprobe = catalog.uprobe(LIBC.binary, LIBC.symbol);
  if (uprobe.kind === 'table') tables.push({ from: `uprobe('${LIBC.binary}', '${LIBC.symbol}')`, table: uprobe.table });
  for (const { from, table } of tables) {
    const columns = table.columns.flatMap((c): { name: string; kind: ColumnKind }[] => {
      switch (c.type.kind) {
        case 'int': return [{ name: c.name, kind: 'int' }];
        case 'string': return [{ name: c.name, kind: 'string' }];
        case 'timestamp': return [{ name: c.name, kind: 'time' }];
        case 'float': case 'bool': case 'buckets': case 'bytes': case 'strings': return [];
      }
    });
    out.push({ name: table.name, from, columns });
  }
  return out;
}

export function columnsOfKind(t: TableShape, kind: ColumnKind): string[] {
  return t.columns.filter((c) => c.kind === kind).map((c) => c.name);
}
