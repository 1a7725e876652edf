// Where alerts go: stdout in the chosen format (each rule and kind of line with a writer of its
// own, so an NDJSON line is self-describing whatever the rule selects), plus any of --output,
// --syslog and --webhook, which each take one JSON line per alert. All are opened before a rule
// is attached: an alert log that cannot be written must not be found out after an incident.
import { textFormat } from '../../output/formats.js';
import type { TextSink } from '../../output/writer.js';
import { AlertFile } from './alert-file.js';
import type { AlertKind, AlertWriters } from './alerts.js';
import type { WatchOptions } from './args.js';
import type { LineLevel, LineOutput } from './line-output.js';
import { lineWriter } from './line-writer.js';
import type { Rule } from './rules.js';
import { Syslog } from './syslog.js';
import { Webhook } from './webhook.js';

export interface AlertOutputs {
  readonly writers: AlertWriters;
  /** Sends what is queued and closes the outputs; gives the summary of each that has one. */
  close(): Promise<Record<string, unknown>[]>;
}

/** Opens the outputs `opts` names; throws (OutputFileError, KernelError) when one cannot be opened, closing those opened. */
export function openOutputs(opts: WatchOptions, out: TextSink, aside: TextSink): AlertOutputs {
  const lines: LineOutput[] = [];
  try {
    if (opts.output !== undefined) lines.push(new AlertFile(opts.output));
    if (opts.syslog !== undefined) lines.push(new Syslog(opts.syslog));
    if (opts.webhook !== undefined) lines.push(new Webhook(opts.webhook));
  } catch (e) {
    for (const l of lines) void l.close();
    throw e;
  }
  const level = (rule: Rule, kind: AlertKind): LineLevel => (kind === 'alert' ? rule.severity : 'notice');
  return {
    writers: (rule, kind) => [
      textFormat(opts.format).writer({ out, aside, live: true }),
      ...lines.map((l) => lineWriter((line) => l.send(line, level(rule, kind)))),
    ],
    close: async () => {
      await Promise.all(lines.map((l) => l.close()));
      return lines.flatMap((l) => {
        const s = l.summary();
        return s === undefined ? [] : [s];
      });
    },
  };
}
