// Standard output that may stop taking text: `bpfql … | head -1` closes the pipe after a line
// (EPIPE), and a redirect may fill its disk (ENOSPC). Node reports either as an 'error' event
// some time after the write, and without a listener it crashes with a stack trace. A reader that
// left is no failure (exit as usual, as `head`'s users expect); any other error is, and is said.
export class Stdout {
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
    process.stdout.write(text);
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
