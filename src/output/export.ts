// Query results written to files (`-o FILE`, baselines), the format chosen by the file's extension
// (formats.ts). Where DuckDB writes the format itself (COPY), it does; other formats go through
// their writer. Either way the content is written in a private directory and the finished file
// replaces the target (safe-file.ts).
import type { ExportOptions } from './format-spec.js';
import { exportExtensionsText, exportFormatOf } from './formats.js';
import type { QueryResult } from './result.js';
import { resultText } from './result-text.js';
import { OutputFileError, replaceFile, replaceFileText } from './safe-file.js';
import { quoteString } from '../query/quote.js';
import { assertNever } from '../diag/assert-never.js';

export type { ExportOptions } from './format-spec.js';

/** The database a result is exported from: DuckDB SQL run to its result (the Session). */
export interface ExportSource {
  run(sql: string): Promise<QueryResult>;
}

/**
 * Writes the result of `sql` (one query, trailing semicolons allowed) to `path`, replacing the file
 * once it is complete. Throws OutputFileError naming `path` when it can't be written (a symlink, a
 * directory, a full disk); a failed query's error is passed on as it is.
 */
export async function exportQuery(source: ExportSource, sql: string, path: string, opts: ExportOptions = {}): Promise<void> {
  const format = exportFormatOf(path);
  if (format === undefined) {
    throw new Error(`can't tell the export format of "${path}": name it ${exportExtensionsText()}`);
  }
  const query = sql.replace(/[\s;]+$/, '');
  switch (format.kind) {
    case 'text':
      if (format.copy !== undefined) return copyTo(source, query, path, format.copy(opts));
      replaceFileText(path, resultText(format, await source.run(query)));
      return;
    case 'file':
      return copyTo(source, query, path, format.copy(opts));
    default:
      return assertNever(format);
  }
}

/** DuckDB writes the file: COPY with `options` to a staged path, which then replaces `path`. */
function copyTo(source: ExportSource, query: string, path: string, options: string): Promise<void> {
  return replaceFile(
    path,
    (staged) => source.run(`COPY (${query}) TO ${quoteString(staged)} (${options})`).then(() => undefined),
    (e, staged) => {
      const message = e instanceof Error ? e.message : String(e);
      // DuckDB names the file it was writing: an IO error is about the file, anything else about the query.
      return message.includes(staged) ? new OutputFileError(path, message.replaceAll(staged, path)) : (e instanceof Error ? e : new Error(message));
    },
  );
}
