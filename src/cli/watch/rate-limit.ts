// A rule's LIMIT n PER key EVERY d: the first n alerts of each key in a window pass; the rest are
// counted, and when the window closes (d after its first alert) one notice says how many of that
// key were held back. Windows are cut by the clock alerts arrive on, not by the events' own times:
// the limit is on what reaches the reader. A window with nothing held back ends silently.
// The keys are the watched processes' to choose (a fork bomb makes a pid per event, a process can
// rename itself at will), so at most MAX_KEYS windows are open per rule: an alert of any further
// key is held back in one shared window whose notice has every key column NULL. A rule's alerts
// per window are so bounded by MAX_KEYS × n, and its memory by MAX_KEYS windows.
import type { RuleRateLimit } from '../../query/ast.js';
import type { TimerClock } from '../../runtime/long-timer.js';
import { afterMs } from '../../runtime/long-timer.js';
import type { Row } from '../../output/result.js';

/** One closed window of one key in which alerts were held back. */
export interface Suppressed {
  /** The key's values, in the order of PER. */
  readonly key: Row;
  readonly count: number;
  /** Wall-clock times (ms since the epoch) the window opened and closed. */
  readonly startMs: number;
  readonly endMs: number;
}

/** How many keys' windows a rule keeps open at once. */
export const MAX_KEYS = 1024;

/** The id of the window shared by the keys past MAX_KEYS (no JSON text of a key starts so). */
const OTHER_KEYS = '*';

interface KeyWindow {
  readonly id: string;
  readonly key: Row;
  readonly startMs: number;
  passed: number;
  held: number;
  readonly cancel: () => void;
}

export class RateLimiter {
  private readonly windows = new Map<string, KeyWindow>();
  /** Alerts held back so far, in every window (closed or not). */
  suppressed = 0;

  /**
   * @param keyAt where each PER column is in a row
   * @param onClose called for each window that held alerts back, as it closes
   */
  constructor(
    private readonly limit: RuleRateLimit,
    private readonly keyAt: readonly number[],
    private readonly onClose: (s: Suppressed) => void,
    private readonly clock?: TimerClock,
    private readonly maxKeys = MAX_KEYS,
  ) {}

  /** Whether `row` is written (else it is counted in its key's window). */
  admit(row: Row): boolean {
    const key = this.keyAt.map((i) => row[i]);
    // bigint has no JSON form; its decimal text keeps keys distinct.
    const id = JSON.stringify(key, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
    const w = this.windows.get(id) ?? this.open(id, key);
    if (w.passed < this.limit.count && id === w.id) {
      w.passed++;
      return true;
    }
    w.held++;
    this.suppressed++;
    return false;
  }

  /** A new window for `key`, or the shared one once MAX_KEYS keys have theirs. */
  private open(id: string, key: Row): KeyWindow {
    const keys = this.windows.size - (this.windows.has(OTHER_KEYS) ? 1 : 0);
    if (keys >= this.maxKeys) {
      const others = this.windows.get(OTHER_KEYS);
      if (others !== undefined) return others;
      id = OTHER_KEYS;
      key = key.map(() => null);
    }
    const cancel = afterMs(this.limit.every.ms, () => this.close(id), this.clock);
    const w = { id, key, startMs: Date.now(), passed: 0, held: 0, cancel };
    this.windows.set(id, w);
    return w;
  }

  private close(id: string): void {
    const w = this.windows.get(id);
    if (w === undefined) return;
    this.windows.delete(id);
    w.cancel();
    if (w.held > 0) this.onClose({ key: w.key, count: w.held, startMs: w.startMs, endMs: Date.now() });
  }

  /** Closes every open window now (the rule stops): the last notices are written. */
  closeAll(): void {
    for (const id of [...this.windows.keys()]) this.close(id);
  }
}
