// An alert output that takes one JSON line per alert: a file, syslog or a webhook.
import type { Severity } from '../../query/ast.js';

/** How urgent a line is: its rule's severity for an alert, `notice` for a suppressed count. */
export type LineLevel = Severity | 'notice';

export interface LineOutput {
  readonly name: string;
  send(line: string, level: LineLevel): void;
  /** Sends what is queued (within the output's own time limit) and lets go of the output. */
  close(): Promise<void>;
  /** What the end-of-run summary says of the output (failures, drops), or undefined when all is well. */
  summary(): Record<string, unknown> | undefined;
}
