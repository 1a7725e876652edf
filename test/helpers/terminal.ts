// A real terminal for the REPL's end-to-end tests: a tmux session of the test's own, typed into
// and read back as text.
import { execFileSync, spawnSync } from 'node:child_process';
import { fromRoot } from './paths.js';

/** Why tmux cannot drive a terminal here, or false. CI installs it (.ci/install-tools). */
export function tmuxSkip(): string | false {
  return spawnSync('tmux', ['-V']).status === 0 ? false : 'the REPL end-to-end tests drive a terminal with tmux, which is not installed';
}

/** One tmux session of our own, addressed by its unique name only. */
export class Terminal {
  readonly name: string;

  /** `name` tells the sessions of one test process apart. */
  constructor(command: string, name: string) {
    this.name = `bpfql-${name}-${process.pid}`;
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

  /** The 40 lines on screen now, without the scrollback. */
  visible(): string {
    return execFileSync('tmux', ['capture-pane', '-p', '-t', this.name], { encoding: 'utf8' });
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

