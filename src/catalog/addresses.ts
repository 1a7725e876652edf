// IP addresses as text, from the bytes the kernel records. A 16-byte address (a tracepoint's
// `saddr_v6`) is IPv6 in its canonical compressed form (RFC 5952: lower-case hex, the longest run
// of two or more zero groups as `::`, an IPv4-mapped address as `::ffff:a.b.c.d`). An address
// column of a socket also carries the socket's family: an AF_INET socket's address, which the
// kernel keeps IPv4-mapped, shows dotted. The kernel keeps the raw bytes (16 address bytes, then
// the family as a u16 in an 8-byte word), so a comparison with a constant is a compare of bytes
// there; `encodeAddress` is `addressText` backwards, accepting only the text it gives.

export const AF_INET = 2;
export const AF_INET6 = 10;

/** Bytes an address column takes in the kernel: the address, then the family's word when it has one. */
export function addressWidth(withFamily: boolean): number {
  return withFamily ? 24 : 16;
}

function dotted(b: Uint8Array, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

function isV4Mapped(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

/** RFC 5952 text of 16 address bytes. */
export function ipv6Text(b: Uint8Array): string {
  if (isV4Mapped(b)) return `::ffff:${dotted(b, 12)}`;
  const groups = Array.from({ length: 8 }, (_, i) => (b[2 * i]! << 8) | b[2 * i + 1]!);
  // The first longest run of at least two zero groups becomes '::'.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (gs: readonly number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (best < 0) return hex(groups);
  return `${hex(groups.slice(0, best))}::${hex(groups.slice(best + bestLen))}`;
}

/**
 * The text of an address column's kernel bytes (16, or 24 with the family after them). A socket
 * of family AF_INET shows its IPv4 address (the mapped address's last 4 bytes).
 */
export function addressText(b: Uint8Array, withFamily: boolean): string {
  if (withFamily && (b[16]! | (b[17]! << 8)) === AF_INET) return dotted(b, 12);
  return ipv6Text(b.subarray(0, 16));
}

function parseDotted(text: string): number[] | undefined {
  const m = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/.exec(text);
  if (!m) return undefined;
  const bytes = m.slice(1).map(Number);
  return bytes.every((x) => x <= 255) ? bytes : undefined;
}

/** Parses any IPv6 text form (for round trips; only the canonical one is accepted in the end). */
function parseIpv6(text: string): Uint8Array | undefined {
  const out = new Uint8Array(16);
  let tail = text;
  let v4: number[] | undefined;
  const lastColon = text.lastIndexOf(':');
  if (lastColon >= 0 && text.slice(lastColon + 1).includes('.')) {
    v4 = parseDotted(text.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = tail.split('::');
  if (halves.length > 2) return undefined;
  const group = (s: string): number[] | undefined => {
    if (s === '') return [];
    const gs = s.split(':');
    return gs.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g)) ? gs.map((g) => parseInt(g, 16)) : undefined;
  };
  const head = group(halves[0]!);
  const rest = halves.length === 2 ? group(halves[1]!) : [];
  if (!head || !rest) return undefined;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...rest];
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  if (v4) out.set(v4, 12);
  return out;
}

/**
 * The kernel bytes whose text is `text`, or undefined when no address shows as it (other
 * spellings of an address, such as `0:0::1` for `::1`, never equal the shown text).
 */
export function encodeAddress(text: string, withFamily: boolean): Uint8Array | undefined {
  const out = new Uint8Array(addressWidth(withFamily));
  const v4 = withFamily ? parseDotted(text) : undefined;
  if (v4) {
    out.set([0xff, 0xff, ...v4], 10);
    out[16] = AF_INET;
  } else {
    const v6 = parseIpv6(text);
    if (!v6) return undefined;
    out.set(v6);
    if (withFamily) out[16] = AF_INET6;
  }
  return addressText(out, withFamily) === text ? out : undefined;
}
