// The REPL as a person uses it, in a real terminal (tmux): type a kernel query, make events,
// watch the live count, press Ctrl-C, read the result and `last`, leave with .quit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot } from '../helpers/paths.js';
import { CLI } from '../helpers/cli.js';
import { execTimes, kernelSkip, NamedProgram, uniqueComm } from '../helpers/workload.js';

function skipReason(): string | false {
  const kernel = kernelSkip();
  if (kernel) return kernel;
  return spawnSync('tmux', ['-V']).status === 0 ? false : 'the REPL end-to-end test drives a terminal with tmux, which is not installed';
}

const skip = skipReason();

/** One tmux session of our own, addressed by its unique name only. */
class Terminal {
  readonly name = `bpfql-repl-e2e-${process.pid}`;

  constructor(command: string) {
    execFileSync('tmux', ['new-session', '-d', '-s', this.name, '-x', '120', '-y', '40', '-c', fromRoot(), command]);
  }

  /** Types text literally, then Enter. tmux reads a ';' ending an argument as a command separator: escape it. */
  type(text: string): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, '-l', '--', text.endsWith(';') ? `${text.slice(0, -1)}\\;` : text]);
    this.key('Enter');
  }

  key(name: string): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, name]);
  }

  /** The screen and its scrollback, as plain text. */
  screen(): string {
    return execFileSync('tmux', ['capture-pane', '-p', '-t', this.name, '-S', '-500'], { encoding: 'utf8' });
  }

  /**
   * The screen, or '' when the session ended between the check and the capture (seen once in
   * ten runs, as the REPL left on .quit): gone is what the last wait waits for.
   */
  screenIfAlive(): string {
    try {
      return this.screen();
    } catch (e) {
      if (this.alive()) throw e;
      return '';
    }
  }

  alive(): boolean {
    return spawnSync('tmux', ['has-session', '-t', this.name]).status === 0;
  }

  close(): void {
    if (this.alive()) execFileSync('tmux', ['kill-session', '-t', this.name]);
  }

  async waitFor(what: string, cond: (screen: string) => boolean, timeoutMs = 45_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const s = this.alive() ? this.screenIfAlive() : '';
      if (cond(s)) return s;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the screen was:\n${s}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const count = (s: string, needle: string): number => s.split(needle).length - 1;

test('REPL: a kernel query counts live, Ctrl-C keeps its result, SELECT * FROM last reads it, .quit leaves', { skip }, async () => {
  const prog = new NamedProgram(uniqueComm('re'));
  const state = mkdtempSync(join(tmpdir(), 'bpfql-repl-state-'));
  const term = new Terminal(`env XDG_STATE_HOME=${state} ${process.execPath} ${CLI}`);
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
