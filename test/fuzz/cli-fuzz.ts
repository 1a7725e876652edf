// Runs fuzzed command lines in-process the way `bpfql` runs them — parseCli, the output checks,
// the engine over each statement, reportError for whatever fails — with a fake kernel, so that a
// query that passes every check fails at its first bpf() call (exit 1) instead of tracing. Each
// line must end in exit 0, 1 or 2, print no stack trace, and hit no internal error (TypeError and
// its kind are bugs, whatever the exit code would have been).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCli, UsageError } from '../../src/cli/args.js';
import { reportError } from '../../src/engine/report-error.js';
import { outputPathProblem } from '../../src/cli/output-path.js';
import { Engine, shiftDiagnostics } from '../../src/engine/engine.js';
import { setSys } from '../../src/kernel/sys.js';
import { splitStatements } from '../../src/query/split.js';
import { exportQuery } from '../../src/output/export.js';
import { exportFormatOf } from '../../src/output/formats.js';
import { readmeQueries } from '../cli/corpus/bad-inputs.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';
import { FakeSys } from '../kernel/fake-sys.js';
import { commandLineCase, type CommandLineCase } from './cli-lines.js';
import { tableShapes } from './tables.js';

const STACK = /\n\s+at .+:\d+:\d+\)?$/m;
/** A line taking longer than this is a failure. */
export const LINE_MS = 10_000;

export interface LineOutcome {
  readonly exitCode: number;
  readonly text: string;
  /** Why this is a bug, if it is one. */
  readonly failure?: string;
}

function internalBug(e: unknown): string | undefined {
  return e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || e instanceof SyntaxError ? `${e.name}: ${e.message}` : undefined;
}

export class CommandLineRunner {
  readonly dir = mkdtempSync(join(tmpdir(), 'bpfql-fuzz-'));
  private readonly examples = readmeQueries();
  private readonly catalog = fixtureCatalog();
  private readonly tables = tableShapes(this.catalog);
  private readonly fake = new FakeSys();
  /** One engine per --max-keys value (they are cheap to share; --db gets its own). */
  private readonly engines = new Map<number | undefined, Engine>();

  constructor() {
    mkdirSync(join(this.dir, 'a-dir.csv'));
    writeFileSync(join(this.dir, 'script.sql'), `${this.examples[0]!};\nSELECT count(*) AS n FROM last;\n`);
    writeFileSync(join(this.dir, 'corrupt.duckdb'), 'not a database '.repeat(300));
    setSys(this.fake);
  }

  caseAt(seed: number, index: number): CommandLineCase {
    return commandLineCase(seed, index, this.examples, this.tables, this.dir);
  }

  private async engine(db: string | undefined, maxKeys: number | undefined): Promise<Engine> {
    const opts = { ...(db !== undefined ? { db } : {}), ...(maxKeys !== undefined ? { maxEntries: maxKeys } : {}) };
    if (db !== undefined) return Engine.open(opts, this.catalog, fixturePlannerEnv);
    let e = this.engines.get(maxKeys);
    if (!e) {
      e = await Engine.open(opts, this.catalog, fixturePlannerEnv);
      this.engines.set(maxKeys, e);
    }
    return e;
  }

  /** `bpfql ...argv` with standard input empty and not a terminal. */
  async run(argv: readonly string[]): Promise<LineOutcome> {
    let opts;
    try {
      opts = parseCli(argv);
    } catch (e) {
      if (!(e instanceof UsageError)) return { exitCode: 1, text: String(e), failure: internalBug(e) ?? `parseCli threw ${String(e)}` };
      return { exitCode: 2, text: `error: ${e.message}` };
    }
    if (opts.help || opts.version) return { exitCode: 0, text: '' };
    let script: string;
    try {
      script = opts.query ?? (opts.file !== undefined && opts.file !== '-' ? readFileSync(opts.file, 'utf8') : '');
    } catch (e) {
      return { ...reportError(e, ''), ...(internalBug(e) ? { failure: internalBug(e)! } : {}) };
    }
    if (opts.output !== undefined && exportFormatOf(opts.output) === undefined) return { exitCode: 2, text: 'error: cannot tell the format' };
    const unwritable = opts.output === undefined ? undefined : outputPathProblem(opts.output);
    if (unwritable !== undefined) return { exitCode: 1, text: `error: ${unwritable}` };
    const engine = await this.engine(opts.db, opts.maxKeys);
    try {
      let last: { text: string; table?: string } | undefined;
      for (const stmt of splitStatements(script)) {
        try {
          const o = await engine.execute(stmt.text);
          last = o.kind === 'rows' ? { text: stmt.text, ...(o.table !== undefined ? { table: o.table } : {}) } : undefined;
        } catch (e) {
          const r = reportError(shiftDiagnostics(e, stmt.start), script);
          return { ...r, ...(internalBug(e) ? { failure: internalBug(e)! } : {}) };
        }
      }
      if (opts.output !== undefined && last) {
        try {
          await exportQuery(engine.session, last.table ? `SELECT * FROM ${last.table}` : last.text, opts.output, { metadata: {} });
        } catch (e) {
          const r = reportError(e, script);
          return { ...r, ...(internalBug(e) ? { failure: internalBug(e)! } : {}) };
        }
      }
      return { exitCode: 0, text: '' };
    } finally {
      if (opts.db !== undefined) await engine.close();
    }
  }

  /** The outcome of one line, with a failure for a wrong exit code, a stack trace or a hang. */
  async check(argv: readonly string[]): Promise<LineOutcome> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<LineOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ exitCode: -1, text: '', failure: `no result after ${LINE_MS} ms` }), LINE_MS);
    });
    const r = await Promise.race([this.run(argv).catch((e: unknown): LineOutcome => ({ exitCode: 1, text: String(e), failure: `escaped: ${e instanceof Error ? e.stack ?? e.message : String(e)}` })), timeout]);
    clearTimeout(timer);
    if (r.failure !== undefined) return r;
    if (![0, 1, 2].includes(r.exitCode)) return { ...r, failure: `exit ${r.exitCode}` };
    if (STACK.test(r.text)) return { ...r, failure: 'a stack trace in the output' };
    const ms = performance.now() - started;
    if (ms > LINE_MS) return { ...r, failure: `took ${ms.toFixed(0)} ms` };
    return r;
  }

  async close(): Promise<void> {
    for (const e of this.engines.values()) await e.close();
    setSys(undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface LineSummary {
  readonly cases: number;
  /** Lines per exit code. */
  readonly exits: ReadonlyMap<number, number>;
  readonly failures: readonly { readonly index: number; readonly argv: readonly string[]; readonly reason: string }[];
  readonly elapsedMs: number;
}

export async function runCommandLines(seed: number, cases: number): Promise<LineSummary> {
  const started = performance.now();
  const runner = new CommandLineRunner();
  const exits = new Map<number, number>();
  const failures: { index: number; argv: readonly string[]; reason: string }[] = [];
  try {
    for (let i = 0; i < cases; i++) {
      const c = runner.caseAt(seed, i);
      const r = await runner.check(c.argv);
      exits.set(r.exitCode, (exits.get(r.exitCode) ?? 0) + 1);
      if (r.failure !== undefined) failures.push({ index: i, argv: c.argv, reason: `${r.failure}\n${r.text}` });
    }
  } finally {
    await runner.close();
  }
  return { cases, exits, failures, elapsedMs: performance.now() - started };
}
