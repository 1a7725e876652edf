// Turns the measurements into the one table the bench prints: every figure with its spread, the
// issue's figure from another machine where there is one, the target and whether it was met.
import type { AlertLatency } from './alerts.js';
import type { ScrapeResult, ServeRun } from './serve.js';
import { throughputDrop, type SocketIoResult } from './socket-io.js';
import type { ArrowIngestResult } from './arrow-ingest.js';
import type { DetachTiming } from './detach.js';
import type { Machine } from './machine.js';
import type { ConfigResult, OverheadResult, ToolRun } from './overhead.js';
import type { FreshStartup, ImportTiming, InProcessStartup, Stages } from './startup.js';
import { summarize, type Summary } from './stats.js';
import type { ReferenceProgram } from './reference-programs.js';
import { pairedDifferences, subjectName, type SideResult } from './side-by-side.js';
import type { StreamResult } from './streaming.js';
import { BY_COMM, CGROUP_FILTERED, FILTERED, type ToolName } from './tools.js';

export interface BenchResults {
  readonly startedAt: string;
  readonly machine: Machine;
  /** 1-minute load average before and after: how busy the machine was with other work. */
  readonly loadAverage: { readonly start: number; readonly end: number };
  readonly method: readonly string[];
  /** BPF programs loaded by other processes at the start and end (they may share the hooks). */
  readonly othersPrograms?: { readonly start: readonly string[]; readonly end: readonly string[] };
  /** Measurements not made, and why. */
  readonly skipped: readonly string[];
  readonly overhead?: OverheadResult;
  readonly sideBySide?: readonly SideResult[];
  readonly inProcess?: InProcessStartup;
  readonly stages?: Stages;
  readonly fresh?: readonly FreshStartup[];
  readonly detach?: readonly DetachTiming[];
  readonly imports?: readonly ImportTiming[];
  readonly streaming?: readonly StreamResult[];
  readonly arrow?: ArrowIngestResult;
  readonly alerts?: AlertLatency;
  readonly scrape?: ScrapeResult;
  readonly serve?: ServeRun;
  readonly socketIo?: SocketIoResult;
}

export type Verdict = 'met' | 'MISSED' | 'UNVERIFIED' | 'NOT REACHED' | '';

export interface Row {
  readonly figure: string;
  readonly value: string;
  /** First to third quartile. */
  readonly spread: string;
  /** The issue's figure, measured on another machine. */
  readonly issue: string;
  readonly target: string;
  readonly verdict: Verdict;
}

export interface Section {
  readonly title: string;
  readonly rows: readonly Row[];
}

const row = (figure: string, value: string, more: Partial<Omit<Row, 'figure' | 'value'>> = {}): Row => ({
  figure,
  value,
  spread: more.spread ?? '',
  issue: more.issue ?? '',
  target: more.target ?? '',
  verdict: more.verdict ?? '',
});

