// Decoded columns: values the kernel records as integers but users read as text (a syscall's
// name, a dotted IPv4 address, a TCP state, a device's major:minor). The kernel always carries
// the raw integer, so filters and groups on it stay in the kernel; DuckDB turns it into text with
// one macro per decoder, defined once per session. `decode` and `encode` are the same mapping in
// TypeScript: the planner encodes constants (`syscall = 'read'` becomes `id = 0` in the kernel),
// and tests check that the macros and `decode` agree.
import { SYSCALLS_X86_64 } from './syscall-names-x86_64.js';
import { quoteString } from '../query/quote.js';

export type DecoderName = 'syscall' | 'ipv4' | 'tcp-state' | 'dev' | 'signal' | 'address-family' | 'direction' | 'drop-reason';

export interface Decoder {
  readonly name: DecoderName;
  /** The DuckDB macro taking the raw value. */
  readonly macro: string;
  /** What the text looks like, for DESCRIBE and messages. */
  readonly shows: string;
  /** The macro's body over its parameter `v`. */
  readonly body: string;
  /** The text of a raw value: what the macro computes. */
  decode(raw: bigint): string;
  /** The raw value whose text this is; undefined when no raw value decodes to it. */
  encode(text: string): bigint | undefined;
  /** Named values, for "did you mean" hints. */
  readonly names: readonly string[];
}

/**
 * A decoder over a table of names by number, numbers without a name shown as `<prefix><n>`.
 * Only a value's own text encodes to it (`SIG9` does not, because 9 shows as `SIGKILL`), so a
 * filter means the same in the kernel as in DuckDB.
 */
function enumDecoder(name: DecoderName, macro: string, shows: string, entries: readonly (readonly [number, string])[], prefix: string): Decoder {
  const byNumber = new Map(entries.map(([n, s]) => [n, s]));
  const byName = new Map(entries.map(([n, s]) => [s, BigInt(n)]));
  const size = entries.reduce((m, [n]) => Math.max(m, n + 1), 0);
  const list = Array.from({ length: size }, (_, i) => {
    const s = byNumber.get(i);
    return s === undefined ? 'NULL' : quoteString(s);
  });
  const decode = (raw: bigint): string => {
    const s = raw >= 0n && raw < BigInt(size) ? byNumber.get(Number(raw)) : undefined;
    return s ?? `${prefix}${raw}`;
  };
  const fallback = new RegExp(`^${prefix}(-?(?:0|[1-9][0-9]*))$`);
  return {
    name,
    macro,
    shows,
    body: `coalesce(CASE WHEN v >= 0 AND v < ${size} THEN [${list.join(', ')}][try_cast(v AS BIGINT) + 1] END, ${quoteString(prefix)} || v)`,
    decode,
    encode(text) {
      const known = byName.get(text);
      if (known !== undefined) return known;
      const m = fallback.exec(text);
      if (!m) return undefined;
      const raw = BigInt(m[1]!);
      return decode(raw) === text ? raw : undefined;
    },
    names: entries.map(([, s]) => s),
  };
}

/** The syscall table of the machine bpfql runs on; other architectures show numbers only. */
function syscallEntries(): readonly (readonly [number, string])[] {
  return process.arch === 'x64' ? SYSCALLS_X86_64 : [];
}

/** TCP states (include/net/tcp_states.h), named as `ss` and bcc's tools name them. */
const TCP_STATES: readonly (readonly [number, string])[] = [
  [1, 'ESTABLISHED'], [2, 'SYN_SENT'], [3, 'SYN_RECV'], [4, 'FIN_WAIT1'], [5, 'FIN_WAIT2'], [6, 'TIME_WAIT'],
  [7, 'CLOSE'], [8, 'CLOSE_WAIT'], [9, 'LAST_ACK'], [10, 'LISTEN'], [11, 'CLOSING'], [12, 'NEW_SYN_RECV'],
  [13, 'BOUND_INACTIVE'],
];

/** Signal numbers of x86_64 and arm64 Linux (the real-time ones show as SIG<n>). */
const SIGNALS: readonly (readonly [number, string])[] = [
  [1, 'SIGHUP'], [2, 'SIGINT'], [3, 'SIGQUIT'], [4, 'SIGILL'], [5, 'SIGTRAP'], [6, 'SIGABRT'], [7, 'SIGBUS'],
  [8, 'SIGFPE'], [9, 'SIGKILL'], [10, 'SIGUSR1'], [11, 'SIGSEGV'], [12, 'SIGUSR2'], [13, 'SIGPIPE'],
  [14, 'SIGALRM'], [15, 'SIGTERM'], [16, 'SIGSTKFLT'], [17, 'SIGCHLD'], [18, 'SIGCONT'], [19, 'SIGSTOP'],
  [20, 'SIGTSTP'], [21, 'SIGTTIN'], [22, 'SIGTTOU'], [23, 'SIGURG'], [24, 'SIGXCPU'], [25, 'SIGXFSZ'],
  [26, 'SIGVTALRM'], [27, 'SIGPROF'], [28, 'SIGWINCH'], [29, 'SIGIO'], [30, 'SIGPWR'], [31, 'SIGSYS'],
];

