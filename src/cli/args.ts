// Command-line flags of `bpfql [options] [QUERY]`.
import { parseArgs } from 'node:util';
import type { OutputFormat } from '../sink/format.js';

export interface CliOptions {
  readonly query?: string;
  readonly file?: string;
  readonly format: OutputFormat;
  readonly output?: string;
  readonly db?: string;
  readonly maxKeys?: number;
  readonly strict: boolean;
  readonly verbose: boolean;
  readonly help: boolean;
  readonly version: boolean;
}

export class UsageError extends Error {}

const FORMATS: readonly OutputFormat[] = ['table', 'json', 'csv', 'ndjson'];

export const USAGE = `usage: bpfql [options] "QUERY; ..."     run statements (kernel queries and DuckDB SQL)
       bpfql [options] -f FILE.sql         run the statements of a file ('-' for standard input)
       bpfql                               interactive shell

options:
  --format table|json|csv|ndjson   how results are printed (default table)
  -o, --output FILE                write the last result to FILE (.parquet, .csv, .json, .ndjson)
  --db FILE.duckdb                 keep results in this DuckDB file (default: in memory)
  --max-keys N                     keys of in-kernel aggregation maps (default 65536) and pairs in flight of paired tables (default 16384)
  --strict                         exit 1 when a result is incomplete (lost records, full maps)
  -v, --verbose                    say on stderr when each kernel query is attached
  -h, --help                       this text
  --version                        the version

exit codes: 0 ok, 1 runtime failure, 2 bad query`;

export function parseCli(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'table' },
        output: { type: 'string', short: 'o' },
        file: { type: 'string', short: 'f' },
        db: { type: 'string' },
        'max-keys': { type: 'string' },
        strict: { type: 'boolean', default: false },
        verbose: { type: 'boolean', short: 'v', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const v = parsed.values;
  const format = v.format as OutputFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not '${v.format}'`);
  let maxKeys: number | undefined;
  if (v['max-keys'] !== undefined) {
    maxKeys = Number(v['max-keys']);
    if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new UsageError(`--max-keys needs a positive whole number, not '${v['max-keys']}'`);
  }
  if (parsed.positionals.length > 1) throw new UsageError('give the query as one argument (quote it)');
  return {
    ...(parsed.positionals[0] !== undefined ? { query: parsed.positionals[0] } : {}),
    ...(v.file !== undefined ? { file: v.file } : {}),
    format,
    ...(v.output !== undefined ? { output: v.output } : {}),
    ...(v.db !== undefined ? { db: v.db } : {}),
    ...(maxKeys !== undefined ? { maxKeys } : {}),
    strict: v.strict ?? false,
    verbose: v.verbose ?? false,
    help: v.help ?? false,
    version: v.version ?? false,
  };
}