const ns = (v: number): string => `${v.toFixed(0)} ns`;
const plusNs = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(0)} ns`;
const ms = (v: number): string => (v < 10 ? `${v.toFixed(2)} ms` : `${v.toFixed(0)} ms`);
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;
const mps = (v: number): string => `${(v / 1e6).toFixed(2)} M/s`;
const spreadOf = (s: Summary, f: (v: number) => string): string => `${f(s.q1)} – ${f(s.q3)}`;
const verdict = (ok: boolean): Verdict => (ok ? 'met' : 'MISSED');

function findTool(o: OverheadResult, tool: ToolName, what: string): ConfigResult | undefined {
  return o.configs.find((c) => c.config.kind === 'tool' && c.config.query.tool === tool && c.config.query.what === what);
}

function findReference(o: OverheadResult, program: string): ConfigResult | undefined {
  return o.configs.find((c) => c.config.kind === 'reference' && c.config.program === program);
}

/** Runs of the tool that counted fewer than the workload's calls (two loops of `calls`). */
function shortRuns(c: ConfigResult, calls: number): number {
  return c.toolRuns.filter((r) => r.workloadCount === undefined || r.workloadCount < 2 * calls).length;
}

function verified(c: ConfigResult, calls: number): boolean {
  return shortRuns(c, calls) === 0;
}

const REFERENCE_LABELS: { readonly [P in ReferenceProgram]: { readonly label: string; readonly issue: string } } = {
  'empty-tracepoint': { label: 'empty program on the tracepoint (floor)', issue: '+36 ns' },
  'empty-raw-tracepoint': { label: 'empty program on the raw tracepoint', issue: '+24 ns' },
  'hand-count-by-comm': { label: 'hand-written count by comm (per-CPU hash)', issue: '+54 ns' },
  'hand-count-by-comm-raw': { label: 'hand-written count by comm on the raw tracepoint', issue: '' },
  'hand-count-by-comm-btf': { label: 'hand-written count by comm on tp_btf', issue: '' },
  'hand-count-by-comm-btf-copy': { label: 'a copy of the hand-written count by comm on tp_btf', issue: '' },
  'hand-filtered-count-btf': { label: 'hand-written filtered count by syscall id on tp_btf', issue: '' },
  'hand-cgroup-count-by-comm-btf': { label: 'hand-written count by comm in one cgroup on tp_btf', issue: '' },
  'hand-cgroup-task-count-by-comm-btf': { label: 'hand-written count by comm in one cgroup (task pointers) on tp_btf', issue: '' },
  'first-on-hook-btf': { label: 'the program run first on the hook (1b)', issue: '' },
};

/** Issue 15's target for bpfql's added cost per event against bpftrace's on the same query. */
const BPFTRACE_RATIO = 0.55;

function overheadSection(o: OverheadResult, bpftraceMissing: boolean): Section {
  const rows: Row[] = [];
  const base = summarize(o.baselineNs);
  rows.push(row('getppid, no tracing (ns per call)', ns(base.median), { spread: spreadOf(base, ns), issue: '65 ns' }));
  // Rounds disturbed by other processes' programs count only when no undisturbed round exists.
  const added = (c: ConfigResult | undefined): Summary | undefined => {
    if (!c) return undefined;
    const values = c.addedNs.length > 0 ? c.addedNs : c.disturbedNs;
    return values.length > 0 ? summarize(values) : undefined;
  };
  for (const c of o.configs) {
    if (c.config.kind !== 'reference') continue;
    const s = added(c)!;
    const ref = REFERENCE_LABELS[c.config.program];
    rows.push(row(ref.label, plusNs(s.median), { spread: spreadOf(s, plusNs), issue: ref.issue }));
  }
  // bpfql's count by comm runs on tp_btf: the hand-written program on that hook is its reference
  // (the raw tracepoint's, then the classic one's, where the bench has not run it).
  const hand = added(findReference(o, 'hand-count-by-comm-btf') ?? findReference(o, 'hand-count-by-comm-raw') ?? findReference(o, 'hand-count-by-comm'));
  for (const what of [BY_COMM, FILTERED]) {
    const mine = findTool(o, 'bpfql', what);
    const theirsConfig = findTool(o, 'bpftrace', what);
    const theirs = added(theirsConfig);
    const m = added(mine);
    if (mine && m) {
      const checks: string[] = [];
      let ok = true;
      if (what === BY_COMM && hand) {
        checks.push(`≤ hand-written on its hook (${plusNs(hand.median)})`);
        ok &&= m.median <= hand.median;
      }
      if (theirs) {
        checks.push(`≤ ${BPFTRACE_RATIO}× bpftrace (${plusNs(BPFTRACE_RATIO * theirs.median)})`);
        ok &&= m.median <= BPFTRACE_RATIO * theirs.median;
      }
      const v: Verdict = !verified(mine, o.calls) ? 'UNVERIFIED' : checks.length > 0 ? verdict(ok) : '';
      rows.push(row(`bpfql: ${what}`, plusNs(m.median), { spread: spreadOf(m, plusNs), target: checks.join(' and '), verdict: v }));
    }
    if (theirsConfig && theirs) {
      rows.push(row(`bpftrace: ${what}`, plusNs(theirs.median), {
        spread: spreadOf(theirs, plusNs),
        issue: what === BY_COMM ? '+82 ns' : '',
        verdict: verified(theirsConfig, o.calls) ? '' : 'UNVERIFIED',
      }));
      if (m) rows.push(row(`  bpfql / bpftrace, ${what}`, `${(m.median / theirs.median).toFixed(2)}×`, { target: `≤ ${BPFTRACE_RATIO}×`, verdict: verdict(m.median <= BPFTRACE_RATIO * theirs.median) }));
    } else if (bpftraceMissing) {
      rows.push(row(`bpftrace: ${what}`, 'bpftrace not installed'));
    }
  }
  for (const c of o.configs) {
    if (c.config.kind !== 'tool' || c.config.query.tool !== 'bpfql' || c.config.query.what === BY_COMM || c.config.query.what === FILTERED) continue;
    const m = added(c);
    const short = shortRuns(c, o.calls);
    const lostShare = c.toolRuns.map((r) => 1 - (r.workloadCount ?? 0) / (2 * o.calls));
    const pct = (v: number): string => `${(100 * v).toFixed(0)}%`;
    const suffix = short > 0 ? ` (events lost in ${short} of ${c.toolRuns.length} runs, ${pct(Math.max(0, Math.min(...lostShare)))}–${pct(Math.max(...lostShare))})` : '';
    if (m) rows.push(row(`bpfql: ${c.config.query.what}${suffix}`, plusNs(m.median), { spread: spreadOf(m, plusNs), verdict: short > 0 ? 'UNVERIFIED' : '' }));
  }
  const floor = added(findReference(o, 'empty-raw-tracepoint'));
  const handRaw = added(findReference(o, 'hand-count-by-comm-raw'));
  const byComm = added(findTool(o, 'bpfql', BY_COMM));
  const cgroupFiltered = added(findTool(o, 'bpfql', CGROUP_FILTERED));
  if (byComm && cgroupFiltered) {
    const extra = cgroupFiltered.median - byComm.median;
    rows.push(row('  container filter (cgroup set lookup) − unfiltered, count by comm', plusNs(extra), { target: 'within 10 ns', verdict: verdict(Math.abs(extra) <= 10) }));
  }
  if (floor && handRaw && byComm) {
    rows.push(row('  bpfql\'s program above the raw tracepoint\'s floor, count by comm', plusNs(byComm.median - floor.median), {
      issue: '',
      target: `hand-written: ${plusNs(handRaw.median - floor.median)}`,
    }));
  }
  const disturbed = o.configs.reduce((n, c) => n + c.disturbedNs.length, 0);
  const total = o.configs.reduce((n, c) => n + c.disturbedNs.length + c.addedNs.length, 0);
  const note = disturbed > 0 ? `; ${disturbed} of ${total} runs left out (other processes' BPF programs changed around them)` : '';
  return { title: `1. Added cost per syscall: getppid × ${o.calls.toLocaleString('en-US')} (best of 2), thread CPU time, median of ${o.rounds} rounds${note}`, rows };
}

