// The corpus of bad inputs, in-process: each statement goes through the engine and its error
// through reportError, as the CLI does, with a fake kernel that records every bpf() and
// perf_event_open() call — a bad input must be refused before any of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCli, UsageError } from '../../../src/cli/args.js';
import { reportError } from '../../../src/engine/report-error.js';
import { outputPathProblem } from '../../../src/cli/output-path.js';
import { Engine, shiftDiagnostics } from '../../../src/engine/engine.js';
import { setSys } from '../../../src/kernel/sys.js';
import { splitStatements } from '../../../src/query/split.js';
import { FakeSys } from '../../kernel/fake-sys.js';
import { fixtureCatalog, fixturePlannerEnv } from '../../helpers/fixture-catalog.js';
import { badOptions, badQueries, readmeQueries } from './bad-inputs.js';

const STACK = /\n\s+at .+:\d+:\d+\)?$/m;

function kernelCalls(fake: FakeSys): number {
  return fake.bpfCalls.length + fake.perfCalls.length + fake.ioctlCalls.length;
}

/** The CLI's loop over a script's statements: the first error's text and exit code, or undefined. */
async function runScript(engine: Engine, script: string): Promise<{ text: string; exitCode: number } | undefined> {
  for (const stmt of splitStatements(script)) {
    try {
      await engine.execute(stmt.text);
    } catch (e) {
      return reportError(shiftDiagnostics(e, stmt.start), script);
    }
  }
  return undefined;
}

/** `query:L:C: error[code]: …`, then the line, then a caret under column C. */
function assertCaret(text: string, script: string, what: string): void {
  const m = /^query:(\d+):(\d+): error\[[a-z-]+\]: .+\n(\d+) \| (.*)\n( *)(\^+)$/.exec(text.split('\n').slice(0, 3).join('\n'));
  assert.ok(m, `${what}: no line:column and caret in:\n${text}`);
  const [line, column] = [Number(m[1]), Number(m[2])];
  assert.equal(Number(m[3]), line, what);
  assert.equal(m[4], script.split('\n')[line - 1], `${what}: the caret's line is the user's own`);
  assert.equal(m[5]!.length - `${line} | `.length + 1, column, `${what}: the caret is at the column`);
  assert.ok(column >= 1 && column <= (script.split('\n')[line - 1]?.length ?? 0) + 1, `${what}: column inside the line`);
  assert.doesNotMatch(text, /__bpfql/, `${what}: internal names reach the user`);
}

test('the corpus has at least 500 bad inputs, most of them typos of the README examples', () => {
  const queries = badQueries();
  assert.ok(queries.length + badOptions().length >= 500, `${queries.length + badOptions().length} inputs`);
  assert.ok(readmeQueries().length >= 15);
});

test('every bad query exits 2 with line:column and a caret in its own text, before anything reaches the kernel', async () => {
  const fake = new FakeSys();
  setSys(fake);
  const engine = await Engine.open({}, fixtureCatalog(), fixturePlannerEnv);
  const failures: string[] = [];
  try {
    for (const c of badQueries()) {
      const what = `${c.name}: ${c.sql}`;
      const before = kernelCalls(fake);
      try {
        const r = await runScript(engine, c.sql);
        assert.ok(r, `${what}: accepted`);
        assert.equal(r.exitCode, 2, `${what}: exit ${r.exitCode}: ${r.text}`);
        assertCaret(r.text, c.sql, what);
        assert.doesNotMatch(r.text, STACK, what);
        assert.equal(kernelCalls(fake), before, `${what}: reached the kernel`);
      } catch (e) {
        failures.push((e instanceof Error ? e.message : String(e)).split('\n').slice(0, 4).join(' | '));
      }
    }
  } finally {
    await engine.close();
    setSys(undefined);
  }
  assert.deepEqual(failures, []);
});

test('the harness sees loading: every README example does reach the (fake) kernel', async () => {
  const fake = new FakeSys();
  setSys(fake);
  const engine = await Engine.open({}, fixtureCatalog(), fixturePlannerEnv);
  try {
    for (const sql of readmeQueries()) {
      const before = kernelCalls(fake);
      const r = await runScript(engine, sql);
      assert.ok(r, sql);
      assert.equal(r.exitCode, 1, `${sql}: ${r.text}`);
      assert.ok(kernelCalls(fake) > before, `${sql}: never reached the kernel`);
    }
  } finally {
    await engine.close();
    setSys(undefined);
  }
});

test('every bad option line is a usage error (exit 2) with a sentence, not a stack', () => {
  for (const c of badOptions()) {
    assert.throws(() => parseCli(c.argv), (e: unknown) => {
      assert.ok(e instanceof UsageError, `${c.name}: ${String(e)}`);
      assert.ok(e.message.length > 0 && !STACK.test(e.message), c.name);
      return true;
    }, c.name);
  }
});

test('an unwritable -o is found before anything runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-corpus-'));
  try {
    mkdirSync(join(dir, 'a-dir.csv'));
    writeFileSync(join(dir, 'file'), '');
    assert.match(outputPathProblem(join(dir, 'missing', 'x.csv')) ?? '', /does not exist/);
    assert.match(outputPathProblem(join(dir, 'a-dir.csv')) ?? '', /is a directory/);
    assert.match(outputPathProblem(join(dir, 'file', 'x.csv')) ?? '', /not a directory/);
    assert.equal(outputPathProblem(join(dir, 'ok.csv')), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a --db that cannot be opened (a directory, a corrupt file) is exit 1 before the kernel is touched', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-corpus-'));
  const fake = new FakeSys();
  setSys(fake);
  try {
    const corrupt = join(dir, 'corrupt.duckdb');
    writeFileSync(corrupt, 'this is not a database'.repeat(200));
    for (const db of [dir, corrupt]) {
      const engine = await Engine.open({ db }, fixtureCatalog(), fixturePlannerEnv);
      const r = await runScript(engine, 'SELECT comm, count(*) AS n FROM exec GROUP BY comm FOR 1s');
      await engine.close();
      assert.ok(r, db);
      assert.equal(r.exitCode, 1, r.text);
      assert.match(r.text, /^error: /);
      assert.doesNotMatch(r.text, STACK);
      assert.equal(kernelCalls(fake), 0, `${db}: reached the kernel`);
    }
  } finally {
    setSys(undefined);
    rmSync(dir, { recursive: true, force: true });
  }
});