const ADDRESS_FAMILIES: readonly (readonly [number, string])[] = [[1, 'AF_UNIX'], [2, 'AF_INET'], [10, 'AF_INET6']];

/** Which way data or a packet went, for tables over a pair of events (see DIRECTION). */
const DIRECTIONS: readonly (readonly [number, string])[] = [[0, 'send'], [1, 'receive']];

/** The raw values of the `direction` decoder, for the tables' constant columns. */
export const DIRECTION = { send: 0n, receive: 1n } as const;

const U32_MAX = 0xffffffffn;

/**
 * IPv4 addresses as the kernel stores them: four bytes in network order, read as one
 * little-endian u32, so the first byte of the address is the lowest of the integer.
 */
const ipv4: Decoder = {
  name: 'ipv4',
  macro: 'bpfql_ipv4',
  shows: 'dotted IPv4 address',
  body: "concat(v & 255, '.', (v >> 8) & 255, '.', (v >> 16) & 255, '.', (v >> 24) & 255)",
  decode: (raw) => [0n, 8n, 16n, 24n].map((s) => String((raw >> s) & 255n)).join('.'),
  encode(text) {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
    if (!m) return undefined;
    const bytes = m.slice(1).map((b) => BigInt(b));
    if (bytes.some((b, i) => b > 255n || String(b) !== m[i + 1])) return undefined;
    return bytes.reduce((acc, b, i) => acc | (b << BigInt(8 * i)), 0n);
  },
  names: [],
};

/** The kernel's dev_t: major in the high 12 bits, minor in the low 20 (MINORBITS). */
const dev: Decoder = {
  name: 'dev',
  macro: 'bpfql_dev',
  shows: 'device as major:minor',
  body: "concat(v >> 20, ':', v & 1048575)",
  decode: (raw) => `${raw >> 20n}:${raw & 0xfffffn}`,
  encode(text) {
    const m = /^(0|[1-9][0-9]*):(0|[1-9][0-9]*)$/.exec(text);
    if (!m) return undefined;
    const major = BigInt(m[1]!);
    const minor = BigInt(m[2]!);
    if (major > 0xfffn || minor > 0xfffffn) return undefined;
    return ((major << 20n) | minor) & U32_MAX;
  },
  names: [],
};

/**
 * The running kernel's `enum skb_drop_reason` (from BTF; see provideDropReasons), named as the
 * kfree_skb tracepoint prints them: `SKB_DROP_REASON_NO_SOCKET` shows as `NO_SOCKET`. Reasons of
 * other subsystems (values with bits above the low 16) show as numbers.
 */
let dropReasonMembers: () => readonly (readonly [bigint, string])[] = () => [];
let dropReasonDecoder: Decoder | undefined;

const SUBSYSTEM_SHIFT = 16n;

/**
 * Gives the way to the kernel's skb_drop_reason enum (name and value of each member). It is asked
 * only when a drop reason is first named: reading BTF takes ~70 ms, which no other query waits for.
 */
export function provideDropReasons(members: () => readonly (readonly [bigint, string])[]): void {
  dropReasonMembers = members;
  dropReasonDecoder = undefined;
}

function dropReasons(): Decoder {
  dropReasonDecoder ??= enumDecoder('drop-reason', 'bpfql_drop_reason', 'drop reason name (the kernel\'s skb_drop_reason, without SKB_DROP_REASON_)', dropReasonEntries(dropReasonMembers()), 'reason_');
  return dropReasonDecoder;
}

function dropReasonEntries(members: readonly (readonly [bigint, string])[]): (readonly [number, string])[] {
  return members
    .filter(([v]) => v >= 0n && v < 1n << SUBSYSTEM_SHIFT)
    .map(([v, name]) => [Number(v), name.replace(/^SKB_DROP_REASON_/, '').replace(/^SKB_/, '')] as const);
}

export const DECODERS: { readonly [N in DecoderName]: Decoder } = {
  'syscall': enumDecoder('syscall', 'bpfql_syscall_name', 'syscall name', syscallEntries(), 'syscall_'),
  'ipv4': ipv4,
  'tcp-state': enumDecoder('tcp-state', 'bpfql_tcp_state', 'TCP state name', TCP_STATES, 'state_'),
  'dev': dev,
  'signal': enumDecoder('signal', 'bpfql_signal_name', 'signal name', SIGNALS, 'SIG'),
  'address-family': enumDecoder('address-family', 'bpfql_address_family', 'address family name', ADDRESS_FAMILIES, 'AF_'),
  'direction': enumDecoder('direction', 'bpfql_direction', "'send' or 'receive'", DIRECTIONS, 'direction_'),
  get 'drop-reason'(): Decoder {
    return dropReasons();
  },
};

/** The statements that define every decoder's macro in a DuckDB session (temporary: never saved). */
export function decoderMacrosSql(): string {
  return Object.values(DECODERS).map((d) => `CREATE OR REPLACE TEMP MACRO ${d.macro}(v) AS ${d.body};`).join('\n');
}
