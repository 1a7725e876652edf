// Sleeper: sleeps that end when the run ends, listening to the run's end once however many sleeps
// a polling loop takes (Promise.race in the loop left a reaction on the pending end per turn).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sleeper } from '../../src/runtime/sleeper.js';

test('a sleep ends after its time, or at once when an event settles; later sleeps return at once', async () => {
  let end = (): void => undefined;
  const ended = new Promise<void>((resolve) => (end = resolve));
  let reactions = 0;
  const then = ended.then.bind(ended);
  ended.then = ((a, b) => {
    reactions++;
    return then(a, b);
  }) as typeof ended.then;
  const sleeper = new Sleeper([ended]);
  const t0 = performance.now();
  for (let i = 0; i < 100; i++) await sleeper.sleep(1);
  assert.ok(performance.now() - t0 >= 100, 'each sleep waited its time');
  assert.equal(reactions, 1, 'the event was listened to once, not once per sleep');
  const long = sleeper.sleep(3_600_000);
  const started = performance.now();
  end();
  await long;
  assert.ok(performance.now() - started < 1_000, 'the hour-long sleep ended with the event');
  await sleeper.sleep(3_600_000);
  assert.ok(performance.now() - started < 1_000, 'a sleep after the event returns at once');
});

test('an event that fails wakes the sleep too, without rejecting it', async () => {
  let fail = (_: Error): void => undefined;
  const failed = new Promise<void>((_, reject) => (fail = reject));
  const sleeper = new Sleeper([failed]);
  const s = sleeper.sleep(3_600_000);
  fail(new Error('x'));
  await s;
});
