// Command-line flags of `bpfql watch [options] RULES.sql`.
import { parseArgs } from 'node:util';
import type { TextFormatName } from '../../output/formats.js';
import { TEXT_FORMATS, textFormatNamed } from '../../output/formats.js';
import { durationMs, MAX_DURATION_MS, MAX_DURATION_TEXT } from '../../query/duration.js';
import { UsageError } from '../args.js';
import { SYSLOG_SOCKET } from './syslog.js';
import { webhookUrl } from './webhook.js';

export interface WatchOptions {
  readonly rulesFile?: string;
  readonly format: TextFormatName;
  /** --duration: every rule ends this long after it is attached. */
  readonly durationMs?: number;
  /** --output FILE: alerts appended there too, one JSON line each. */
  readonly output?: string;
  /** --syslog: alerts sent to the syslog socket at this path too. */
  readonly syslog?: string;
  /** --cgroup DIR: only events of processes in this cgroup v2 directory. */
  readonly cgroup?: string;
  /** --webhook URL: alerts POSTed there too. */
  readonly webhook?: URL;
  readonly verbose: boolean;
  readonly help: boolean;
}

export const WATCH_USAGE = `usage: bpfql watch [options] RULES.sql
  Runs every rule of RULES.sql at once and writes each of its rows as an alert the moment it
  happens, until Ctrl-C, --duration or the rules' FOR. A rule is
    CREATE RULE name [SEVERITY low|medium|high|critical] [LIMIT n [PER col, ...] EVERY d] AS SELECT ...
  whose rows each come from one event, or that counts in EVERY windows (GROUP BY ... HAVING ...
  EVERY 10s: each row of a closed window is an alert). LIMIT n PER col EVERY d lets n alerts per
  value of col through in each window of d and counts the rest (a line of kind "suppressed");
  past 1024 open keys, further keys' alerts are all counted in one line with NULL keys.
  SIGHUP reads the file again: unchanged rules keep running, changed ones restart.

options:
  --format NAME        stdout's format: ndjson (default: one JSON object per alert), table, csv, json, markdown
  --output FILE        also append each alert to FILE as a JSON line (created 0600; a symlink is refused)
  --syslog             also send each alert to syslog (${SYSLOG_SOCKET}), its severity mapped
  --syslog-socket PATH the syslog socket, if not ${SYSLOG_SOCKET}
  --webhook URL        also POST alerts to URL as a JSON array (bounded queue, 5 s timeout; drops counted)
  --cgroup DIR         only events of processes in the cgroup v2 DIR (e.g. a container's; not its child cgroups)
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
        output: { type: 'string' },
        syslog: { type: 'boolean', default: false },
        'syslog-socket': { type: 'string' },
        webhook: { type: 'string' },
        cgroup: { type: 'string' },
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
  const webhook = v.webhook === undefined ? undefined : webhookUrl(v.webhook);
  if (typeof webhook === 'string') throw new UsageError(webhook);
  if (v['syslog-socket'] !== undefined && !v.syslog) throw new UsageError('--syslog-socket goes with --syslog');
  if (v.output === '') throw new UsageError('--output needs a file name');
  if (parsed.positionals.length > 1) throw new UsageError('give one rules file');
  if (!v.help && parsed.positionals.length === 0) throw new UsageError('give the rules file');
  return {
    ...(parsed.positionals[0] !== undefined ? { rulesFile: parsed.positionals[0] } : {}),
    format,
    ...(v.output !== undefined ? { output: v.output } : {}),
    ...(v.syslog ? { syslog: v['syslog-socket'] ?? SYSLOG_SOCKET } : {}),
    ...(webhook !== undefined ? { webhook } : {}),
    ...(v.cgroup !== undefined ? { cgroup: v.cgroup } : {}),
    ...(duration !== undefined ? { durationMs: duration } : {}),
    verbose: v.verbose,
    help: v.help,
  };
}
