// The REPL showing a streamed query's rows as they happen, in a real terminal (tmux): each exec's
// row appears while the query runs, a stream longer than the screen keeps its latest screenful
// with the counters above it, Ctrl-C ends it and `last` holds every row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../helpers/cli.js';
import { Terminal, tmuxSkip } from '../helpers/terminal.js';
import { kernelSkip, NamedProgram, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip() || tmuxSkip();
/** Rows the live view has room for on the 40-line terminal: all but status, statement, header, rule, footer and two more. */
const FIT = 33;

/** Runs `path` once; its pid (an exec keeps the pid). */
async function runOnce(path: string): Promise<number> {
  const child = spawn(path, { stdio: 'ignore' });
  await new Promise((resolve) => child.on('close', resolve));
  return child.pid!;
}

/** The pids of the rows `comm` has on `screen`, top to bottom. */
function rowPids(screen: string, comm: string): number[] {
  return [...screen.matchAll(new RegExp(`^ *(\\d+) \\| ${comm} *$`, 'gm'))].map((m) => Number(m[1]));
}

test('REPL: a streamed query\'s rows scroll by live, the latest screenful and the counters kept; Ctrl-C; last holds every row', { skip }, async () => {
  const prog = new NamedProgram(uniqueComm('rs'));
  const state = mkdtempSync(join(tmpdir(), 'bpfql-repl-state-'));
  const term = new Terminal(`env XDG_STATE_HOME=${state} ${process.execPath} ${CLI}`, 'repl-stream');
  try {
    await term.waitFor('the prompt', (s) => /^bpfql> *$/m.test(s));
    term.type(`SELECT pid, comm FROM exec WHERE comm = '${prog.comm}';`);
    await term.waitFor('the live view', (s) => s.includes('● running'));
    const pids: number[] = [];
    // Each row shows up while the query runs, before the next exec.
    for (let i = 1; i <= 5; i++) {
      pids.push(await runOnce(prog.path));
      const screen = await term.waitFor(`row ${i}`, (s) => rowPids(s, prog.comm).length === i && s.includes('● running'));
      assert.match(screen, new RegExp(`● running {2}\\d+\\.\\ds {2}· {2}${i} events {2}· {2}${i} rows? {2}· {2}0 lost`));
    }
    assert.deepEqual(rowPids(term.screen(), prog.comm), pids);
    // More than a screenful: the view scrolls, keeping the latest rows under the counters.
    for (let i = 0; i < 60; i++) pids.push(await runOnce(prog.path));
    await term.waitFor('the latest screenful', (s) => s.includes(`(the latest ${FIT} of 65 rows)`));
    // What is on screen now, without the scrollback: the counters and the latest rows.
    const full = term.visible();
    assert.match(full, /● running {2}\d+\.\ds {2}· {2}65 events {2}· {2}65 rows {2}· {2}0 lost/);
    assert.deepEqual(rowPids(full, prog.comm), pids.slice(-FIT));

    term.key('C-c');
    await term.waitFor('the result', (s) => s.includes('stopped by Ctrl-C') && /^bpfql> *$/m.test(s));
    const result = term.screen();
    assert.match(result, /^\(65 rows\)$/m);
    assert.match(result, /^stopped by Ctrl-C after \d+\.\ds; the result is in table last$/m);

    const check = `SELECT count(*) AS n, count(*) FILTER (WHERE pid IN (${pids.join(', ')})) AS mine FROM last;`;
    term.type(check);
    const after = await term.waitFor('last', (s) => s.slice(s.lastIndexOf('mine')).includes('(1 row)') && /^bpfql> *$/m.test(s.slice(s.lastIndexOf('(1 row)'))));
    assert.match(after.slice(after.lastIndexOf('mine')), /^ *65 \| *65 *$/m);
    term.type('.quit');
    await term.waitFor('the REPL to exit', () => !term.alive());
  } finally {
    term.close();
    rmSync(state, { recursive: true, force: true });
    prog.remove();
  }
});
