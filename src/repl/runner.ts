// Runs what is entered at the prompt: SQL statements one after the other through the backend, and
// meta commands. It reports through hooks (what to print, what is running) and knows nothing of
// Ink, so it is tested with a fake backend.
import { reportError } from '../engine/report-error.js';
import { describeCompleteness, isComplete } from '../runtime/completeness.js';
import type { Outcome, Progress } from '../engine/engine.js';
import { splitStatements } from '../query/split.js';
import type { TextFormatName } from '../output/formats.js';
import { textFormat } from '../output/formats.js';
import type { QueryResult } from '../output/result.js';
import { formatResult } from '../output/result-text.js';
import { appendFileText } from '../output/safe-file.js';
import { displayText } from '../output/display-text.js';
import type { Backend } from './backend.js';
import type { StreamedRows } from './latest-rows.js';
import { LatestRows } from './latest-rows.js';
import type { MetaCommand } from './meta.js';
import { HELP, parseMeta } from './meta.js';
import { inputKind } from './statement.js';
import { assertNever } from '../diag/assert-never.js';

export type TranscriptItem =
  | { readonly kind: 'input'; readonly id: number; readonly text: string }
  | { readonly kind: 'table'; readonly id: number; readonly result: QueryResult }
  | { readonly kind: 'text'; readonly id: number; readonly text: string }
  | { readonly kind: 'note'; readonly id: number; readonly text: string; readonly warn: boolean }
  | { readonly kind: 'error'; readonly id: number; readonly text: string };

/** Distributes Omit over the union, so items can be written without their id. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
export type ItemText = WithoutId<TranscriptItem>;

export interface Running {
  readonly statement: string;
  /** Date.now() when it started. */
  readonly startedAt: number;
  /** A kernel query whose program is attached. */
  readonly attached: boolean;
  readonly progress?: Progress;
  /** A streamed query: its latest rows, shown as they come. */
  readonly streamed?: StreamedRows;
  /** Ctrl-C was pressed; the result is being collected. */
  readonly stopping: boolean;
}

export interface RunnerHooks {
  print(items: readonly TranscriptItem[]): void;
  running(r: Running | undefined): void;
  quit(): void;
}

export interface Settings {
  readonly format: TextFormatName;
  /** Results are appended to this file instead of shown. */
  readonly output?: string;
  readonly timer: boolean;
}

/** Rows shown on screen in table format (and kept for the live view of a streamed query); the rest stay in DuckDB. */
export const SCREEN_ROWS = 100;
/** Stream mode ticks arrive every 50 ms; the screen needs a few a second. */
const TICK_MS = 200;

/** The result with every string value written as display-text.ts escapes it. */
function escapedStrings(r: QueryResult): QueryResult {
  return { columns: r.columns, rows: r.rows.map((row) => row.map((v) => (typeof v === 'string' ? displayText(v) : v))) };
}

export class Runner {
  private nextId = 0;
  private controller: AbortController | undefined;
  private current: Running | undefined;
  private lastTick = 0;

  constructor(private readonly backend: Backend, private readonly hooks: RunnerHooks, public settings: Settings = { format: 'table', timer: false }) {}

  get busy(): boolean {
    return this.controller !== undefined;
  }

  /** Ctrl-C: stops the running statement (its result is kept). False when nothing runs. */
  interrupt(): boolean {
    if (!this.controller) return false;
    this.controller.abort();
    if (this.current) this.update({ ...this.current, stopping: true });
    return true;
  }

  /** Runs one entry: a meta command, or SQL statements until one fails or is interrupted. */
  async submit(text: string): Promise<void> {
    this.print([{ kind: 'input', text: text.trim() }]);
    if (inputKind(text) === 'meta') {
      const parsed = parseMeta(text);
      if (parsed.ok) await this.meta(parsed.command);
      else this.print([{ kind: 'error', text: `error: ${parsed.message}` }]);
      return;
    }
    for (const stmt of splitStatements(text)) {
      if (!(await this.statement(stmt.text))) break;
    }
  }

  /** A line from the REPL itself (e.g. the history file could not be written). */
  note(text: string, warn: boolean): void {
    this.print([{ kind: 'note', text, warn }]);
  }

  private print(items: readonly ItemText[]): void {
    this.hooks.print(items.map((i) => ({ ...i, id: this.nextId++ })));
  }

  private update(r: Running | undefined): void {
    this.current = r;
    this.hooks.running(r);
  }

