import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AF_INET, AF_INET6, addressText, encodeAddress, ipv6Text } from '../../src/catalog/addresses.js';
import { addressFields } from '../../src/catalog/print-fmt.js';
import { fixtureFormat } from '../helpers/fixture-catalog.js';

const v6 = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.replaceAll(' ', ''), 'hex'));

test('IPv6 text is the canonical compressed form (RFC 5952)', () => {
  assert.equal(ipv6Text(v6('0000 0000 0000 0000 0000 0000 0000 0001')), '::1');
  assert.equal(ipv6Text(v6('0000 0000 0000 0000 0000 0000 0000 0000')), '::');
  assert.equal(ipv6Text(v6('2001 0db8 0000 0000 0001 0000 0000 0001')), '2001:db8::1:0:0:1');
  assert.equal(ipv6Text(v6('2001 0db8 0000 0001 0001 0001 0001 0001')), '2001:db8:0:1:1:1:1:1');
  assert.equal(ipv6Text(v6('fe80 0000 0000 0000 0000 0000 0000 0000')), 'fe80::');
  assert.equal(ipv6Text(v6('2001 0db8 0000 0000 0000 0000 0002 0001')), '2001:db8::2:1');
  assert.equal(ipv6Text(v6('0000 0000 0000 0000 0000 ffff 7f00 0001')), '::ffff:127.0.0.1');
});

test('a socket address shows dotted for AF_INET (kept IPv4-mapped), IPv6 text otherwise', () => {
  const withFamily = (hex: string, family: number): Uint8Array => {
    const b = new Uint8Array(24);
    b.set(v6(hex));
    b[16] = family;
    return b;
  };
  assert.equal(addressText(withFamily('0000 0000 0000 0000 0000 ffff 7f00 0001', AF_INET), true), '127.0.0.1');
  assert.equal(addressText(withFamily('0000 0000 0000 0000 0000 ffff 7f00 0001', AF_INET6), true), '::ffff:127.0.0.1');
  assert.equal(addressText(withFamily('0000 0000 0000 0000 0000 0000 0000 0001', AF_INET6), true), '::1');
});

test('encodeAddress is addressText backwards, for the shown text only', () => {
  for (const text of ['::1', '127.0.0.1', '::ffff:10.1.2.3', '2001:db8::1:0:0:1', 'fe80::1', '::']) {
    const raw = encodeAddress(text, true);
    assert.ok(raw, text);
    assert.equal(addressText(raw, true), text);
  }
  assert.deepEqual([...encodeAddress('127.0.0.1', true)!.subarray(10, 18)], [0xff, 0xff, 127, 0, 0, 1, AF_INET, 0]);
  assert.equal(encodeAddress('::1', true)![16], AF_INET6);
  assert.equal(encodeAddress('::1', false)!.length, 16);
  // Other spellings of an address never equal its text; nor does what is no address.
  for (const text of ['0:0::1', '::0001', '::FFFF:127.0.0.1', '127.0.0.256', '127.0.0.01', '1::2::3', 'localhost', '']) {
    assert.equal(encodeAddress(text, true), undefined, text);
  }
  // Without a family, an IPv4 text is no 16-byte address's text.
  assert.equal(encodeAddress('127.0.0.1', false), undefined);
});

test('the print fmt says which fields are addresses', () => {
  const fields = addressFields(fixtureFormat('inet_sock_set_state'));
  assert.deepEqual([...fields], [['saddr', 'ipv4'], ['daddr', 'ipv4'], ['saddr_v6', 'ipv6'], ['daddr_v6', 'ipv6']]);
  // A '*' width takes an argument; %% takes none; casts and calls are no field.
  const text = 'name: x\nID: 1\nformat:\nprint fmt: "%*d %% %pI6c %pI4 %s", REC->w, REC->n, REC->a, (void *)REC->b, __get_str(c)\n';
  assert.deepEqual([...addressFields(text)], [['a', 'ipv6']]);
});
