import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KernelScope } from '../../src/kernel/scope.js';

function resource(log: string[], name: string, fails = false): { close(): void } {
  return {
    close() {
      log.push(name);
      if (fails) throw new Error(`${name} failed`);
    },
  };
}

test('closes in reverse order of adding, even when one close throws, and only once', () => {
  const log: string[] = [];
  const scope = new KernelScope();
  const map = resource(log, 'map');
  assert.equal(scope.add(map), map);
  scope.add(resource(log, 'prog', true));
  scope.add(resource(log, 'link'));
  scope.closeAll();
  assert.deepEqual(log, ['link', 'prog', 'map']);
  scope.closeAll();
  assert.deepEqual(log, ['link', 'prog', 'map']);
});

test('a resource added after closeAll is closed at once and the add throws', () => {
  const log: string[] = [];
  const scope = new KernelScope();
  scope.closeAll();
  assert.throws(() => scope.add(resource(log, 'late')), /kernel scope already closed/);
  assert.deepEqual(log, ['late']);
});
