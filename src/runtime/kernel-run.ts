// Runs a compiled program in the kernel: loads and attaches it, waits until the query should
// end, and collects what it produced (stream-run, aggregate-run, every-run). Results are read
// before anything is torn down; teardown (slow: RCU grace periods) happens after.
import type { CompiledProgram } from '../bpf-templates/compile.js';
import { STATS_MAP } from '../bpf-templates/stats.js';
import type { KernelPlan } from '../planner/plan.js';
import { aggregate } from './aggregate-run.js';
import { aggregateWindows, streamWindows } from './every-run.js';
import { type Attached, loadAndAttach } from './load.js';
import { CgroupRun, needsCgroups } from './cgroup-run.js';
import { afterMs } from './long-timer.js';
import { readStats } from './read-stats.js';
import type { KernelRunOptions, KernelRunResult } from './run-options.js';
import type { Running } from './running.js';
import { kernelAddressTextFor, stackTextFor } from './stack-text.js';
import { stream } from './stream-run.js';
import { monotonicToWallOffset } from './clock.js';
import { GATE_MAP } from '../bpf-templates/gate.js';
import type { OpenWindow } from './window-gate.js';

/** Throws KernelError (VerifierError when the verifier rejects a program) with nothing left loaded. */
export async function runKernel(plan: KernelPlan, prog: CompiledProgram, opts: KernelRunOptions): Promise<KernelRunResult> {
  if (opts.every !== undefined && !prog.windowed) throw new Error('EVERY needs a program compiled with windowed');
  // Cgroup names are watched from before the program runs, and its cgroup sets filled before it is attached.
  const cgroups = needsCgroups(plan.columns) ? CgroupRun.start() : undefined;
  if (opts.gate !== undefined && !prog.gated) throw new Error('a shared window needs a program compiled gated');
  let attached: Attached;
  let window: OpenWindow | undefined;
  try {
    attached = loadAndAttach(plan, prog, (m) => cgroups?.fillSets(plan.columns, m));
  } catch (e) {
    cgroups?.close();
    opts.gate?.abandon();
    throw e;
  }
  const { scope, maps, programs } = attached;
  try {
    window = opts.gate ? await opts.gate.join(maps.get(GATE_MAP)!) : undefined;
  } catch (e) {
    scope.closeAll();
    cgroups?.close();
    throw e;
  }
  const attachedMono = window?.startMono ?? attached.attachedMono;
  const startedAt = new Date();
  // One offset for the rows' timestamps and the windows' bounds, so a row's ts and its window agree exactly.
  const wallOffset = monotonicToWallOffset();
  opts.onAttached?.(programs.length);
  const stats = maps.get(STATS_MAP)!;
  // Read while the run's processes are likely still alive: user stacks are named from their mappings.
  const stacks = stackTextFor(maps);
  const symbols = kernelAddressTextFor(plan.columns);
  const names = { ...(stacks ? { stacks } : {}), ...(symbols ? { symbols } : {}), ...(cgroups ? { cgroups: cgroups.names } : {}) };
  // FOR counts from the moment of attaching: that long of events, whatever loading took.
  const nominalEnd = window ? window.nominalEnd : opts.durationMs === undefined ? undefined : attachedMono + BigInt(opts.durationMs) * 1_000_000n;
  let cancelTimer = (): void => undefined;
  const timedOut = window || nominalEnd === undefined ? new Promise<void>(() => undefined) : new Promise<void>((resolve) => {
    cancelTimer = afterMs(Number(nominalEnd - process.hrtime.bigint()) / 1e6, resolve);
  });
  try {
    const started = performance.now();
    const run: Running = { plan, maps, programs, stats, names, scope, attachedMono, wallOffset, nominalEnd, started, stopped: false, ended: Promise.resolve() };
    run.ended = (opts.gate ? opts.gate.ended : Promise.race([opts.until, timedOut])).then(() => {
      run.stopped = true;
    });
    const result =
      plan.mode.kind === 'stream'
        ? opts.every
          ? await streamWindows(run, plan.mode, opts, opts.every)
          : await stream(run, plan.mode, opts)
        : opts.every
          ? await aggregateWindows(run, opts, opts.every)
          : await aggregate(run, opts);
    return {
      ...result,
      completeness: readStats(stats, programs),
      startedAt,
      endedAt: new Date(),
      ...(cgroups ? { cgroups: cgroups.all() } : {}),
      teardown: () => scope.closeAll(),
    };
  } catch (e) {
    scope.closeAll();
    throw e;
  } finally {
    cancelTimer();
    // Every row is named by now: the watch ends with the run, not with the teardown.
    cgroups?.close();
  }
}