const nsTenths = (v: number): string => `${v.toFixed(1)} ns`;
const plusNsTenths = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(1)} ns`;

function sideBySideSection(results: readonly SideResult[]): Section {
  const rows: Row[] = [];
  // The A/A comparison's true difference is zero: how far its median lands from zero, plus half its
  // rounds' spread, is what this machine cannot tell apart.
  const aa = results.find((r) => r.pair.subject.kind === 'reference' && r.pair.allowanceNs === 0);
  const aaDiff = aa && summarize(pairedDifferences(aa.rounds));
  const resolution = aaDiff && Math.abs(aaDiff.median) + (aaDiff.q3 - aaDiff.q1) / 2;
  for (const r of results) {
    const what = subjectName(r.pair.subject);
    const mine = summarize(r.rounds.map((x) => x.subjectNs));
    const hand = summarize(r.rounds.map((x) => x.handNs));
    const diff = summarize(pairedDifferences(r.rounds));
    // A few events can fall between reading one program's counters and the other's.
    const uneven = r.rounds.filter((x) => Math.abs(x.subjectRuns - x.handRuns) > 10).length;
    const note = uneven > 0 ? ` (run counts differ from the hand-written one's in ${uneven} rounds)` : '';
    rows.push(row(`${r.pair.subject.kind === 'bpfql' ? 'bpfql\'s program' : 'reference'}: ${what}${note}`, nsTenths(mine.median), { spread: spreadOf(mine, nsTenths) }));
    rows.push(row(REFERENCE_LABELS[r.pair.reference].label, nsTenths(hand.median), { spread: spreadOf(hand, nsTenths) }));
    const judged = r !== aa && resolution !== undefined;
    rows.push(row(`  ${r.pair.label}, same events, mean of a round's two orders`, plusNsTenths(diff.median), {
      spread: spreadOf(diff, plusNsTenths),
      target: judged ? `≤ ${plusNsTenths(r.pair.allowanceNs)}, or within the A/A resolution (±${resolution.toFixed(1)} ns) of it` : r === aa ? '0 (the resolution)' : '',
      verdict: judged ? verdict(diff.median <= r.pair.allowanceNs + resolution) : '',
    }));
  }
  const rounds = results[0]?.rounds.length ?? 0;
  return { title: `1b. The programs alone, side by side on sys_enter (tp_btf): kernel-timed ns per event, median of ${rounds / 2} rounds, each both orders of attachment`, rows };
}

