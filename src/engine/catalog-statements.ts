// SHOW TABLES and DESCRIBE over the kernel catalog, and the catalog as DuckDB tables
// (bpfql_tables, bpfql_columns) so that it can be queried with SQL and used for completion.
import type { Catalog } from '../catalog/catalog.js';
import { TRACEPOINT_PREFIX } from '../catalog/catalog.js';
import type { Column } from '../catalog/column.js';
import type { CuratedTable } from '../catalog/curated.js';
import { DECODERS } from '../catalog/decoders.js';
import { CURATED_TABLES } from '../catalog/tables/index.js';
import type { KernelTable, TableResolution } from '../catalog/table.js';
import { describeTableSource, hookName } from '../catalog/table.js';
import type { ColumnBatch, ColumnData, ResultColumn } from '../catalog/types.js';
import { BOOL, STRING, typeName } from '../catalog/types.js';
import { diagnostic, QueryError } from '../diag/diagnostic.js';
import type { TableRef } from '../query/ast.js';
import { codeTokens, tokenName } from '../query/scan.js';
import type { QueryResult, Session } from '../store/session.js';
import { assertNever } from '../diag/assert-never.js';
import { typedRows } from './describe-btf.js';

/** The catalog's own DuckDB tables, made the first time a statement names one. */
export const CATALOG_TABLES = ['bpfql_tables', 'bpfql_columns'] as const;

/** Whether the statement's code names one of them (a string or a comment that does is no use of it). */
export function mentionsCatalogTables(sql: string): boolean {
  const names: readonly string[] = CATALOG_TABLES;
  return codeTokens(sql).some((t) => names.includes(tokenName(t)?.toLowerCase() ?? ''));
}

/** The type users see: a decoded column's text, otherwise the kernel value's type. */
export function columnTypeName(c: Column): string {
  return typeName(c.decode ? STRING : c.type);
}

function columnDescription(c: Column): string {
  const text = c.decode ? `${c.description} (text: ${DECODERS[c.decode].shows}; the kernel records a ${typeName(c.type)})` : c.description;
  return c.hidden === true ? `${text}; not part of *, name it to get it` : text;
}

/** Where a table's rows come from, including the conditions that make it a part of its event. */
function sourceText(t: KernelTable): string {
  const where = (t.where ?? []).map((w) => ('above' in w ? `${w.column.name} > ${w.above}` : `${w.column.name} ${w.negated === true ? 'NOT IN' : 'IN'} (${w.oneOf.join(', ')})`));
  return where.length > 0 ? `${describeTableSource(t)} where ${where.join(' and ')}` : describeTableSource(t);
}

function curatedSource(t: CuratedTable): string {
  const exit = `tracepoint ${t.event.category}:${t.event.event}`;
  const entries = (t.entries ?? []).map((e) => `tracepoint ${e.category}:${e.event}`);
  if (entries.length > 0) return `${entries.join(', ')} paired with ${exit}`;
  return [exit, ...(t.also ?? []).map((o) => `tracepoint ${o.event.category}:${o.event.event}`)].join(' and ');
}

interface TableRow {
  readonly name: string;
  readonly kind: 'curated' | 'tracepoint';
  readonly source: string;
  readonly available: boolean;
  readonly reason: string | null;
  readonly description: string;
}

function tableRow(name: string, kind: TableRow['kind'], r: TableResolution): TableRow {
  switch (r.kind) {
    case 'table':
      return { name, kind, source: sourceText(r.table), available: true, reason: null, description: r.table.description };
    case 'unavailable':
    case 'unknown': {
      const curated = CURATED_TABLES.find((t) => t.name === name);
      const fallback = kind === 'tracepoint' ? `tracepoint ${name.slice(TRACEPOINT_PREFIX.length).replace('.', ':')}` : '';
      return {
        name, kind,
        source: curated ? curatedSource(curated) : fallback,
        available: false,
        reason: r.kind === 'unavailable' ? r.reason : 'this kernel has no such tracepoint',
        description: curated?.description ?? fallback,
      };
    }
    default:
      return assertNever(r);
  }
}

function curatedRows(catalog: Catalog): TableRow[] {
  return catalog.curatedNames().map((name) => tableRow(name, 'curated', catalog.resolve(name)));
}

/** The hook an available kernel table's program goes on (its events' kind); null for the rest. */
function hookOf(catalog: Catalog, name: string): string | null {
  const r = catalog.resolve(name);
  return r.kind === 'table' ? hookName(r.table.source) : null;
}

