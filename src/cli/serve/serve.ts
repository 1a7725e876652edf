// `bpfql serve CONFIG.sql`: every metric of the file runs at once in one process, each window it
// closes is added to its metric families, and the families are served over HTTP for Prometheus
// and handed to every WindowSink. A service: SIGTERM and SIGINT end it cleanly (exit 0), SIGHUP
// reads the file again (see metric-set.ts); a file that does not check never stops what runs.
import { readdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { Engine } from '../../engine/engine.js';
import { ExitCode, reportError } from '../../engine/report-error.js';
import { enableRunTimeStats, runTimeStatsOn } from '../../kernel/run-time-stats.js';
import { healthFamilies } from '../../output/metrics/health.js';
import { processFamilies, type ProcessStats } from '../../output/metrics/process.js';
import type { Label, MetricFamily, WindowSink } from '../../output/metrics/model.js';
import { UsageError } from '../args.js';
import type { ServeOptions } from './args.js';
import { parseServeArgs, SERVE_USAGE } from './args.js';
import type { Metric } from './config.js';
import { BadMetric, readMetrics } from './config.js';
import { close, listen } from './http.js';
import { MetricSet } from './metric-set.js';
import { OtlpSink } from './otlp-sink.js';
import { VERSION } from '../../engine/version.js';
import { HistoryPathError } from '../../store/history-paths.js';
import { HistorySink } from '../../store/history-sink.js';
import { limitMallocArenas } from '../../kernel/sys.js';
import { IdleGc } from './idle-gc.js';

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** The file's metrics, or undefined once the reason is said (positioned in the file). */
async function load(engine: Engine, file: string): Promise<Metric[] | undefined> {
  let script: string;
  try {
    script = readFileSync(file, 'utf8');
  } catch (e) {
    say(`error: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  try {
    return await readMetrics(engine, script);
  } catch (e) {
    const what = e instanceof BadMetric ? `bpfql serve: metric ${e.metric} cannot run\n` : '';
    say(`${what}${reportError(e instanceof BadMetric ? e.error : e, script, file).text}`);
    return undefined;
  }
}

/** Where each closed window goes besides the Prometheus endpoint, and the health families they add. */
interface Sinks {
  readonly sinks: readonly WindowSink[];
  readonly health: () => MetricFamily[];
}

/**
 * The sinks of --otlp and --store, one each. Each other way of serving metrics is one line here.
 * Throws HistoryPathError when --store's DIR or the host name cannot be used.
 */
async function windowSinks(opts: ServeOptions, labels: readonly Label[]): Promise<Sinks> {
  const otlp = opts.otlp === undefined ? undefined : new OtlpSink({
    url: opts.otlp, resource: { hostName: opts.host, serviceVersion: VERSION }, labels, report: say,
  });
  const store = opts.store === undefined ? undefined : await HistorySink.open({
    dir: opts.store, host: opts.host, report: say,
    ...(opts.storeMaxRows !== undefined ? { maxFileRows: opts.storeMaxRows } : {}),
    ...(opts.storeMaxAgeMs !== undefined ? { maxFileAgeMs: opts.storeMaxAgeMs } : {}),
  });
  return { sinks: [otlp, store].filter((s) => s !== undefined), health: () => otlp?.health() ?? [] };
}

/**
 * What the signals do. Handlers are installed first of all, so that a SIGTERM or SIGHUP while
 * starting is not the default death: an end asked for then ends the server once it is up, and
 * a reload then is moot (the file is being read).
 */
interface Signals {
  endAsked: boolean;
  end: () => void;
  reload: () => void;
}

function handleSignals(): Signals {
  const signals: Signals = {
    endAsked: false,
    end: () => void (signals.endAsked = true),
    reload: () => undefined,
  };
  process.on('SIGTERM', () => signals.end());
  process.on('SIGINT', () => signals.end());
  process.on('SIGHUP', () => signals.reload());
  return signals;
}

/**
 * The malloc arenas serve's threads share. With glibc's default (8 per core) the threads DuckDB
 * and libuv start each take an arena of their own, and each holds its own free pages: the bench's
 * server (bench part 8) kept ~10 MB in them that grew with every new label set, against ~1 MB with
 * two. Set before DuckDB starts its threads.
 */
const MALLOC_ARENAS = 2;

async function serve(opts: ServeOptions & { readonly configFile: string }): Promise<number> {
  const signals = handleSignals();
  limitMallocArenas(MALLOC_ARENAS);
  const engine = await Engine.open(opts.maxKeys === undefined ? {} : { maxEntries: opts.maxKeys });
  let stopStats: (() => void) | undefined;
  try {
    const first = await load(engine, opts.configFile);
    if (first === undefined) return ExitCode.badQuery;
    // A window's statements are small: DuckDB's pool of a thread per core (dozens on a fleet's
    // hosts) would only add threads to wake and memory to hold. Windows need DuckDB loaded anyway.
    await engine.session.run('SET threads = 1');
    try {
      if (opts.bpfStats) stopStats = enableRunTimeStats();
    } catch (e) {
      say(reportError(e, '').text);
      return ExitCode.runtime;
    }
    const startMs = Date.now();
    const constLabels: readonly Label[] = [['host', opts.host]];
    let sinks: readonly WindowSink[];
    let sinkHealth: () => MetricFamily[];
    try {
      ({ sinks, health: sinkHealth } = await windowSinks(opts, constLabels));
    } catch (e) {
      if (!(e instanceof HistoryPathError)) throw e;
      say(`error: ${e.message}`);
      return ExitCode.runtime;
    }
    let attached = 0;
    const idleGc = new IdleGc();
    const set = new MetricSet(engine, {
      constLabels,
      maxSeries: opts.maxSeries,
      runTime: () => opts.bpfStats || runTimeStatsOn(),
      onWindow: (w) => {
        // What the window left in DuckDB is freed in the quiet after the round (idle-gc.ts).
        idleGc.windowClosed();
        if (sinks.length === 0) return;
        const all = families();
        for (const s of sinks) s.window(w, all);
      },
      onAttached: () => {
        if (opts.verbose) say(`bpfql serve: attached ${++attached} metric(s)`);
      },
    }, say);
    const families = (): MetricFamily[] => [
      ...set.families(),
      ...healthFamilies(set.queries.map((q) => q.health()), startMs, constLabels),
      ...sinkHealth(),
      ...processFamilies(processStats(), startMs, constLabels),
    ];
    let server: Server;
    try {
      const bound = await listen(opts.listen, families);
      server = bound.server;
      say(`bpfql serve: listening on http://${bound.address}/metrics`);
    } catch (e) {
      say(`error: cannot listen on ${opts.listen.host}:${opts.listen.port}: ${e instanceof Error ? e.message : String(e)}`);
      await Promise.all(sinks.map((s) => s.close()));
      return ExitCode.runtime;
    }
    await set.apply(first);
    // Signals are handled one at a time, in order: a reload in progress finishes before the end.
    let queue = Promise.resolve();
    const ended = new Promise<void>((resolve) => {
      signals.end = (): void => {
        queue = queue.then(resolve);
      };
      signals.reload = (): void => {
        queue = queue.then(async () => {
          const next = await load(engine, opts.configFile);
          if (next === undefined) {
            say('bpfql serve: reload refused; the metrics running are kept');
            return;
          }
          const c = await set.apply(next);
          say(`bpfql serve: reloaded: ${c.kept} kept, ${c.restarted} restarted, ${c.started} started, ${c.stopped} stopped`);
        }).catch((e: unknown) => say(`bpfql serve: reload failed: ${reportError(e, '').text}`));
      };
      if (signals.endAsked) signals.end();
    });
    await ended;
    idleGc.stop();
    await close(server);
    await set.stopAll();
    await Promise.all(sinks.map((s) => s.close()));
    return ExitCode.ok;
  } finally {
    stopStats?.();
    await engine.close();
  }
}

export async function serveMain(argv: readonly string[]): Promise<number> {
  let opts: ServeOptions;
  try {
    opts = parseServeArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    say(`error: ${e.message}\n${SERVE_USAGE}`);
    return ExitCode.badQuery;
  }
  if (opts.help || opts.configFile === undefined) {
    process.stdout.write(`${SERVE_USAGE}\n`);
    return ExitCode.ok;
  }
  return serve({ ...opts, configFile: opts.configFile });
}

/** This process as processFamilies() shows it, measured now. */
function processStats(): ProcessStats {
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  return {
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    residentBytes: mem.rss,
    heapUsedBytes: mem.heapUsed,
    heapTotalBytes: mem.heapTotal,
    externalBytes: mem.external,
    startTimeSeconds: Math.round((Date.now() / 1000 - process.uptime()) * 1000) / 1000,
    // The listing's own descriptor is in it.
    openFds: readdirSync('/proc/self/fd').length - 1,
  };
}
