// Entries typed at the prompt, kept across sessions in a file under $XDG_STATE_HOME/bpfql/.
// One entry per line; a multi-line entry keeps its line breaks as '\n' (and '\' as '\\'), so
// the file stays readable and greppable.
import { mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { appendFileText, OutputFileError } from '../output/safe-file.js';

/** How many entries are loaded at start. */
export const HISTORY_LIMIT = 1000;

export function historyPath(env: NodeJS.ProcessEnv = process.env): string {
  const state = env['XDG_STATE_HOME'] || join(env['HOME'] || homedir(), '.local', 'state');
  return join(state, 'bpfql', 'history');
}

export function encodeEntry(entry: string): string {
  return entry.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function decodeEntry(line: string): string {
  return line.replace(/\\([\\n])/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

export class History {
  private readonly list: string[];
  /** Why the file could not be read or written, once; the REPL says so and goes on in memory. */
  problem: string | undefined;

  private constructor(private readonly path: string, entries: string[], problem: string | undefined) {
    this.list = entries;
    this.problem = problem;
  }

  static load(path: string, limit = HISTORY_LIMIT): History {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return new History(path, [], code === 'ENOENT' ? undefined : `cannot read history ${path}: ${(e as Error).message}`);
    }
    const entries = text.split('\n').filter((l) => l !== '').map(decodeEntry);
    return new History(path, entries.slice(-limit), undefined);
  }

  /** Oldest first. */
  get entries(): readonly string[] {
    return this.list;
  }

  /** Adds an entry unless it is blank or repeats the last one, and appends it to the file. */
  add(entry: string): void {
    const text = entry.trim();
    if (text === '' || this.list[this.list.length - 1] === text) return;
    this.list.push(text);
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      // What was typed may hold secrets: the file is the user's alone.
      appendFileText(this.path, `${encodeEntry(text)}\n`, 0o600);
    } catch (e) {
      this.problem ??= `cannot write history ${this.path}: ${e instanceof OutputFileError ? e.detail : (e as Error).message}`;
    }
  }
}