/** The tool configurations that ran, bpfql's first. */
function toolConfigs(o: OverheadResult | undefined): { tool: ToolName; what: string; runs: ToolRun[] }[] {
  const out: { tool: ToolName; what: string; runs: ToolRun[] }[] = [];
  for (const c of o?.configs ?? []) if (c.config.kind === 'tool') out.push({ tool: c.config.query.tool, what: c.config.query.what, runs: c.toolRuns });
  return out.sort((a, b) => Number(a.tool === 'bpftrace') - Number(b.tool === 'bpftrace'));
}

const toolLabel = (tool: ToolName, what: string): string => `${tool === 'bpfql' ? 'bpfql CLI' : 'bpftrace'}: ${what}`;

/** The issue's bpftrace figures, by query. */
function bpftraceIssue(what: string, figures: { readonly byComm: string; readonly filtered: string }): string {
  return what === BY_COMM ? figures.byComm : what === FILTERED ? figures.filtered : '';
}

function startupSection(r: BenchResults, bpftraceMissing: boolean): Section {
  const rows: Row[] = [];
  for (const t of toolConfigs(r.overhead)) {
    if (t.runs.length === 0) continue;
    const s = summarize(t.runs.map((run) => run.countedMs));
    rows.push(row(toolLabel(t.tool, t.what), ms(s.median), {
      spread: spreadOf(s, ms),
      ...(t.tool === 'bpfql'
        ? { target: '< 60 ms', verdict: verdict(s.median < 60) }
        : { issue: bpftraceIssue(t.what, { byComm: '37 ms', filtered: '96–107 ms (args)' }) }),
    }));
  }
  if (bpftraceMissing) rows.push(row('bpftrace', 'bpftrace not installed'));
  if (r.inProcess) {
    const warm = summarize(r.inProcess.warmMs);
    rows.push(row('bpfql in one process: query text → attached', ms(warm.median), { spread: spreadOf(warm, ms), target: '< 5 ms', verdict: verdict(warm.median < 5) }));
    rows.push(row('  the process\'s first query (cold)', ms(r.inProcess.coldMs)));
  }
  if (r.fresh && r.fresh.length > 0) {
    const phases: [string, (f: FreshStartup) => number][] = [
      ['fresh process, start → attached (the CLI\'s path)', (f) => f.totalMs],
      ['  node boot', (f) => f.bootMs],
      ['  importing the engine (all the CLI imports)', (f) => f.importMs],
      ['  Engine.open', (f) => f.openMs],
      ['  first query: execute() → attached', (f) => f.firstQueryMs],
    ];
    for (const [label, pick] of phases) {
      const s = summarize(r.fresh.map(pick));
      rows.push(row(`  ${label}`, ms(s.median), { spread: spreadOf(s, ms) }));
    }
  }
  if (r.stages) {
    for (const [stage, values] of Object.entries(r.stages)) {
      const s = summarize(values);
      rows.push(row(`  stage: ${stage}`, ms(s.median), { spread: spreadOf(s, ms) }));
    }
  }
  for (const t of r.imports ?? []) {
    const values = t.target.specifier === undefined ? t.bootMs : t.importMs;
    const s = summarize(values);
    rows.push(row(`  fresh process: ${t.target.label}`, ms(s.median), { spread: spreadOf(s, ms), issue: t.target.specifier === undefined ? '52 ms (node -e 0)' : '' }));
  }
  return { title: '2. Startup: spawn → first event counted (CLIs); query text → attached (one process)', rows };
}

