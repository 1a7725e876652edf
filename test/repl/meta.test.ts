import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMeta } from '../../src/repl/meta.js';

test('each meta command parses with its argument', () => {
  assert.deepEqual(parseMeta('.tables'), { ok: true, command: { kind: 'tables' } });
  assert.deepEqual(parseMeta('.schema exec'), { ok: true, command: { kind: 'schema', table: 'exec' } });
  assert.deepEqual(parseMeta('.schema tracepoint.sched.sched_switch;'), { ok: true, command: { kind: 'schema', table: 'tracepoint.sched.sched_switch' } });
  assert.deepEqual(parseMeta('.explain SELECT count(*) FROM exec;'), { ok: true, command: { kind: 'explain', query: 'SELECT count(*) FROM exec' } });
  assert.deepEqual(parseMeta('.format JSON'), { ok: true, command: { kind: 'format', format: 'json' } });
  assert.deepEqual(parseMeta('.format csv'), { ok: true, command: { kind: 'format', format: 'csv' } });
  assert.deepEqual(parseMeta('.output /tmp/x.txt'), { ok: true, command: { kind: 'output', file: '/tmp/x.txt' } });
  assert.deepEqual(parseMeta('.output'), { ok: true, command: { kind: 'output' } });
  assert.deepEqual(parseMeta('.timer on'), { ok: true, command: { kind: 'timer', on: true } });
  assert.deepEqual(parseMeta('.TIMER OFF'), { ok: true, command: { kind: 'timer', on: false } });
  assert.deepEqual(parseMeta('.help'), { ok: true, command: { kind: 'help' } });
  assert.deepEqual(parseMeta('.quit'), { ok: true, command: { kind: 'quit' } });
  assert.deepEqual(parseMeta('.exit'), { ok: true, command: { kind: 'quit' } });
});

test('wrong arguments give the usage; unknown commands a suggestion', () => {
  assert.deepEqual(parseMeta('.schema'), { ok: false, message: 'usage: .schema TABLE' });
  assert.deepEqual(parseMeta('.explain'), { ok: false, message: 'usage: .explain QUERY' });
  assert.deepEqual(parseMeta('.format xml'), { ok: false, message: 'usage: .format table|json|csv|ndjson|markdown|folded|svg' });
  assert.deepEqual(parseMeta('.timer maybe'), { ok: false, message: 'usage: .timer on|off' });
  assert.deepEqual(parseMeta('.tables x'), { ok: false, message: 'usage: .tables' });
  assert.deepEqual(parseMeta('.tabels'), { ok: false, message: "unknown command '.tabels'; did you mean '.tables'? (.help lists them)" });
  assert.deepEqual(parseMeta('.zzzzzzzz'), { ok: false, message: "unknown command '.zzzzzzzz' (.help lists them)" });
});
