// Query results written to files by DuckDB's COPY, the format chosen by the file's extension.
// DuckDB writes into a private directory and the finished file replaces the target (safe-file.ts).

import { OutputFileError, replaceFile } from './safe-file.js';
import type { Session } from '../store/session.js';
import { quoteString } from '../store/sql-text.js';

export type ExportFormat = 'parquet' | 'csv' | 'json' | 'ndjson';

const byExtension: Readonly<Record<string, ExportFormat>> = {
  parquet: 'parquet',
  csv: 'csv',
  json: 'json',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
};

/** The export format named by a path's extension (any case), or undefined. */
export function exportFormatOf(path: string): ExportFormat | undefined {
  const dot = path.lastIndexOf('.');
  if (dot < 0 || dot < path.lastIndexOf('/')) return undefined;
  return byExtension[path.slice(dot + 1).toLowerCase()];
}

export interface ExportOptions {
  /** Parquet only: key/value metadata for the file footer (read with parquet_kv_metadata()). */
  readonly metadata?: Readonly<Record<string, string>>;
}

function copyOptions(format: ExportFormat, opts: ExportOptions | undefined): string {
  switch (format) {
    case 'parquet': {
      const entries = Object.entries(opts?.metadata ?? {});
      if (entries.length === 0) return 'FORMAT parquet';
      return `FORMAT parquet, KV_METADATA {${entries.map(([k, v]) => `${quoteString(k)}: ${quoteString(v)}`).join(', ')}}`;
    }
    case 'csv': return 'FORMAT csv, HEADER true';
    case 'json': return 'FORMAT json, ARRAY true';
    case 'ndjson': return 'FORMAT json';
  }
}

/**
 * Writes the result of `sql` (one query, trailing semicolons allowed) to `path`, replacing the file
 * once it is complete. Throws OutputFileError naming `path` when it can't be written (a symlink, a
 * directory, a full disk); a failed query's error is passed on as it is.
 */
export async function exportQuery(session: Session, sql: string, path: string, opts?: ExportOptions): Promise<void> {
  const format = exportFormatOf(path);
  if (format === undefined) {
    throw new Error(`can't tell the export format of "${path}": name it .parquet, .csv, .json, .ndjson or .jsonl`);
  }
  const query = sql.replace(/[\s;]+$/, '');
  await replaceFile(
    path,
    (staged) => session.run(`COPY (${query}) TO ${quoteString(staged)} (${copyOptions(format, opts)})`).then(() => undefined),
    (e, staged) => {
      const message = e instanceof Error ? e.message : String(e);
      // DuckDB names the file it was writing: an IO error is about the file, anything else about the query.
      return message.includes(staged) ? new OutputFileError(path, message.replaceAll(staged, path)) : (e instanceof Error ? e : new Error(message));
    },
  );
}