function streamingSection(results: readonly StreamResult[]): Section {
  const rows: Row[] = [];
  let best = 0;
  for (const s of results) {
    const delivered = summarize(s.runs.map((r) => r.deliveredPerSec));
    const emitted = summarize(s.runs.map((r) => r.emittedPerSec));
    const share = summarize(s.runs.map((r) => r.workloadCpuShare));
    const lost = s.runs.reduce((n, r) => n + r.lost, 0);
    const calls = s.runs.reduce((n, r) => n + r.calls, 0);
    best = Math.max(best, delivered.median);
    const label = s.step.rate === 0 ? 'unpaced' : `target ${mps(s.step.rate)}`;
    let target = '';
    let v: Verdict = '';
    if (s.step.rate === 1_000_000) {
      target = 'no loss at 1 M/s';
      v = emitted.median < 0.95 * s.step.rate ? 'NOT REACHED' : verdict(lost === 0);
    }
    rows.push(row(`${label}: emitted ${mps(emitted.median)} (${(100 * share.median).toFixed(0)}% CPU), lost ${((100 * lost) / calls).toFixed(2)}%`, `${mps(delivered.median)} delivered`, {
      spread: spreadOf(delivered, mps),
      target,
      verdict: v,
    }));
  }
  const bestRun = Math.max(...results.flatMap((s) => s.runs.map((r) => r.deliveredPerSec)));
  rows.push(row(`highest delivered rate, median of a step (best single run ${mps(bestRun)})`, mps(best), { issue: 'bpftrace printf 0.11 M/s', target: '≥ 2 M/s', verdict: verdict(best >= 2e6) }));
  // What bounds the rates: the consumer's CPU per row, and the producer's calls per CPU-second.
  const big = results.flatMap((s) => s.runs).filter((r) => r.delivered >= 500_000);
  if (big.length > 0) {
    const cost = summarize(big.map((r) => r.consumerCpuUsPerRow));
    rows.push(row('  bpfql CPU per delivered row (all threads)', `${cost.median.toFixed(2)} µs`, { spread: spreadOf(cost, (v) => `${v.toFixed(2)} µs`) }));
    rows.push(row('  → rows/s one CPU of bpfql can take', mps(1e6 / cost.median)));
  }
  const unpaced = results.find((s) => s.step.rate === 0);
  if (unpaced) {
    const perCpu = summarize(unpaced.runs.map((r) => r.emittedPerSec / r.workloadCpuShare));
    rows.push(row('  → calls/s the workload makes per CPU-second, traced', mps(perCpu.median), { spread: spreadOf(perCpu, mps) }));
  }
  return { title: '3. Streaming: ring buffer → DuckDB table (rows delivered per second; emitted: the workload\'s rate and CPU share)', rows };
}

function arrowSection(a: ArrowIngestResult): Section {
  const append = summarize(a.appendRowsPerSec);
  const native = summarize(a.nativeRowsPerSec);
  const toArrow = summarize(a.toArrowRowsPerSec);
  return {
    title: `4. Arrow batches into DuckDB (${a.rows.toLocaleString('en-US')} rows of ts, pid, comm, id)`,
    rows: [
      row('Session.append of Arrow RecordBatches, to committed', `${mps(append.median)} rows`, { spread: spreadOf(append, mps), target: '≥ 4 M rows/s', verdict: verdict(append.median >= 4e6) }),
      row('  DuckDB creating the same rows itself (CTAS from range)', `${mps(native.median)} rows`, { spread: spreadOf(native, mps) }),
      row('  append / DuckDB native', `${(append.median / native.median).toFixed(2)}×`),
      row('  ColumnBatch → Arrow RecordBatch (toRecordBatch)', `${mps(toArrow.median)} rows`, { spread: spreadOf(toArrow, mps) }),
    ],
  };
}

