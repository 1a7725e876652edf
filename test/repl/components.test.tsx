// The REPL's components rendered by ink-testing-library: the result table, errors, the live view
// and the prompt driven by keys as a terminal sends them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import { COMPLETE } from '../../src/runtime/completeness.js';
import type { Outcome, RunContext } from '../../src/engine/engine.js';
import type { Backend } from '../../src/repl/backend.js';
import { App } from '../../src/repl/components/App.js';
import { ErrorView } from '../../src/repl/components/ErrorView.js';
import { LiveView } from '../../src/repl/components/LiveView.js';
import { ResultTable } from '../../src/repl/components/ResultTable.js';
import type { QueryResult } from '../../src/output/result.js';

const ANSI = /\x1b\[[0-9;]*m/g;
/** The frame without colours and without trailing spaces (Ink trims them; the cursor at the end is one). */
const plain = (frame: string | undefined): string => (frame ?? '').replace(ANSI, '').split('\n').map((l) => l.trimEnd()).join('\n');
const settle = (ms = 30): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const RESULT: QueryResult = {
  columns: [{ name: 'comm', type: 'VARCHAR' }, { name: 'n', type: 'BIGINT' }, { name: 'hist(bytes)', type: 'STRUCT(lo BIGINT, hi BIGINT, count UBIGINT)[]' }],
  rows: [['cat', 12, [{ lo: 1024, hi: 2047, count: 2 }, { lo: 2048, hi: 4095, count: 8 }]], ['ls', 3, null]],
};

test('ResultTable: an aligned table, the histogram as bars under its row', () => {
  const { lastFrame, unmount } = render(<ResultTable result={RESULT} width={40} />);
  assert.equal(plain(lastFrame()), [
    'comm |  n',
    '-----+---',
    'cat  | 12',
    '  hist(bytes)',
    // 40 columns, less the indent, leave 22 for the bars: 2/8 of them is 5½ cells.
    `    [1K, 2K) 2 |${'█████▌'.padEnd(22)}|`,
    `    [2K, 4K) 8 |${'█'.repeat(22)}|`,
    'ls   |  3',
    '  hist(bytes)',
    '    NULL',
    '(2 rows)',
  ].join('\n'));
  unmount();
});

test('ErrorView: the message, the statement line and the caret, one per line', () => {
  const text = "query:1:8: error[unknown-column]: unknown column 'co' in table 'exec'\n1 | SELECT co FROM exec\n           ^^";
  const { lastFrame, unmount } = render(<ErrorView text={text} />);
  assert.equal(plain(lastFrame()), text);
  unmount();
});

test('LiveView: elapsed time, events, rows and lost records, then the current result', () => {
  const current: QueryResult = { columns: [{ name: 'comm', type: 'VARCHAR' }, { name: 'n', type: 'BIGINT' }], rows: [['cat', 1200], ['ls', 34]] };
  const running = {
    statement: 'SELECT comm, count(*) AS n\nFROM exec GROUP BY comm',
    startedAt: 0,
    attached: true,
    stopping: false,
    progress: { elapsedMs: 3250, rows: 2, events: 1234, completeness: COMPLETE, current },
  };
  const { lastFrame, rerender, unmount } = render(<LiveView running={running} width={99} height={24} />);
  assert.equal(plain(lastFrame()), [
    '● running  3.3s  ·  1,234 events  ·  2 rows  ·  0 lost  Ctrl-C stops and keeps the result',
    'SELECT comm, count(*) AS n FROM exec GROUP BY comm',
    'comm |    n',
    '-----+-----',
    'cat  | 1200',
    'ls   |   34',
    '(2 rows)',
  ].join('\n'));
  rerender(<LiveView running={{ ...running, stopping: true, progress: { ...running.progress, completeness: { lostRecords: 7, failedUpdates: 0, lostPairs: 0, lostStacks: 0, missedEvents: 0 } } }} width={99} height={9} />);
  assert.equal(plain(lastFrame()), [
    '● stopping  3.3s  ·  1,234 events  ·  2 rows  ·  7 lost  collecting the result…',
    'SELECT comm, count(*) AS n FROM exec GROUP BY comm',
    'INCOMPLETE: 7 records lost (ring buffer full)',
    'comm |    n',
    '-----+-----',
    'cat  | 1200',
    'ls   |   34',
    '(2 rows)',
  ].join('\n'));
  unmount();
});

test('LiveView: a streamed query counts its events; before the program is attached it is starting', () => {
  const running = { statement: 'SELECT * FROM exec', startedAt: 0, attached: true, stopping: false, progress: { elapsedMs: 12_040, rows: 15_000, events: 15_000, completeness: COMPLETE } };
  const { lastFrame, rerender, unmount } = render(<LiveView running={running} width={99} height={24} />);
  assert.equal(plain(lastFrame()), '● running  12.0s  ·  15,000 events  ·  0 lost  Ctrl-C stops and keeps the result\nSELECT * FROM exec');
  rerender(<LiveView running={{ statement: 'SELECT * FROM exec', startedAt: 0, attached: false, stopping: false }} width={99} height={24} />);
  assert.equal(plain(lastFrame()), '● starting  Ctrl-C stops and keeps the result\nSELECT * FROM exec');
  unmount();
});

test('LiveView: a streamed query shows its latest rows that fit, the rows counted beside the events', () => {
  const columns = [{ name: 'pid', type: 'INTEGER' }, { name: 'comm', type: 'VARCHAR' }];
  const streamed = { columns, rows: Array.from({ length: 40 }, (_, i) => [1000 + 60 + i, 'true']), total: 100 };
  const running = { statement: 'SELECT pid, comm FROM exec', startedAt: 0, attached: true, stopping: false, streamed, progress: { elapsedMs: 3_000, rows: 100, events: 100, completeness: COMPLETE } };
  // 12 lines of terminal: 5 rows fit under the status, statement, header and rule.
  const { lastFrame, rerender, unmount } = render(<LiveView running={running} width={99} height={12} />);
  assert.equal(plain(lastFrame()), [
    '● running  3.0s  ·  100 events  ·  100 rows  ·  0 lost  Ctrl-C stops and keeps the result',
    'SELECT pid, comm FROM exec',
    ' pid | comm',
    '-----+-----',
    '1095 | true',
    '1096 | true',
    '1097 | true',
    '1098 | true',
    '1099 | true',
    '(the latest 5 of 100 rows)',
  ].join('\n'));
  // Fewer rows than fit: all of them, counted like every other result.
  rerender(<LiveView running={{ ...running, streamed: { columns, rows: [[7, 'sh']], total: 1 } }} width={99} height={12} />);
  assert.match(plain(lastFrame()), / 1 row {2}· {2}0 lost[^]*pid \| comm\n-+\+-+\n {2}7 \| sh\n\(1 row\)$/);
  unmount();
});

/** A backend answering like DuckDB for `SELECT <n> AS <name>;`, and like a kernel query for `KERNEL`. */
function fakeBackend(): { backend: Backend; executed: string[] } {
  const executed: string[] = [];
  const backend: Backend = {
    names: async () => ({ tables: ['exec', 'tracepoint.sched.sched_switch', 'tracepoint.syscalls.sys_enter_read'], columnsOf: (t) => (t === 'exec' ? ['comm', 'cpu', 'pid'] : []) }),
    release: () => undefined,
    async execute(text: string, ctx: RunContext): Promise<Outcome> {
      executed.push(text);
      if (text === 'KERNEL') {
        ctx.onAttached?.(1);
        const current: QueryResult = { columns: [{ name: 'n', type: 'BIGINT' }], rows: [[41]] };
        ctx.onTick?.({ elapsedMs: 500, rows: 1, events: 41, completeness: COMPLETE, current });
        await new Promise<void>((resolve) => ctx.signal?.addEventListener('abort', () => resolve()));
        return { kind: 'rows', result: { columns: [{ name: 'n', type: 'BIGINT' }], rows: [[42]] }, table: 'last' };
      }
      const m = /^SELECT (\d+)\s+AS (\w+)$/.exec(text);
      if (!m) throw new Error(`no such thing: ${text}`);
      return { kind: 'rows', result: { columns: [{ name: m[2]!, type: 'INTEGER' }], rows: [[Number(m[1])]] } };
    },
  };
  return { backend, executed };
}

function fakeHistory(entries: string[] = []): { entries: string[]; add: (e: string) => void } {
  return { entries, add: (e) => entries.push(e) };
}

test('the prompt: lines continue until a semicolon, then the entry runs and is echoed above its result', async () => {
  const { backend, executed } = fakeBackend();
  const history = fakeHistory();
  const { stdin, lastFrame, unmount } = render(<App backend={backend} history={history} banner="hello" />);
  await settle();
  stdin.write('SELECT 1');
  await settle();
  assert.equal(plain(lastFrame()), 'hello\nbpfql> SELECT 1');
  stdin.write('\r');
  await settle();
  assert.equal(plain(lastFrame()), 'hello\nbpfql> SELECT 1\n   ..>');
  stdin.write('AS x;');
  await settle();
  stdin.write('\r');
  await settle();
  assert.deepEqual(executed, ['SELECT 1\nAS x']);
  assert.deepEqual(history.entries, ['SELECT 1\nAS x;']);
  assert.equal(plain(lastFrame()), ['hello', 'bpfql> SELECT 1', '   ..> AS x;', 'x', '-', '1', '(1 row)', 'bpfql>'].join('\n'));
  unmount();
});

test('the prompt: editing keys, history with Up, Ctrl-C clears the line, Ctrl-R searches', async () => {
  const { backend } = fakeBackend();
  const { stdin, lastFrame, unmount } = render(<App backend={backend} history={fakeHistory(['SELECT 7 AS seven;', 'SELECT 8 AS eight;'])} />);
  await settle();
  const type = async (s: string): Promise<void> => {
    stdin.write(s);
    await settle();
  };
  await type('SELECT 2 AS tw');
  await type('\x1b[D'); // Left
  await type('\x1b[D');
  await type('\x7f'); // Backspace
  await type('X');
  assert.equal(plain(lastFrame()), 'bpfql> SELECT 2 ASXtw');
  await type('\x01'); // Ctrl-A
  await type('\x0b'); // Ctrl-K
  assert.equal(plain(lastFrame()), 'bpfql>');
  await type('\x1b[A'); // Up
  assert.equal(plain(lastFrame()), 'bpfql> SELECT 8 AS eight;');
  await type('\x1b[A');
  assert.equal(plain(lastFrame()), 'bpfql> SELECT 7 AS seven;');
  await type('\x03'); // Ctrl-C
  assert.equal(plain(lastFrame()), 'bpfql>');
  await type('\x12'); // Ctrl-R
  await type('sev');
  assert.equal(plain(lastFrame()), "(reverse-i-search)'sev': SELECT 7 AS seven;");
  await type('\r');
  assert.equal(plain(lastFrame()), ['bpfql> SELECT 7 AS seven;', 'seven', '-----', '    7', '(1 row)', 'bpfql>'].join('\n'));
  unmount();
});

test('the prompt: Tab completes a table, then lists the choices one segment at a time', async () => {
  const { backend } = fakeBackend();
  const { stdin, lastFrame, unmount } = render(<App backend={backend} history={fakeHistory()} />);
  await settle();
  stdin.write('SELECT c FROM e');
  await settle();
  stdin.write('\t');
  await settle();
  assert.equal(plain(lastFrame()), 'bpfql> SELECT c FROM exec');
  stdin.write(' JOIN t');
  await settle();
  stdin.write('\t');
  await settle();
  assert.equal(plain(lastFrame()), 'bpfql> SELECT c FROM exec JOIN tracepoint.');
  stdin.write('\t');
  await settle();
  assert.equal(plain(lastFrame()), 'bpfql> SELECT c FROM exec JOIN tracepoint.s');
  stdin.write('\t');
  await settle();
  assert.equal(plain(lastFrame()), 'bpfql> SELECT c FROM exec JOIN tracepoint.s\nsched.  syscalls.');
  unmount();
});

test('the live view replaces the prompt while a kernel query runs; Ctrl-C ends it and shows the result', async () => {
  const { backend, executed } = fakeBackend();
  const { stdin, lastFrame, unmount } = render(<App backend={backend} history={fakeHistory()} />);
  await settle();
  stdin.write('KERNEL;');
  await settle();
  stdin.write('\r');
  await settle(300);
  assert.equal(plain(lastFrame()), [
    'bpfql> KERNEL;',
    '● running  0.5s  ·  41 events  ·  1 row  ·  0 lost  Ctrl-C stops and keeps the result',
    'KERNEL',
    ' n',
    '--',
    '41',
    '(1 row)',
  ].join('\n'));
  stdin.write('SELECT 3 AS typed_ahead;');
  stdin.write('\r');
  await settle();
  stdin.write('\x03');
  await settle(100);
  assert.deepEqual(executed, ['KERNEL', 'SELECT 3 AS typed_ahead']);
  assert.equal(plain(lastFrame()), [
    'bpfql> KERNEL;', ' n', '--', '42', '(1 row)',
    'bpfql> SELECT 3 AS typed_ahead;', 'typed_ahead', '-----------', '          3', '(1 row)',
    'bpfql>',
  ].join('\n'));
  unmount();
});

test('a history that cannot be written is told once, above the first result', async () => {
  const { backend } = fakeBackend();
  const history: { entries: string[]; problem: string | undefined; add: (e: string) => void } = {
    entries: [],
    problem: undefined,
    add(e) {
      this.entries.push(e);
      this.problem = 'cannot write history /x/bpfql/history: EACCES';
    },
  };
  const { stdin, lastFrame, unmount } = render(<App backend={backend} history={history} />);
  await settle();
  for (const entry of ['SELECT 1 AS a;', 'SELECT 2 AS b;']) {
    stdin.write(entry);
    await settle();
    stdin.write('\r');
    await settle();
  }
  assert.equal(plain(lastFrame()), [
    'cannot write history /x/bpfql/history: EACCES',
    'bpfql> SELECT 1 AS a;', 'a', '-', '1', '(1 row)',
    'bpfql> SELECT 2 AS b;', 'b', '-', '2', '(1 row)',
    'bpfql>',
  ].join('\n'));
  unmount();
});
