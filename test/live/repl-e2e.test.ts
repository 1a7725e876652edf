// The REPL as a person uses it, in a real terminal (tmux): type a kernel query, make events,
// watch the live count, press Ctrl-C, read the result and `last`, leave with .quit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../helpers/cli.js';
import { Terminal, tmuxSkip } from '../helpers/terminal.js';
import { execTimes, kernelSkip, NamedProgram, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip() || tmuxSkip();

const count = (s: string, needle: string): number => s.split(needle).length - 1;

test('REPL: a kernel query counts live, Ctrl-C keeps its result, SELECT * FROM last reads it, .quit leaves', { skip }, async () => {
  const prog = new NamedProgram(uniqueComm('re'));
  const state = mkdtempSync(join(tmpdir(), 'bpfql-repl-state-'));
  const term = new Terminal(`env XDG_STATE_HOME=${state} ${process.execPath} ${CLI}`, 'repl-e2e');
  try {
    await term.waitFor('the prompt', (s) => /^bpfql> *$/m.test(s));
    const query = `SELECT comm, count(*) AS n FROM exec WHERE comm = '${prog.comm}' GROUP BY comm;`;
    term.type(query);
    await term.waitFor('the live view', (s) => s.includes('● running'));
    await execTimes(prog.path, 25).done;
    const row = new RegExp(`^${prog.comm}\\s*\\|\\s*25$`, 'm');
    const live = await term.waitFor('the live count', (s) => s.includes('25 events') && row.test(s));
    assert.match(live, /● running {2}\d+\.\ds {2}· {2}25 events {2}· {2}1 row {2}· {2}0 lost/);

    term.key('C-c');
    const stopped = await term.waitFor('the result', (s) => s.includes('stopped by Ctrl-C') && /^bpfql> *$/m.test(s));
    const result = stopped.slice(stopped.indexOf(`bpfql> ${query}`)).split('\n').map((l) => l.trimEnd());
    assert.deepEqual(result.slice(1, 6), [
      `comm${' '.repeat(prog.comm.length - 4)} |  n`,
      `${'-'.repeat(prog.comm.length)}-+---`,
      `${prog.comm} | 25`,
      '(1 row)',
      'complete: no lost records, no failed map updates, no lost pairs, no lost stacks, no skipped events',
    ]);
    assert.match(result[6]!, /^stopped by Ctrl-C after \d+\.\ds; the result is in table last$/);
    assert.equal(result[7], 'bpfql>');

    term.type('SELECT * FROM last;');
    const again = await term.waitFor('last', (s) => s.includes('bpfql> SELECT * FROM last;') && count(s, '(1 row)') === 2 && /^bpfql> *$/m.test(s.slice(s.lastIndexOf('(1 row)'))));
    const last = again.slice(again.indexOf('bpfql> SELECT * FROM last;')).split('\n').map((l) => l.trimEnd());
    assert.deepEqual(last.slice(0, 6), [
      'bpfql> SELECT * FROM last;',
      `comm${' '.repeat(prog.comm.length - 4)} |  n`,
      `${'-'.repeat(prog.comm.length)}-+---`,
      `${prog.comm} | 25`,
      '(1 row)',
      'bpfql>',
    ]);

    term.type('.quit');
    await term.waitFor('the REPL to exit', () => !term.alive());
    assert.equal(readFileSync(join(state, 'bpfql', 'history'), 'utf8'), `${query}\nSELECT * FROM last;\n.quit\n`);
  } finally {
    term.close();
    rmSync(state, { recursive: true, force: true });
    prog.remove();
  }
});
