// --syslog: each alert as one RFC 5424 message on the local syslog socket (/dev/log, a unix
// datagram socket), facility auth (security), the rule's severity as the syslog severity, the
// alert's JSON line as the message. Sent without waiting: a syslog daemon that falls behind
// loses alerts rather than stalling bpfql, and they are counted.
import { hostname } from 'node:os';
import { KernelError } from '../../kernel/errors.js';
import { UnixDatagram } from '../../kernel/unix-datagram.js';
import { assertNever } from '../../diag/assert-never.js';
import type { LineLevel, LineOutput } from './line-output.js';

export const SYSLOG_SOCKET = '/dev/log';

/** RFC 5424's facility 4: security/authorization messages. */
const FACILITY_AUTH = 4;

/** The syslog severity (RFC 5424 6.2.1) of a line. */
export function syslogSeverity(level: LineLevel): number {
  switch (level) {
    case 'critical': return 2;
    case 'high': return 3;
    case 'medium': return 4;
    case 'low':
    case 'notice':
      return 5;
    default:
      return assertNever(level);
  }
}

/** One RFC 5424 message: `<PRI>1 TIMESTAMP HOST bpfql PID - - MSG`. */
export function syslogMessage(line: string, level: LineLevel, at: Date, host: string, pid: number): string {
  return `<${FACILITY_AUTH * 8 + syslogSeverity(level)}>1 ${at.toISOString()} ${host || '-'} bpfql ${pid} - - ${line}`;
}

const EAGAIN = 11;

export class Syslog implements LineOutput {
  readonly name = 'syslog';
  private readonly socket: UnixDatagram;
  private readonly host = hostname();
  private sent = 0;
  private dropped = 0;
  private failed = 0;
  private lastError: string | undefined;

  /** Throws KernelError when nothing listens at `path`. */
  constructor(readonly path: string) {
    this.socket = UnixDatagram.connect(path);
  }

  send(line: string, level: LineLevel): void {
    const r = this.socket.send(Buffer.from(syslogMessage(line, level, new Date(), this.host, process.pid)));
    if (r >= 0) this.sent++;
    else if (-r === EAGAIN) this.dropped++;
    else {
      this.failed++;
      this.lastError = new KernelError('send', -r, { subject: this.path }).message;
    }
  }

  close(): Promise<void> {
    this.socket.close();
    return Promise.resolve();
  }

  summary(): Record<string, unknown> {
    return { output: this.name, sent: this.sent, dropped: this.dropped, failed: this.failed, ...(this.lastError !== undefined ? { error: this.lastError } : {}) };
  }
}