function memorySection(o: OverheadResult, bpftraceMissing: boolean): Section {
  const rows: Row[] = [];
  const tools = toolConfigs(o).filter((t) => t.runs.length > 0);
  const peak = (t: { runs: ToolRun[] }): Summary => summarize(t.runs.map((r) => r.peakRssBytes));
  for (const t of tools) {
    const s = peak(t);
    rows.push(row(toolLabel(t.tool, t.what), mb(s.median), { spread: spreadOf(s, mb), ...(t.tool === 'bpftrace' ? { issue: '89–100 MB' } : {}) }));
  }
  for (const mine of tools.filter((t) => t.tool === 'bpfql')) {
    const theirs = tools.find((t) => t.tool === 'bpftrace' && t.what === mine.what);
    if (theirs) rows.push(row(`  bpfql / bpftrace, ${mine.what}`, `${(peak(mine).median / peak(theirs).median).toFixed(2)}×`));
  }
  if (bpftraceMissing) rows.push(row('bpftrace', 'bpftrace not installed'));
  return { title: '5. Peak memory (VmHWM) of each tool during 1', rows };
}

function exitSection(r: BenchResults, o: OverheadResult, bpftraceMissing: boolean): Section {
  const rows: Row[] = [];
  for (const t of toolConfigs(o)) {
    if (t.runs.length === 0) continue;
    const s = summarize(t.runs.map((r) => r.exitMs));
    const ignored = t.runs.filter((r) => r.interrupts > 1).length;
    const note = ignored > 0 ? ` (first SIGINT not acted on in ${ignored} of ${t.runs.length} runs)` : '';
    rows.push(row(`${toolLabel(t.tool, t.what)}${note}`, ms(s.median), {
      spread: spreadOf(s, ms),
      ...(t.tool === 'bpfql' ? { target: '< 100 ms', verdict: verdict(s.median < 100) } : { issue: '180 ms' }),
    }));
    const printed = t.runs.flatMap((r) => (r.printedMs === undefined ? [] : [r.printedMs]));
    if (printed.length > 0) {
      const p = summarize(printed);
      rows.push(row('  of which SIGINT → result printed', ms(p.median), { spread: spreadOf(p, ms) }));
    }
  }
  if (bpftraceMissing) rows.push(row('bpftrace', 'bpftrace not installed'));
  if (r.inProcess) {
    const stop = summarize(r.inProcess.resultAfterStopMs);
    const teardown = summarize(r.inProcess.teardownMs);
    rows.push(row('  in one process: stop → result (count by comm)', ms(stop.median), { spread: spreadOf(stop, ms) }));
    rows.push(row('  in one process: detach and close (teardownKernel)', ms(teardown.median), { spread: spreadOf(teardown, ms) }));
  }
  for (const d of r.detach ?? []) {
    const s = summarize(d.closeMs);
    const what = d.kind === 'empty-tracepoint' ? 'tracepoint (perf event)' : 'raw tracepoint (bpf link)';
    rows.push(row(`  close one attachment: ${what}`, ms(s.median), { spread: spreadOf(s, ms) }));
  }
  return { title: '6. Exit: SIGINT → process gone (results printed in between)', rows };
}

function alertsSection(a: AlertLatency): Section {
  const l = a.latencyMs;
  return {
    title: `7. Alerts: event → alert line read from \`bpfql watch\` (NDJSON), ${a.events.toLocaleString('en-US')} events at ${a.rate.toLocaleString('en-US')}/s`,
    rows: [
      row(`latency, p50 (alerts read: ${a.received.toLocaleString('en-US')} of ${a.events.toLocaleString('en-US')})`, ms(l.median), { spread: spreadOf(l, ms), verdict: a.received === a.events ? '' : 'MISSED' }),
      row('latency, p99', ms(l.p99), { target: '≤ 50 ms', verdict: verdict(l.p99 <= 50) }),
      row('  p99 of the events after the first second', ms(a.steadyP99Ms)),
      row('latency, max', ms(l.max)),
      row('bpfql CPU while alerting (all threads, share of one CPU)', `${(100 * a.cpuShare).toFixed(1)} %`),
    ],
  };
}