export async function showTables(catalog: Catalog, session: Session): Promise<QueryResult> {
  const rows: unknown[][] = curatedRows(catalog).map((t) => [t.name, 'kernel', t.available, t.available ? t.description : `unavailable: ${t.reason}`, hookOf(catalog, t.name)]);
  rows.push([`${TRACEPOINT_PREFIX}<category>.<event>`, 'kernel', true, `${catalog.tracepointNames().length} tracepoints (listed in bpfql_tables)`, 'tracepoint']);
  rows.push(['bpfql_tables', 'catalog', true, 'every kernel table: name, kind, source, available, reason, description', null]);
  rows.push(['bpfql_columns', 'catalog', true, 'every column of every available kernel table: table_name, column_name, type, description', null]);
  const duck = await session.run("SELECT DISTINCT table_name FROM information_schema.tables WHERE table_name NOT LIKE '__bpfql_%' AND table_name NOT IN ('bpfql_tables', 'bpfql_columns') ORDER BY table_name");
  for (const [name] of duck.rows) rows.push([String(name), 'duckdb', true, '', null]);
  return {
    columns: [{ name: 'name', type: 'VARCHAR' }, { name: 'kind', type: 'VARCHAR' }, { name: 'available', type: 'BOOLEAN' }, { name: 'description', type: 'VARCHAR' }, { name: 'hook', type: 'VARCHAR' }],
    rows,
  };
}

export function describeTable(catalog: Catalog, ref: TableRef): QueryResult {
  const r = catalog.resolve(ref.name);
  if (r.kind === 'unknown') throw new QueryError([diagnostic('unknown-table', { name: ref.name, suggestions: catalog.suggest(ref.name) }, ref.span)]);
  if (r.kind === 'unavailable') throw new QueryError([diagnostic('table-unavailable', { name: r.name, reason: r.reason }, ref.span)]);
  const rows = [...r.table.columns.map((c) => [c.name, columnTypeName(c), columnDescription(c)]), ...typedRows(r.table)];
  rows.push(['(source)', '', r.table.typed?.table === undefined ? sourceText(r.table) : `${sourceText(r.table)}; ${describeTableSource(r.table.typed.table)} when a query reads no record field`]);
  return { columns: [{ name: 'column', type: 'VARCHAR' }, { name: 'type', type: 'VARCHAR' }, { name: 'description', type: 'VARCHAR' }], rows };
}

function text(name: string, values: readonly (string | null)[]): { column: ResultColumn; data: ColumnData } {
  return { column: { name, type: STRING }, data: { kind: 'string', values } };
}

function batchOf(rowCount: number, parts: readonly { column: ResultColumn; data: ColumnData }[]): ColumnBatch {
  return { columns: parts.map((p) => p.column), data: parts.map((p) => p.data), rowCount };
}

/**
 * Creates (or refreshes) bpfql_tables and bpfql_columns as temporary tables: they describe this
 * kernel, so they are never saved in a database file. Every tracepoint's format is read and
 * parsed, which takes a while (about 0.1 s for 2,300 tracepoints), hence only on demand.
 */
export async function createCatalogTables(catalog: Catalog, session: Session): Promise<void> {
  const tables = [
    ...curatedRows(catalog),
    ...catalog.tracepointNames().sort().map((name) => tableRow(name, 'tracepoint', catalog.resolve(name))),
  ];
  await session.run('CREATE OR REPLACE TEMP TABLE bpfql_tables (name VARCHAR, kind VARCHAR, source VARCHAR, available BOOLEAN, reason VARCHAR, description VARCHAR)');
  await session.appendColumns('bpfql_tables', batchOf(tables.length, [
    text('name', tables.map((t) => t.name)),
    text('kind', tables.map((t) => t.kind)),
    text('source', tables.map((t) => t.source)),
    { column: { name: 'available', type: BOOL }, data: { kind: 'bool', values: tables.map((t) => t.available) } },
    text('reason', tables.map((t) => t.reason)),
    text('description', tables.map((t) => t.description)),
  ]));

  const columns: { table: string; column: Column }[] = [];
  for (const t of tables) {
    const r = catalog.resolve(t.name);
    if (r.kind === 'table') r.table.columns.forEach((column) => columns.push({ table: t.name, column }));
  }
  await session.run('CREATE OR REPLACE TEMP TABLE bpfql_columns (table_name VARCHAR, column_name VARCHAR, type VARCHAR, description VARCHAR)');
  await session.appendColumns('bpfql_columns', batchOf(columns.length, [
    text('table_name', columns.map((c) => c.table)),
    text('column_name', columns.map((c) => c.column.name)),
    text('type', columns.map((c) => columnTypeName(c.column))),
    text('description', columns.map((c) => columnDescription(c.column))),
  ]));
}
