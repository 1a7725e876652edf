// Command-line flags of `bpfql serve [options] CONFIG.sql`.
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { maxKeysOf, UsageError, wholeNumberFlag } from '../args.js';
import { DEFAULT_MAX_FILE_AGE_MS, DEFAULT_MAX_FILE_ROWS } from '../../store/history-sink.js';
import { durationMs, MAX_DURATION_MS, MAX_DURATION_TEXT } from '../../query/duration.js';
import { otlpMetricsUrl } from './otlp-sink.js';

export interface ListenAddress {
  readonly host: string;
  /** 0: a free port chosen by the kernel (the one taken is said on stderr). */
  readonly port: number;
}

export interface ServeOptions {
  readonly configFile?: string;
  readonly listen: ListenAddress;
  /** The `host` label of every series. */
  readonly host: string;
  readonly maxSeries: number;
  /** --otlp: the collector's /v1/metrics URL every window is pushed to. */
  readonly otlp?: URL;
  /** --store: the directory every window's rows are kept under, as Parquet. */
  readonly store?: string;
  /** --store-max-rows: a Parquet file takes windows until it holds this many rows. */
  readonly storeMaxRows?: number;
  /** --store-max-age: ... or until it is this old. */
  readonly storeMaxAgeMs?: number;
  /** --bpf-stats: turn the kernel's run-time statistics on while serving. */
  readonly bpfStats: boolean;
  readonly maxKeys?: number;
  readonly verbose: boolean;
  readonly help: boolean;
}

export const DEFAULT_LISTEN = '127.0.0.1:9435';
export const DEFAULT_MAX_SERIES = 10_000;

export const SERVE_USAGE = `usage: bpfql serve [options] CONFIG.sql
  Runs every metric of CONFIG.sql at once, each a 'CREATE METRIC name AS SELECT ... EVERY d', and
  serves them for Prometheus on http://LISTEN/metrics (liveness: /healthz) until SIGTERM or SIGINT.
  SIGHUP reads the file again: unchanged metrics keep counting, changed ones restart, removed ones
  stop; a file that does not check is reported and the running metrics are kept.

options:
  --listen HOST:PORT   where to serve (default ${DEFAULT_LISTEN}, loopback; 0.0.0.0:9435 or [::]:9435 for every interface)
  --host NAME          the host label of every series (default: this machine's name)
  --max-series N       label sets kept per metric (default ${DEFAULT_MAX_SERIES}); rows of more are dropped and counted
  --otlp URL           also push every window to an OpenTelemetry collector over OTLP/HTTP (e.g. http://127.0.0.1:4318)
  --store DIR          also keep every window's rows as Parquet under DIR/metric=NAME/host=HOST/date=YYYY-MM-DD/
  --store-max-rows N   a file of DIR takes windows until it holds N rows (default ${DEFAULT_MAX_FILE_ROWS}), then the next starts another
  --store-max-age D    ... or until it is D old (default ${DEFAULT_MAX_FILE_AGE_MS / 60_000}m; e.g. 10m, 6h); a new date starts another too
  --bpf-stats          turn the kernel's BPF run-time statistics on while serving (bpfql_query_run_time_seconds_total)
  --max-keys N         keys of in-kernel aggregation maps (default 65536)
  -v, --verbose        say on stderr when metrics are attached, restarted and stopped
  -h, --help           this text`;

/** `HOST:PORT` or `[V6]:PORT`. */
export function listenAddressOf(text: string): ListenAddress {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text);
  const port = m === null ? NaN : Number(m[3]);
  if (m === null || port > 65535) throw new UsageError(`--listen needs HOST:PORT (e.g. ${DEFAULT_LISTEN} or [::1]:9435), not '${text}'`);
  return { host: m[1] ?? m[2]!, port };
}

/**
 * The most --max-series and --store-max-rows take. A --store file is rewritten whole with each
 * window (history-sink.ts), so its rows bound the cost of that rewrite; ten million rows is
 * already a long one.
 */
const MAX_ROWS_FLAG = 10_000_000;

function storeMaxAgeOf(text: string): number {
  const ms = durationMs(text);
  if (ms === undefined || ms > MAX_DURATION_MS) throw new UsageError(`--store-max-age needs a duration such as 10m or 6h (at most ${MAX_DURATION_TEXT}), not '${text}'`);
  return ms;
}

export function parseServeArgs(argv: readonly string[]): ServeOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        listen: { type: 'string', default: DEFAULT_LISTEN },
        host: { type: 'string' },
        'max-series': { type: 'string' },
        otlp: { type: 'string' },
        store: { type: 'string' },
        'store-max-rows': { type: 'string' },
        'store-max-age': { type: 'string' },
        'bpf-stats': { type: 'boolean', default: false },
        'max-keys': { type: 'string' },
        verbose: { type: 'boolean', short: 'v', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const v = parsed.values;
  const host = v.host ?? hostname();
  if (host === '' || /\p{Cc}/u.test(host)) throw new UsageError('--host needs a name without control characters');
  if (parsed.positionals.length > 1) throw new UsageError('give one config file');
  if (!v.help && parsed.positionals.length === 0) throw new UsageError('give the config file');
  const maxKeys = v['max-keys'] === undefined ? undefined : maxKeysOf(v['max-keys']);
  if (v.store === '') throw new UsageError('--store needs a directory');
  if (v.store === undefined && (v['store-max-rows'] !== undefined || v['store-max-age'] !== undefined)) {
    throw new UsageError('--store-max-rows and --store-max-age go with --store DIR');
  }
  return {
    ...(parsed.positionals[0] !== undefined ? { configFile: parsed.positionals[0] } : {}),
    listen: listenAddressOf(v.listen),
    host,
    maxSeries: v['max-series'] === undefined ? DEFAULT_MAX_SERIES : wholeNumberFlag('--max-series', v['max-series'], MAX_ROWS_FLAG),
    bpfStats: v['bpf-stats'],
    ...(maxKeys !== undefined ? { maxKeys } : {}),
    ...(v.otlp !== undefined ? { otlp: otlpMetricsUrl(v.otlp) } : {}),
    ...(v.store !== undefined ? { store: v.store } : {}),
    ...(v['store-max-rows'] !== undefined ? { storeMaxRows: wholeNumberFlag('--store-max-rows', v['store-max-rows'], MAX_ROWS_FLAG) } : {}),
    ...(v['store-max-age'] !== undefined ? { storeMaxAgeMs: storeMaxAgeOf(v['store-max-age']) } : {}),
    verbose: v.verbose,
    help: v.help,
  };
}