function serveSection(scrape: ScrapeResult | undefined, s: ServeRun | undefined): Section {
  const rows: Row[] = [];
  if (s) {
    const rss = s.rssAfterWarmup;
    rows.push(row(`server CPU beyond the kernel-side cost (workload made ${(s.achievedRate / 1000).toFixed(0)}k calls/s)`, `${(100 * s.cpuShare).toFixed(2)} % of one CPU`, { target: '< 2 %', verdict: verdict(s.cpuShare < 0.02) }));
    rows.push(row(`server RSS after a minute's warm-up (${rss.n} samples, every 10 s)`, mb(rss.median), { spread: `${mb(rss.min)} – ${mb(rss.max)}` }));
    rows.push(row('  RSS growth after warm-up (max − min)', mb(rss.max - rss.min), { target: 'flat within 10 MB', verdict: verdict(rss.max - rss.min <= 10e6) }));
    rows.push(row(`  scrape of the live server (${s.liveSeries} series)`, ms(s.liveScrapeMs.median), { spread: spreadOf(s.liveScrapeMs, ms) }));
  }
  if (scrape) rows.push(row(`scrape of ${scrape.series.toLocaleString('en-US')} series (${(scrape.bytes / 1e6).toFixed(1)} MB of text)`, ms(scrape.ms.median), { spread: spreadOf(scrape.ms, ms) }));
  return { title: `8. bpfql serve${s ? `: ${s.minutes} min, 10 standing queries under ${(s.rate / 1000).toFixed(0)}k getppid/s` : ''}`, rows };
}

function socketIoSection(r: SocketIoResult): Section {
  const gbps = (v: number): string => `${(v / 1e9).toFixed(2)} GB/s`;
  const untraced = summarize(r.untraced);
  const traced = summarize(r.traced);
  const drop = throughputDrop(r);
  // Both ends count: each byte is sent once and received once.
  const exact = r.counted.filter((c) => c === 2 * r.bytesPerRun).length;
  return {
    title: `9. socket_io: a ${(r.bytesPerRun / 1e9).toFixed(0)} GB loopback transfer with and without sum(bytes) by comm in the kernel`,
    rows: [
      row('transfer, untraced', gbps(untraced.median), { spread: spreadOf(untraced, gbps) }),
      row(`transfer, socket_io attached (bytes counted exactly in ${exact} of ${r.counted.length} runs)`, gbps(traced.median), { spread: spreadOf(traced, gbps), verdict: exact === r.counted.length ? '' : 'UNVERIFIED' }),
      row('  throughput lost to tracing (median of paired runs)', `${(100 * drop).toFixed(1)} %`, { target: '< 3 %', verdict: verdict(drop < 0.03) }),
    ],
  };
}

export function sections(r: BenchResults): Section[] {
  const missing = r.machine.bpftrace === undefined;
  const out: Section[] = [];
  if (r.overhead) out.push(overheadSection(r.overhead, missing));
  if (r.sideBySide) out.push(sideBySideSection(r.sideBySide));
  if (r.overhead || r.inProcess || r.imports) out.push(startupSection(r, missing));
  if (r.streaming) out.push(streamingSection(r.streaming));
  if (r.arrow) out.push(arrowSection(r.arrow));
  if (r.overhead) out.push(memorySection(r.overhead, missing), exitSection(r, r.overhead, missing));
  if (r.alerts) out.push(alertsSection(r.alerts));
  if (r.scrape || r.serve) out.push(serveSection(r.scrape, r.serve));
  if (r.socketIo) out.push(socketIoSection(r.socketIo));
  return out;
}

const HEADER: Row = { figure: 'figure', value: 'median', spread: 'q1 – q3', issue: 'issue (other machine)', target: 'target', verdict: '' };

/** Plain-text table: one header, a title line per section, columns padded to fit. */
export function renderTable(all: readonly Section[]): string {
  const rows = [HEADER, ...all.flatMap((s) => s.rows)];
  const keys = ['figure', 'value', 'spread', 'issue', 'target', 'verdict'] as const;
  const widths = keys.map((k) => Math.max(...rows.map((r) => r[k].length)));
  const line = (r: Row): string => keys.map((k, i) => r[k].padEnd(widths[i]!)).join(' | ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  const out = [line(HEADER), rule];
  for (const s of all) {
    out.push(s.title);
    for (const r of s.rows) out.push(line(r));
  }
  return out.join('\n');
}
