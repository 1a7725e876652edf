// glibc's malloc controls serve uses through koffi: the bindings are found and glibc takes the
// calls (a wrong name or signature throws, a parameter glibc does not know returns 0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { limitMallocArenas, mallocTrim } from '../../src/kernel/sys.js';

test('mallopt(M_ARENA_MAX) is taken by glibc; malloc_trim runs and says whether it freed pages', () => {
  assert.equal(limitMallocArenas(2), true);
  assert.equal(typeof mallocTrim(), 'boolean');
});
