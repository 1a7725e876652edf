// Command-line flags of `bpfql watch [options] RULES.sql`.
import { parseArgs } from 'node:util';
import type { TextFormatName } from '../../output/formats.js';
import { TEXT_FORMATS, textFormatNamed } from '../../output/formats.js';
import { durationMs, MAX_DURATION_MS, MAX_DURATION_TEXT } from '../../query/duration.js';
import { UsageError } from '../args.js';

export interface WatchOptions {
  readonly rulesFile?: string;
  readonly format: TextFormatName;
  /** --duration: every rule ends this long after it is attached. */
  readonly durationMs?: number;
  readonly verbose: boolean;
  readonly help: boolean;
}

export const WATCH_USAGE = `usage: bpfql watch [options] RULES.sql
  Runs every rule of RULES.sql at once, each a 'CREATE RULE name AS SELECT ... FROM <kernel table> ...'
  whose rows each come from one event (no ORDER BY, GROUP BY, aggregates or EVERY), and writes
  every row of any rule as an alert the moment it happens, until Ctrl-C, --duration or the rules' FOR.

options:
  --format NAME        ndjson (default: one JSON object per alert, its rule's name first), table, csv, json, markdown
  --duration D         stop after D (e.g. 30s, 5m)
  -v, --verbose        say on stderr when the rules are attached
  -h, --help           this text`;

export function parseWatchArgs(argv: readonly string[]): WatchOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'ndjson' },
        duration: { type: 'string' },
        verbose: { type: 'boolean', short: 'v', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const v = parsed.values;
  const format = textFormatNamed(v.format)?.name;
  if (format === undefined) throw new UsageError(`--format must be one of ${TEXT_FORMATS.map((f) => f.name).join(', ')}, not '${v.format}'`);
  const duration = v.duration === undefined ? undefined : durationMs(v.duration);
  if (v.duration !== undefined && duration === undefined) throw new UsageError(`--duration needs a duration like 500ms, 10s, 2m or 1h, not '${v.duration}'`);
  if (duration !== undefined && duration > MAX_DURATION_MS) throw new UsageError(`--duration may be at most ${MAX_DURATION_TEXT}, not '${v.duration}'`);
  if (parsed.positionals.length > 1) throw new UsageError('give one rules file');
  if (!v.help && parsed.positionals.length === 0) throw new UsageError('give the rules file');
  return {
    ...(parsed.positionals[0] !== undefined ? { rulesFile: parsed.positionals[0] } : {}),
    format,
    ...(duration !== undefined ? { durationMs: duration } : {}),
    verbose: v.verbose,
    help: v.help,
  };
}
