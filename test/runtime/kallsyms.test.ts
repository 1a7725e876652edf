import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KernelSymbols } from '../../src/runtime/kallsyms.js';

// As /proc/kallsyms shows it: unsorted (modules come last but load anywhere), data mixed in.
const KALLSYMS = [
  'ffffffffc0a01000 t nf_hook_thing\t[nf_tables]',
  'ffffffff81000000 T _stext',
  'ffffffff81001000 T do_syscall_64',
  'ffffffff81001200 t helper_local',
  'ffffffff82000000 D some_data',
  'ffffffff81001400 W weak_fn',
  '0000000000000000 A fixed_percpu_data',
  '',
].join('\n');

test('text symbols are found by address, with the offset into them', () => {
  const k = KernelSymbols.parse(KALLSYMS);
  assert.equal(k.size, 5);
  assert.deepEqual(k.lookup(0xffffffff81001000n), { name: 'do_syscall_64', offset: 0n });
  assert.deepEqual(k.lookup(0xffffffff810011ffn), { name: 'do_syscall_64', offset: 0x1ffn });
  assert.deepEqual(k.lookup(0xffffffff81001210n), { name: 'helper_local', offset: 0x10n });
  assert.deepEqual(k.lookup(0xffffffff81001408n), { name: 'weak_fn', offset: 8n });
  assert.deepEqual(k.lookup(0xffffffffc0a01042n), { name: 'nf_hook_thing', offset: 0x42n });
  // Data symbols name nothing: the address still belongs to the last function before it, if near.
  assert.equal(k.lookup(0xffffffff82000010n), undefined);
  assert.equal(k.lookup(0xffffffff80000000n), undefined);
});

test('without privileges every address reads as zero and nothing is named', () => {
  const k = KernelSymbols.parse('0000000000000000 T _stext\n0000000000000000 T do_syscall_64\n');
  assert.equal(k.size, 0);
  assert.equal(k.lookup(0xffffffff81001000n), undefined);
});
