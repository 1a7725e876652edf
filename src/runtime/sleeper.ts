// Sleeps that end early when the run ends. `await Promise.race([run.ended, sleep(ms)])` in a
// polling loop adds a reaction to run.ended on every turn, and run.ended stays pending for the
// whole run: a stream polled every 50 ms, or a standing query's window loop, kept every one of them
// (a heap snapshot of bpfql serve showed 3 promises, 2 closures and a context more per window).
// A Sleeper listens to its events once, and each sleep only sets a timer.
import { afterMs } from './long-timer.js';

export class Sleeper {
  private wake: (() => void) | undefined;
  private woken = false;

  /** Sleeps end at once when any of `events` settles, and every later sleep returns at once. */
  constructor(events: readonly Promise<unknown>[]) {
    const fire = (): void => {
      this.woken = true;
      this.wake?.();
    };
    for (const e of events) e.then(fire, fire);
  }

  /**
   * Resolves after `ms` (a turn of the event loop for 0; longer than a 32-bit timer takes too), or
   * as soon as an event settles. Its timer is cancelled on waking, so none is left behind.
   */
  sleep(ms: number): Promise<void> {
    if (this.woken) return Promise.resolve();
    return new Promise((resolve) => {
      const cancel = afterMs(ms, () => {
        this.wake = undefined;
        resolve();
      });
      this.wake = (): void => {
        cancel();
        this.wake = undefined;
        resolve();
      };
    });
  }
}
