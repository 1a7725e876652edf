// --output FILE: alerts appended to a file, one JSON line each, written (to the last byte) as each
// alert is made, so that a reader tailing the file or a crash loses none. Opened once, safely
// (output/safe-file.ts: no following a planted symlink, 0600 when created).
import { closeSync, writeSync } from 'node:fs';
import { openAppendOnly } from '../../output/safe-file.js';
import type { LineOutput } from './line-output.js';

export class AlertFile implements LineOutput {
  readonly name = 'file';
  private readonly fd: number;
  private failure: string | undefined;

  /** Throws OutputFileError when the file cannot be opened. */
  constructor(private readonly path: string) {
    this.fd = openAppendOnly(path);
  }

  send(line: string): void {
    if (this.failure !== undefined) return;
    const data = Buffer.from(`${line}\n`);
    try {
      for (let at = 0; at < data.length; ) at += writeSync(this.fd, data, at);
    } catch (e) {
      this.failure = `cannot write ${this.path}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  close(): Promise<void> {
    closeSync(this.fd);
    return Promise.resolve();
  }

  summary(): Record<string, unknown> | undefined {
    return this.failure === undefined ? undefined : { output: this.name, error: this.failure };
  }
}
