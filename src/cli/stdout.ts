// Standard output that may stop taking text: `bpfql … | head -1` closes the pipe after a line
// (EPIPE), and a redirect may fill its disk (ENOSPC). Node reports a pipe's errors as an 'error'
// event some time after the write, and without a listener it crashes with a stack trace; to a
// file, its stream makes one write(2) per chunk and drops what a short write left out, so a full
// disk cut the result silently. Files are therefore written here, to the last byte. A reader that
// left is no failure (exit as usual, as `head`'s users expect); any other error is, and is said.
import { fstatSync, writeSync } from 'node:fs';

/** Whether fd 1 is a file or device that Node writes with plain write(2) (not a pipe, socket or terminal). */
function isPlainFile(): boolean {
  try {
    const st = fstatSync(1);
    return !st.isFIFO() && !st.isSocket() && !process.stdout.isTTY;
  } catch {
    return false;
  }
}

export class Stdout {
  private readonly plainFile = isPlainFile();
  /** The reader closed the pipe: nothing more is written. */
  private gone = false;
  /** Why output failed, other than the reader leaving. */
  private error: NodeJS.ErrnoException | undefined;

  /** @param onStop called once, when output stops working: the running query should end. */
  constructor(private readonly onStop: () => void) {
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (this.gone || this.error) return;
      if (e.code === 'EPIPE') this.gone = true;
      else this.error = e;
      this.onStop();
    });
    // stderr closed too: there is nowhere left to say anything.
    process.stderr.on('error', () => undefined);
  }

  write(text: string): void {
    if (this.stopped) return;
    if (!this.plainFile) {
      process.stdout.write(text);
      return;
    }
    const data = Buffer.from(text);
    try {
      for (let at = 0; at < data.length; ) at += writeSync(1, data, at);
    } catch (e) {
      this.error = e as NodeJS.ErrnoException;
      this.onStop();
    }
  }

  get stopped(): boolean {
    return this.gone || this.error !== undefined;
  }

  /**
   * Waits until what was written has been taken (or has failed), then says why output failed:
   * undefined when it worked or the reader only left early.
   */
  async settle(): Promise<string | undefined> {
    if (!this.stopped && process.stdout.writableNeedDrain) await new Promise<void>((resolve) => process.stdout.once('drain', resolve).once('error', () => resolve()));
    // Errors of writes already made arrive as events after them.
    await new Promise<void>((resolve) => setImmediate(resolve));
    return this.error ? `cannot write standard output: ${this.error.message}` : undefined;
  }
}