  /** Runs one statement; false when the entry should stop here. */
  private async statement(text: string): Promise<boolean> {
    const controller = new AbortController();
    this.controller = controller;
    const started = performance.now();
    this.current = { statement: text, startedAt: Date.now(), attached: false, stopping: false };
    // EVERY on screen in a format that shows windows live (the table): each window as it closes,
    // rather than all at the end.
    const windowsLive = textFormat(this.settings.format).liveWindows && this.settings.output === undefined;
    // A query whose rows each come from one event shows them scrolling by as they arrive.
    const latest = new LatestRows(SCREEN_ROWS);
    try {
      const outcome = await this.backend.execute(text, {
        signal: controller.signal,
        ...(windowsLive ? { onWindow: (rows: QueryResult) => this.print([{ kind: 'table', result: rows }]) } : {}),
        onAttached: () => this.current && this.update({ ...this.current, attached: true }),
        onRows: latest,
        onTick: (progress) => {
          const now = performance.now();
          if (!this.current || now - this.lastTick < TICK_MS) return;
          this.lastTick = now;
          const streamed = latest.snapshot();
          this.update({ ...this.current, progress, ...(streamed ? { streamed } : {}) });
        },
      });
      this.update(undefined);
      this.show(outcome, performance.now() - started, controller.signal.aborted, windowsLive);
      return !controller.signal.aborted;
    } catch (e) {
      this.update(undefined);
      this.print([{ kind: 'error', text: reportError(e, text).text }]);
      return false;
    } finally {
      this.controller = undefined;
      // Detaching is slow (RCU grace periods): after the result is on screen, not before.
      setTimeout(() => this.backend.release(), 50);
    }
  }

  private show(o: Outcome, ms: number, interrupted: boolean, windowsShown: boolean): void {
    const items: ItemText[] = [];
    switch (o.kind) {
      case 'rows':
        if (!(windowsShown && o.kernel?.plan.everyMs !== undefined)) items.push(...this.output(o.result));
        break;
      case 'text': items.push(...this.outputText(o.text)); break;
      case 'done': items.push({ kind: 'note', text: o.message, warn: false }); break;
      default:
        return assertNever(o);
    }
    if (o.kind !== 'text' && o.kernel) {
      const c = o.kernel.completeness;
      items.push({ kind: 'note', text: describeCompleteness(c), warn: !isComplete(c) });
      if (interrupted) {
        const secs = ((o.kernel.endedAt.getTime() - o.kernel.startedAt.getTime()) / 1000).toFixed(1);
        items.push({ kind: 'note', text: `stopped by Ctrl-C after ${secs}s${o.kind === 'rows' && o.table ? `; the result is in table ${o.table}` : ''}`, warn: false });
      }
    }
    if (this.settings.timer) items.push({ kind: 'note', text: `Run Time: ${(ms / 1000).toFixed(3)} s`, warn: false });
    this.print(items);
  }

  private output(r: QueryResult): ItemText[] {
    const format = this.settings.format;
    if (this.settings.output !== undefined) return this.toFile(formatResult(r, format), `${r.rows.length} ${r.rows.length === 1 ? 'row' : 'rows'}`);
    const screen = textFormat(format).screen;
    switch (screen) {
      case 'table': return [{ kind: 'table', result: r }];
      // No escapes of its own (CSV): on screen, strings are escaped as in a table (display-text.ts).
      case 'escaped-text': return [{ kind: 'text', text: formatResult(escapedStrings(r), format) }];
      // Its own escapes keep it unambiguous (JSON); the transcript escapes what it leaves raw.
      case 'text': return [{ kind: 'text', text: formatResult(r, format) }];
    }
  }

  private outputText(text: string): ItemText[] {
    return this.settings.output !== undefined ? this.toFile(text, 'text') : [{ kind: 'text', text }];
  }

  private toFile(text: string, what: string): ItemText[] {
    const file = this.settings.output!;
    try {
      appendFileText(file, `${text}\n`);
      return [{ kind: 'note', text: `wrote ${what} to ${file}`, warn: false }];
    } catch (e) {
      return [{ kind: 'error', text: `error: ${(e as Error).message}` }];
    }
  }

  private async meta(c: MetaCommand): Promise<void> {
    switch (c.kind) {
      case 'tables': await this.statement('SHOW TABLES'); return;
      case 'schema': await this.statement(`DESCRIBE ${c.table}`); return;
      case 'explain': await this.statement(`EXPLAIN ${c.query}`); return;
      case 'format':
        this.settings = { ...this.settings, format: c.format };
        this.print([{ kind: 'note', text: `results as ${c.format}`, warn: false }]);
        return;
      case 'output': {
        const { output: _old, ...rest } = this.settings;
        this.settings = c.file === undefined ? rest : { ...rest, output: c.file };
        this.print([{ kind: 'note', text: c.file === undefined ? 'results go to the screen' : `results are appended to ${c.file}`, warn: false }]);
        return;
      }
      case 'timer':
        this.settings = { ...this.settings, timer: c.on };
        this.print([{ kind: 'note', text: `timer ${c.on ? 'on' : 'off'}`, warn: false }]);
        return;
      case 'help': this.print([{ kind: 'text', text: HELP }]); return;
      case 'quit': this.hooks.quit(); return;
      default:
        return assertNever(c);
    }
  }
}
