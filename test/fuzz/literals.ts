// Random literals, biased to the edges where kernel arithmetic and layouts break: 32- and
// 64-bit boundaries, integers beyond 64 bits, empty, long and oddly quoted strings.
import type { Rng } from './rng.js';

const EDGE_INTS: readonly string[] = [
  '0', '1', '2', '7', '8', '63', '64', '65', '255', '256', '65535', '65536',
  '2147483647', '2147483648', '4294967295', '4294967296',
  '9223372036854775807', '9223372036854775808', '18446744073709551615', '18446744073709551616',
  '170141183460469231731687303715884105727', '99999999999999999999999999999999999999999999',
  '0x0', '0x7f', '0xffffffff', '0x7fffffffffffffff', '0xffffffffffffffff', '0x10000000000000000',
];

/** An integer literal (no sign: a leading '-' is unary minus in the grammar). */
export function intLiteral(rng: Rng): string {
  if (rng.chance(0.5)) return String(rng.int(100));
  if (rng.chance(0.6)) return rng.pick(EDGE_INTS);
  const wide = (BigInt(rng.next()) << 32n) | BigInt(rng.next());
  return String(rng.chance(0.9) ? wide >> BigInt(rng.int(64)) : wide * BigInt(rng.next()));
}

export function floatLiteral(rng: Rng): string {
  return rng.pick(['0.0', '1.5', '.5', '3.', '1e3', '2.5E-3', '1e308', '1e309', '4.9e-324', '123456789.123456789']);
}

const CHARS = 'abcxyz_%\\/.-\' 0';

function stringBody(rng: Rng): string {
  switch (rng.int(8)) {
    case 0: return '';
    case 1: return rng.pick(['bash', 'sh', 'true', 'systemd', '/etc/passwd', '/tmp/x', 'fuzz']);
    case 2: return 'x'.repeat(rng.pick([7, 8, 15, 16, 17, 127, 128, 129, 255, 256, 4000]));
    case 3: return 'é☃\u{1F600}'.repeat(rng.range(1, 20));
    case 4: return "it''s";
    case 5: return `${rng.pick(['ba', '/us', 'sys', ''])}%`;
    default: {
      let s = '';
      const n = rng.int(24);
      for (let i = 0; i < n; i++) s += CHARS[rng.int(CHARS.length)]!;
      // A lone quote would end the literal: double it, as SQL spells a quote inside a string.
      return s.replaceAll("'", "''");
    }
  }
}

export function stringLiteral(rng: Rng): string {
  return `'${stringBody(rng)}'`;
}

export function durationLiteral(rng: Rng): string {
  if (rng.chance(0.9)) return rng.pick(['1s', '10s', '500ms', '2m', '1h', '250ms', '3s']);
  return rng.pick(['0s', '0ms', '1x', '10', '1.5s', '99999999999999999999h', '9007199254740993ms', '1S', '10 s']);
}

export function limitLiteral(rng: Rng): string {
  if (rng.chance(0.9)) return String(rng.range(1, 1000));
  return rng.pick(['0', '-1', '1.5', '9007199254740991', '9007199254740992', '99999999999999999999']);
}
