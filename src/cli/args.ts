// Command-line flags of `bpfql [options] [QUERY]`.
import { parseArgs } from 'node:util';
import { REPORT_FILES, REPORT_KINDS } from './run/report-formats.js';
import type { TextFormatName } from '../output/formats.js';
import { DEFAULT_FORMAT, FORMATS, TEXT_FORMATS, textFormatNamed } from '../output/formats.js';

export interface CliOptions {
  readonly query?: string;
  readonly file?: string;
  readonly format: TextFormatName;
  readonly output?: string;
  readonly db?: string;
  readonly maxKeys?: number;
  readonly strict: boolean;
  readonly verbose: boolean;
  readonly help: boolean;
  readonly version: boolean;
}

export class UsageError extends Error {}

/** The most keys a kernel hash map can be asked for: it rounds its buckets up to a power of two in 32 bits. */
export const MAX_KEYS = 2 ** 31;

/** A flag's whole number from 1 to `max` (written `maxText` in the refusal), or a UsageError naming the flag. */
export function wholeNumberFlag(flag: string, text: string, max: number, maxText = String(max)): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${flag} needs a whole number from 1 to ${maxText}, not '${text}'`);
  return n;
}

/** The value of --max-keys (of bpfql and of bpfql run): a whole number a map can be made with. */
export function maxKeysOf(text: string): number {
  return wholeNumberFlag('--max-keys', text, MAX_KEYS, `${MAX_KEYS} (2^31)`);
}

/** The formats, a line each: name, the extensions -o takes for it, what it is. */
function formatLines(): string {
  const exts = FORMATS.map((f) => f.extensions.map((e) => `.${e}`).join(' '));
  const nameWidth = Math.max(...FORMATS.map((f) => f.name.length)) + 2;
  const extWidth = Math.max(...exts.map((e) => e.length)) + 2;
  return FORMATS.map((f, i) => {
    const text = `${f.description}${f.name === DEFAULT_FORMAT ? ' (default)' : ''}`;
    return `  ${f.name.padEnd(nameWidth)}${exts[i]!.padEnd(extWidth)}${text}`;
  }).join('\n');
}

export const USAGE = `usage: bpfql [options] "QUERY; ..."     run statements (kernel queries and DuckDB SQL)
       bpfql [options] -f FILE.sql         run the statements of a file ('-' for standard input)
       bpfql [options]                     interactive shell (at a terminal; else statements from stdin)
       bpfql run [run options] -- COMMAND [ARGS...]
                                           trace COMMAND alone, then check assertions and baselines
       bpfql watch [--format NAME] [--duration D] RULES.sql
                                           run the rules (CREATE RULE name AS SELECT ...) of a file at once,
                                           each row of any rule an alert the moment it happens
       bpfql serve [--listen HOST:PORT] [--host NAME] [--max-series N] CONFIG.sql
                                           serve the metrics (CREATE METRIC name AS SELECT ... EVERY d) of a
                                           file for Prometheus on /metrics; SIGHUP reloads the file

options:
  -f, --file FILE.sql              read the statements from FILE ('-' for standard input)
  --format NAME                    how results are printed (default ${DEFAULT_FORMAT}; formats below)
  -o, --output FILE                write the last result to FILE, in the format its extension names
  --db FILE.duckdb                 keep results in this DuckDB file (default: in memory)
  --max-keys N                     keys of in-kernel aggregation maps (default 65536) and pairs in flight of paired tables (default 16384)
  --strict                         exit 1 when a result is incomplete (lost records, full maps)
  -v, --verbose                    say on stderr when each kernel query is attached
  -h, --help                       this text
  --version                        the version

run options (bpfql run --help says more):
  -e, --query QUERY                a query traced while COMMAND runs (repeatable)
  -f, --file FILE.sql              queries from a file (repeatable)
  --assert SQL                     DuckDB SQL over the results whose first value must be true (repeatable)
  --save-baseline FILE.parquet     keep this run's numbers as a baseline
  --baseline FILE.parquet          compare with a saved baseline
  --tolerance PCT                  growth allowed against the baseline, in percent (default 10)
  --report ${REPORT_FILES}      write ${REPORT_KINDS} (repeatable)
  --max-keys N                     size of in-kernel aggregation maps (default 65536)

formats (--format NAME; -o FILE by the extension):
${formatLines()}

statements: kernel queries (SELECT ... FROM <kernel table> ... [EVERY d] [FOR d]), CREATE TABLE t AS
and INSERT INTO t of one, EXPLAIN, SHOW TABLES, DESCRIBE; anything else goes to DuckDB.

exit codes: 0 ok, 1 runtime failure (kernel, privileges, files), 2 bad query or usage
(bpfql run: the command's own, 3 a failed check)`;

export function parseCli(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        format: { type: 'string', default: DEFAULT_FORMAT },
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
  const format = textFormatNamed(v.format)?.name;
  if (format === undefined) throw new UsageError(`--format must be one of ${TEXT_FORMATS.map((f) => f.name).join(', ')}, not '${v.format}'`);
  const maxKeys = v['max-keys'] === undefined ? undefined : maxKeysOf(v['max-keys']);
  if (parsed.positionals.length > 1) throw new UsageError('give the query as one argument (quote it)');
  return {
    ...(parsed.positionals[0] !== undefined ? { query: parsed.positionals[0] } : {}),
    ...(v.file !== undefined ? { file: v.file } : {}),
    format,
    ...(v.output !== undefined ? { output: v.output } : {}),
    ...(v.db !== undefined ? { db: v.db } : {}),
    ...(maxKeys !== undefined ? { maxKeys } : {}),
    strict: v.strict,
    verbose: v.verbose,
    help: v.help,
    version: v.version,
  };
}
