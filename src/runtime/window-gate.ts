// One window for several kernel queries of one statement (a join or UNION ALL of kernel tables):
// each query loads and attaches its programs with their gate closed (bpf-templates/gate.ts); once
// every one of them is attached, the gates are opened back to back, and when the statement ends
// (FOR, or `until`) they are closed back to back before any query reads its last results. So
// every query counts the events of the same stretch of time, whatever loading each one took.
import type { BpfMap } from '../kernel/map.js';
import { afterMs } from './long-timer.js';

/** A query of the window failed to load: the others give up with this, and the statement reports the failure itself. */
export class WindowAbandoned extends Error {
  constructor() {
    super('another kernel query of the statement failed');
    this.name = 'WindowAbandoned';
  }
}

/** When the shared window opened, and when its FOR ends it (CLOCK_MONOTONIC ns). */
export interface OpenWindow {
  readonly startMono: bigint;
  readonly nominalEnd: bigint | undefined;
}

const KEY = Buffer.alloc(4);

function setGate(map: BpfMap, open: boolean): void {
  const value = Buffer.alloc(8);
  value.writeBigUInt64LE(open ? 1n : 0n);
  map.update(KEY, value);
}

export class WindowGate {
  private readonly gates: BpfMap[] = [];
  private readonly waiting: { resolve: (w: OpenWindow) => void; reject: (e: unknown) => void }[] = [];
  private abandoned = false;
  private closeGates: () => void = () => undefined;
  /** Resolves once the window has ended and every gate is closed. */
  readonly ended: Promise<void>;

  /** `queries` queries share it; it ends when `until` resolves or `durationMs` after it opened. */
  constructor(private readonly queries: number, private readonly until: Promise<unknown>, private readonly durationMs: number | undefined) {
    this.ended = new Promise<void>((resolve) => {
      this.closeGates = () => {
        for (const g of this.gates) setGate(g, false);
        resolve();
      };
    });
  }

  /** A query's programs are attached, `gate` closed: resolves when the window opens, once every query's are. */
  join(gate: BpfMap): Promise<OpenWindow> {
    if (this.abandoned) return Promise.reject(new WindowAbandoned());
    this.gates.push(gate);
    const opened = new Promise<OpenWindow>((resolve, reject) => this.waiting.push({ resolve, reject }));
    if (this.gates.length === this.queries) this.open();
    return opened;
  }

  /** A query failed before joining: the others stop waiting. */
  abandon(): void {
    this.abandoned = true;
    for (const w of this.waiting.splice(0)) w.reject(new WindowAbandoned());
  }

  private open(): void {
    // No event any query counts is older than this.
    const startMono = process.hrtime.bigint();
    for (const g of this.gates) setGate(g, true);
    const nominalEnd = this.durationMs === undefined ? undefined : startMono + BigInt(this.durationMs) * 1_000_000n;
    let cancel = (): void => undefined;
    const timedOut = nominalEnd === undefined ? new Promise<void>(() => undefined) : new Promise<void>((resolve) => {
      cancel = afterMs(Number(nominalEnd - process.hrtime.bigint()) / 1e6, resolve);
    });
    const end = (): void => {
      cancel();
      this.closeGates();
    };
    void Promise.race([this.until, timedOut]).then(end, end);
    for (const w of this.waiting.splice(0)) w.resolve({ startMono, nominalEnd });
  }
}
