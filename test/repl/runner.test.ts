import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KernelRunInfo, Outcome, RunContext } from '../../src/engine/engine.js';
import { Engine } from '../../src/engine/engine.js';
import { COMPLETE } from '../../src/runtime/completeness.js';
import { parseStatement } from '../../src/query/parse.js';
import type { Backend } from '../../src/repl/backend.js';
import { engineBackend } from '../../src/repl/backend.js';
import { HELP } from '../../src/repl/meta.js';
import type { ItemText, Running, TranscriptItem } from '../../src/repl/runner.js';
import { Runner } from '../../src/repl/runner.js';
import type { QueryResult } from '../../src/output/result.js';
import { fixtureCatalog, fixturePlannerEnv } from '../helpers/fixture-catalog.js';

interface Recorded {
  readonly items: TranscriptItem[];
  readonly running: (Running | undefined)[];
  quits: number;
}

function record(): { rec: Recorded; hooks: ConstructorParameters<typeof Runner>[1] } {
  const rec: Recorded = { items: [], running: [], quits: 0 };
  return { rec, hooks: { print: (xs) => rec.items.push(...xs), running: (r) => rec.running.push(r), quit: () => rec.quits++ } };
}

const withoutIds = (items: readonly TranscriptItem[]): ItemText[] => items.map(({ id: _id, ...rest }) => rest);

async function withEngine(f: (engine: Engine) => Promise<void>): Promise<void> {
  const engine = await Engine.open({}, fixtureCatalog(), fixturePlannerEnv);
  try {
    await f(engine);
  } finally {
    await engine.close();
  }
}

test('statements of one entry run in order; results are tables; ids grow', async () => {
  await withEngine(async (engine) => {
    const { rec, hooks } = record();
    const runner = new Runner(engineBackend(engine), hooks);
    await runner.submit('SELECT 1 AS a;\nSELECT 2 AS b;');
    assert.deepEqual(withoutIds(rec.items), [
      { kind: 'input', text: 'SELECT 1 AS a;\nSELECT 2 AS b;' },
      { kind: 'table', result: { columns: [{ name: 'a', type: 'INTEGER' }], rows: [[1]] } },
      { kind: 'table', result: { columns: [{ name: 'b', type: 'INTEGER' }], rows: [[2]] } },
    ]);
    assert.deepEqual(rec.items.map((i) => i.id), [0, 1, 2]);
  });
});

test('an error stops the entry and is shown as the CLI shows it, caret under the statement', async () => {
  await withEngine(async (engine) => {
    const { rec, hooks } = record();
    await new Runner(engineBackend(engine), hooks).submit('SELECT 1 AS a; SELECT comm FROM exec WHERE nosuch = 1; SELECT 3;');
    assert.deepEqual(rec.items.map((i) => i.kind), ['input', 'table', 'error']);
    const error = rec.items[2]!;
    assert.equal(error.kind, 'error');
    const lines = error.kind === 'error' ? error.text.split('\n') : [];
    assert.match(lines[0]!, /^query:1:29: error\[unknown-column\]: unknown column 'nosuch' in table 'exec'/);
    assert.equal(lines[1], '1 | SELECT comm FROM exec WHERE nosuch = 1');
    // The gutter '1 | ' and the 28 characters before 'nosuch'.
    assert.equal(lines[2], `${' '.repeat(4 + 28)}^^^^^^`);
  });
});

