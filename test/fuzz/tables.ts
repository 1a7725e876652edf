// The tables the generators draw from: every table the fixture catalog resolves, with the kind
// of each column, so generated expressions are mostly well typed.
import type { Catalog } from '../../src/catalog/catalog.js';

export type ColumnKind = 'int' | 'string' | 'time';

export interface TableShape {
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly kind: ColumnKind }[];
}

export function tableShapes(catalog: Catalog): TableShape[] {
  const out: TableShape[] = [];
  for (const name of [...catalog.curatedNames(), ...catalog.tracepointNames()]) {
    const r = catalog.resolve(name);
    if (r.kind !== 'table') continue;
    const columns = r.table.columns.flatMap((c): { name: string; kind: ColumnKind }[] => {
      switch (c.type.kind) {
        case 'int': return [{ name: c.name, kind: 'int' }];
        case 'string': return [{ name: c.name, kind: 'string' }];
        case 'timestamp': return [{ name: c.name, kind: 'time' }];
        case 'float': case 'bool': case 'buckets': return [];
      }
    });
    out.push({ name, columns });
  }
  return out;
}

export function columnsOfKind(t: TableShape, kind: ColumnKind): string[] {
  return t.columns.filter((c) => c.kind === kind).map((c) => c.name);
}
