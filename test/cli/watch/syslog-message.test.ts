// The RFC 5424 line bpfql sends to syslog: facility auth, the rule's severity mapped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syslogMessage, syslogSeverity } from '../../../src/cli/watch/syslog.js';

test('severities map to syslog levels; facility auth (4)', () => {
  assert.deepEqual((['critical', 'high', 'medium', 'low', 'notice'] as const).map(syslogSeverity), [2, 3, 4, 5, 5]);
  const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6));
  assert.equal(syslogMessage('{"rule":"r"}', 'high', at, 'box', 42), '<35>1 2026-01-02T03:04:05.006Z box bpfql 42 - - {"rule":"r"}');
});
