// What a reload keeps, restarts, starts and stops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planReload } from '../../../src/cli/watch/reload.js';
import type { Rule } from '../../../src/cli/watch/rules.js';
import { BadRule } from '../../../src/cli/watch/rules.js';

const rule = (name: string, text: string): Rule => ({ name, severity: 'medium', query: text, text });

test('unchanged kept, changed restarted, new started, missing stopped, bad ones change nothing', () => {
  const running = new Map([['same', 'A'], ['edited', 'B'], ['gone', 'C'], ['broken', 'D']]);
  const plan = planReload(running, [rule('same', 'A'), rule('edited', 'B2'), rule('fresh', 'E'), new BadRule('broken', new Error('x')), new BadRule('newbad', new Error('y'))]);
  assert.deepEqual(plan.keep, ['same']);
  assert.deepEqual(plan.restart.map((r) => r.name), ['edited']);
  assert.deepEqual(plan.start.map((r) => r.name), ['fresh']);
  assert.deepEqual(plan.stop, ['gone']);
  assert.deepEqual(plan.bad.map((b) => b.rule), ['broken', 'newbad']);
});