test('.format, .timer and .output change how results are shown; .output appends to the file', async () => {
  await withEngine(async (engine) => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfql-repl-out-'));
    try {
      const { rec, hooks } = record();
      const runner = new Runner(engineBackend(engine), hooks);
      await runner.submit('.format json');
      await runner.submit("SELECT 'x' AS s, 2 AS n;");
      await runner.submit('.format csv');
      await runner.submit("SELECT 'x' AS s, 2 AS n;");
      const file = join(dir, 'out.txt');
      await runner.submit(`.output ${file}`);
      await runner.submit('SELECT 1 AS a UNION ALL SELECT 2;');
      await runner.submit('.output');
      await runner.submit('.timer on');
      await runner.submit('SELECT 5 AS z;');
      const items = withoutIds(rec.items).filter((i) => i.kind !== 'input');
      const timer = items.pop()!;
      assert.equal(timer.kind, 'note');
      assert.match(timer.kind === 'note' ? timer.text : '', /^Run Time: \d+\.\d{3} s$/);
      assert.deepEqual(items, [
        { kind: 'note', text: 'results as json', warn: false },
        { kind: 'text', text: '[\n  {"s":"x","n":2}\n]' },
        { kind: 'note', text: 'results as csv', warn: false },
        { kind: 'text', text: 's,n\nx,2' },
        { kind: 'note', text: `results are appended to ${file}`, warn: false },
        { kind: 'note', text: `wrote 2 rows to ${file}`, warn: false },
        { kind: 'note', text: 'results go to the screen', warn: false },
        { kind: 'note', text: 'timer on', warn: false },
        { kind: 'text', text: 'z\n5' },
      ]);
      assert.equal(readFileSync(file, 'utf8'), 'a\n1\n2\n');
      assert.deepEqual(runner.settings, { format: 'csv', timer: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('.tables, .schema and .explain show what SHOW TABLES, DESCRIBE and EXPLAIN give', async () => {
  await withEngine(async (engine) => {
    const { rec, hooks } = record();
    const runner = new Runner(engineBackend(engine), hooks);
    await runner.submit('.schema exec');
    await runner.submit('.explain SELECT comm, count(*) FROM exec GROUP BY comm;');
    await runner.submit('.tables');
    const [schema, explain, tables] = rec.items.filter((i) => i.kind !== 'input');
    const described = await engine.execute('DESCRIBE exec');
    assert.equal(described.kind, 'rows');
    assert.deepEqual(schema, { kind: 'table', id: schema!.id, result: described.kind === 'rows' ? described.result : undefined });
    const explained = await engine.execute('EXPLAIN SELECT comm, count(*) FROM exec GROUP BY comm');
    assert.equal(explained.kind, 'text');
    assert.deepEqual(explain, { kind: 'text', id: explain!.id, text: explained.kind === 'text' ? explained.text : '' });
    assert.equal(tables?.kind, 'table');
    const rows = tables?.kind === 'table' ? tables.result.rows : [];
    assert.ok(rows.some((r) => r[0] === 'exec' && r[1] === 'kernel'), 'exec is listed as a kernel table');
  });
});

test('.help, .quit, and an unknown meta command', async () => {
  await withEngine(async (engine) => {
    const { rec, hooks } = record();
    const runner = new Runner(engineBackend(engine), hooks);
    await runner.submit('.help');
    await runner.submit('.qiut');
    await runner.submit('.quit');
    assert.deepEqual(withoutIds(rec.items), [
      { kind: 'input', text: '.help' },
      { kind: 'text', text: HELP },
      { kind: 'input', text: '.qiut' },
      { kind: 'error', text: "error: unknown command '.qiut'; did you mean '.quit'? (.help lists them)" },
      { kind: 'input', text: '.quit' },
    ]);
    assert.equal(rec.quits, 1);
  });
});

test('a kernel query shows its progress while it runs; interrupt ends it, keeps the result, skips the rest', async () => {
  await withEngine(async (engine) => {
    const query = 'SELECT comm, count(*) AS n FROM exec GROUP BY comm';
    const stmt = parseStatement(query);
    if (stmt.kind !== 'query') throw new Error(`parsed as ${stmt.kind}`);
    const { plan, program } = engine.prepare(stmt.query);
    const result = { columns: [{ name: 'comm', type: 'VARCHAR' }, { name: 'n', type: 'BIGINT' }], rows: [['cat', 3]] };
    const info: KernelRunInfo = { plan, program, completeness: COMPLETE, startedAt: new Date(1_000), endedAt: new Date(2_500), kernelRows: 1 };
    const calls: string[] = [];
    let started: () => void = () => undefined;
    const attached = new Promise<void>((resolve) => (started = resolve));
    // The kernel part is faked (no root needed); the ticks are what the engine would send.
    const backend: Backend = {
      names: async () => ({ tables: [], columnsOf: () => [] }),
      release: () => undefined,
      async execute(text: string, ctx: RunContext): Promise<Outcome> {
        calls.push(text);
        ctx.onAttached?.(1);
        ctx.onTick?.({ elapsedMs: 1200, rows: 1, events: 3, completeness: COMPLETE, current: result });
        started();
        await new Promise<void>((resolve) => ctx.signal?.addEventListener('abort', () => resolve()));
        return { kind: 'rows', result, kernel: info, table: 'last' };
      },
    };
    const { rec, hooks } = record();
    const runner = new Runner(backend, hooks);
    assert.equal(runner.interrupt(), false);
    const done = runner.submit(`${query}; SELECT 'never';`);
    await attached;
    assert.equal(runner.busy, true);
    assert.equal(runner.interrupt(), true);
    await done;
    assert.equal(runner.busy, false);
    assert.deepEqual(calls, [query]);
    const states = rec.running.map((r) => (r === undefined ? 'idle' : `${r.attached ? 'attached' : 'loading'}${r.progress ? ` ${r.progress.events} events` : ''}${r.stopping ? ' stopping' : ''}`));
    assert.deepEqual(states, ['attached', 'attached 3 events', 'attached 3 events stopping', 'idle']);
    assert.deepEqual(withoutIds(rec.items), [
      { kind: 'input', text: `${query}; SELECT 'never';` },
      { kind: 'table', result },
      { kind: 'note', text: 'complete: no lost records, no failed map updates, no lost pairs, no lost stacks, no skipped events', warn: false },
      { kind: 'note', text: 'stopped by Ctrl-C after 1.5s; the result is in table last', warn: false },
    ]);
  });
});

test('a streamed query: its rows reach the live view with the next tick, the latest 100 of them, all counted', async () => {
  const columns = [{ name: 'pid', type: 'INTEGER' }];
  const rows = Array.from({ length: 250 }, (_, i) => [i]);
  const backend: Backend = {
    names: async () => ({ tables: [], columnsOf: () => [] }),
    release: () => undefined,
    async execute(_text: string, ctx: RunContext): Promise<Outcome> {
      ctx.onAttached?.(1);
      ctx.onRows?.begin(columns);
      ctx.onRows?.rows(rows.slice(0, 200));
      ctx.onRows?.rows(rows.slice(200));
      ctx.onTick?.({ elapsedMs: 900, rows: 250, events: 250, completeness: COMPLETE });
      return { kind: 'rows', result: { columns, rows }, table: 'last', streamed: true };
    },
  };
  const { rec, hooks } = record();
  await new Runner(backend, hooks).submit('SELECT pid FROM exec');
  const shown = rec.running.find((r) => r?.streamed !== undefined)?.streamed;
  assert.deepEqual(shown, { columns, rows: rows.slice(150), total: 250 });
  assert.deepEqual(withoutIds(rec.items).slice(1), [{ kind: 'table', result: { columns, rows } }]);
});

test('EVERY: on screen each window is shown as it closes and not again at the end; in CSV once at the end', async () => {
  await withEngine(async (engine) => {
    const stmt = parseStatement('SELECT count(*) AS n FROM exec EVERY 1s');
    if (stmt.kind !== 'query') throw new Error(`parsed as ${stmt.kind}`);
    const { plan, program } = engine.prepare(stmt.query);
    assert.equal(plan.everyMs, 1000);
    const window = (n: number): QueryResult => ({ columns: [{ name: 'n', type: 'BIGINT' }], rows: [[n]] });
    const all: QueryResult = { columns: [{ name: 'n', type: 'BIGINT' }], rows: [[4], [6]] };
    const info: KernelRunInfo = { plan, program, completeness: COMPLETE, startedAt: new Date(0), endedAt: new Date(2_000), kernelRows: 2 };
    const backend: Backend = {
      names: async () => ({ tables: [], columnsOf: () => [] }),
      release: () => undefined,
      async execute(_text: string, ctx: RunContext): Promise<Outcome> {
        const health = { completeness: COMPLETE, programs: 1, runTimeNs: 0 };
        ctx.onWindow?.(window(4), { startUs: 0, endUs: 1_000_000, health });
        ctx.onWindow?.(window(6), { startUs: 1_000_000, endUs: 2_000_000, health });
        return { kind: 'rows', result: all, kernel: info, table: 'last' };
      },
    };
    const { rec, hooks } = record();
    const runner = new Runner(backend, hooks);
    await runner.submit('SELECT count(*) AS n FROM exec EVERY 1s;');
    await runner.submit('.format csv');
    await runner.submit('SELECT count(*) AS n FROM exec EVERY 1s;');
    const complete = { kind: 'note', text: 'complete: no lost records, no failed map updates, no lost pairs, no lost stacks, no skipped events', warn: false };
    assert.deepEqual(withoutIds(rec.items).filter((i) => i.kind !== 'input'), [
      { kind: 'table', result: window(4) },
      { kind: 'table', result: window(6) },
      complete,
      { kind: 'note', text: 'results as csv', warn: false },
      { kind: 'text', text: 'n\n4\n6' },
      complete,
    ]);
  });
});
