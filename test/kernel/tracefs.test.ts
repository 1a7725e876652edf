import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAvailableEvents } from '../../src/kernel/tracefs.js';

test('parses available_events into category and event', () => {
  assert.deepEqual(parseAvailableEvents('sched:sched_switch\nsyscalls:sys_enter_openat\n\nbad line\n'), [
    { category: 'sched', event: 'sched_switch' },
    { category: 'syscalls', event: 'sys_enter_openat' },
  ]);
});
