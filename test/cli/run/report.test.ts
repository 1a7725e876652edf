import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunReport } from '../../../src/cli/run/report.js';
import { checksPassed, describeComparison } from '../../../src/cli/run/report.js';
import { renderJsonReport } from '../../../src/cli/run/report-json.js';
import { renderJunitReport, xmlAttr, xmlText } from '../../../src/cli/run/report-junit.js';

const report: RunReport = {
  command: ['make', 'test', 'A=<1> & "2"'],
  exitCode: 0,
  signal: null,
  durationMs: 1234,
  queries: [{
    table: 'opens',
    statement: "CREATE TABLE opens AS SELECT count(*) AS n FROM tracepoint.syscalls.sys_enter_openat WHERE filename = '/etc/hosts'",
    kernelRows: 1,
    completeness: { lostRecords: 0, failedUpdates: 2, lostPairs: 0, lostStacks: 0, missedEvents: 0 },
  }],
  containers: [
    { cgroup: '/docker-3f2a.scope', runtime: 'docker', id: '3f2a', name: 'web', podName: null, podNamespace: null },
    { cgroup: '/kubepods-pod1.slice/cri-containerd-9b.scope', runtime: 'containerd', id: '9b', name: null, podName: 'api', podNamespace: 'prod' },
  ],
  assertions: [
    { sql: 'SELECT n <= 2000 AS ok, n FROM opens', passed: false, values: { ok: false, n: 2100 } },
    { sql: 'SELECT n > 0 FROM opens', passed: true, values: { '(n > 0)': true } },
    { sql: 'SELECT count(*) = 0 FROM procs', passed: false, values: {}, error: 'Table with name procs does not exist!' },
    { sql: 'SELECT big < 1 FROM t', passed: false, values: { '(big < 1)': false, big: 12345678901234567890n } },
  ],
  baseline: {
    path: 'base.parquet',
    tolerancePct: 10,
    result: {
      comparisons: [
        { table: 'opens', key: '{}', metric: 'n', baseline: 1000, current: 2100, changePct: 110, regressed: true },
        { table: 'opens', key: '{"comm":"cc1"}', metric: 'n', baseline: 50, current: 50, changePct: 0, regressed: false },
        { table: 'opens', key: '{"comm":"ld"}', metric: 'n', baseline: 0, current: 3, changePct: null, regressed: true },
      ],
      unmatched: [{ table: 'opens', key: '{"comm":"curl"}', metric: 'n', reason: 'new' }],
    },
  },
  exit: 3,
};

test('JSON report: every field, values exact (a u64 beyond 2^53 too)', () => {
  assert.equal(renderJsonReport(report), `${JSON.stringify({
    command: ['make', 'test', 'A=<1> & "2"'],
    exitCode: 0,
    signal: null,
    durationMs: 1234,
    passed: false,
    exit: 3,
    error: null,
    queries: [{
      table: 'opens',
      statement: "CREATE TABLE opens AS SELECT count(*) AS n FROM tracepoint.syscalls.sys_enter_openat WHERE filename = '/etc/hosts'",
      kernelRows: 1,
      complete: false,
      lostRecords: 0,
      failedUpdates: 2,
      lostPairs: 0,
      lostStacks: 0,
      missedEvents: 0,
    }],
    containers: [
      { cgroup: '/docker-3f2a.scope', runtime: 'docker', id: '3f2a', name: 'web', podName: null, podNamespace: null },
      { cgroup: '/kubepods-pod1.slice/cri-containerd-9b.scope', runtime: 'containerd', id: '9b', name: null, podName: 'api', podNamespace: 'prod' },
    ],
    assertions: [
      { sql: 'SELECT n <= 2000 AS ok, n FROM opens', passed: false, values: { ok: false, n: 2100 } },
      { sql: 'SELECT n > 0 FROM opens', passed: true, values: { '(n > 0)': true } },
      { sql: 'SELECT count(*) = 0 FROM procs', passed: false, values: {}, error: 'Table with name procs does not exist!' },
      { sql: 'SELECT big < 1 FROM t', passed: false, values: { '(big < 1)': false, big: 'BIG' } },
    ],
    baseline: {
      file: 'base.parquet',
      tolerancePct: 10,
      regressions: 2,
      comparisons: [
        { table: 'opens', key: '{}', metric: 'n', baseline: 1000, current: 2100, changePct: 110, regressed: true },
        { table: 'opens', key: '{"comm":"cc1"}', metric: 'n', baseline: 50, current: 50, changePct: 0, regressed: false },
        { table: 'opens', key: '{"comm":"ld"}', metric: 'n', baseline: 0, current: 3, changePct: null, regressed: true },
      ],
      unmatched: [{ table: 'opens', key: '{"comm":"curl"}', metric: 'n', reason: 'new' }],
    },
  }).replace('"BIG"', '12345678901234567890')}\n`);
});

test('JUnit report: one case per assertion and per compared value, failures with a message, XML escaped', () => {
  assert.equal(renderJunitReport(report), `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="bpfql run" tests="7" failures="5" errors="0" time="1.234">
  <testsuite name="bpfql run -- make test A=&lt;1&gt; &amp; &quot;2&quot;" tests="7" failures="5" errors="0" time="1.234">
    <testcase classname="bpfql.assert" name="SELECT n &lt;= 2000 AS ok, n FROM opens">
      <failure type="assertion" message="false (ok=false, n=2100)">SELECT n &lt;= 2000 AS ok, n FROM opens
false (ok=false, n=2100)</failure>
    </testcase>
    <testcase classname="bpfql.assert" name="SELECT n &gt; 0 FROM opens"/>
    <testcase classname="bpfql.assert" name="SELECT count(*) = 0 FROM procs">
      <failure type="assertion" message="error: Table with name procs does not exist!">SELECT count(*) = 0 FROM procs
error: Table with name procs does not exist!</failure>
    </testcase>
    <testcase classname="bpfql.assert" name="SELECT big &lt; 1 FROM t">
      <failure type="assertion" message="false ((big &lt; 1)=false, big=12345678901234567890)">SELECT big &lt; 1 FROM t
false ((big &lt; 1)=false, big=12345678901234567890)</failure>
    </testcase>
    <testcase classname="bpfql.baseline" name="opens.n">
      <failure type="regression" message="1000 -&gt; 2100 (+110%, tolerance 10%)">opens.n: 1000 -&gt; 2100 (+110%, tolerance 10%)</failure>
    </testcase>
    <testcase classname="bpfql.baseline" name="opens.n {&quot;comm&quot;:&quot;cc1&quot;}"/>
    <testcase classname="bpfql.baseline" name="opens.n {&quot;comm&quot;:&quot;ld&quot;}">
      <failure type="regression" message="0 -&gt; 3 (grew from 0, tolerance 10%)">opens.n {"comm":"ld"}: 0 -&gt; 3 (grew from 0, tolerance 10%)</failure>
    </testcase>
    <system-out>the command exited with 0
== containers the command started (2)
  docker 3f2a /docker-3f2a.scope (name web)
  containerd 9b /kubepods-pod1.slice/cri-containerd-9b.scope (pod prod/api)</system-out>
  </testsuite>
</testsuites>
`);
});

const failedTracing: RunReport = {
  command: ['true'],
  exitCode: null,
  signal: null,
  durationMs: null,
  queries: [],
  containers: [],
  assertions: [],
  error: "the kernel verifier rejected program 'bpfql_x' (EACCES): R0 invalid mem access",
  exit: 1,
};

test('a tracing failure: null fields in JSON, one erroring case in JUnit', () => {
  assert.equal(renderJsonReport(failedTracing),
    '{"command":["true"],"exitCode":null,"signal":null,"durationMs":null,"passed":false,"exit":1,' +
    `"error":"the kernel verifier rejected program 'bpfql_x' (EACCES): R0 invalid mem access","queries":[],"containers":[],"assertions":[],"baseline":null}\n`);
  assert.equal(renderJunitReport(failedTracing), `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="bpfql run" tests="1" failures="0" errors="1" time="0.000">
  <testsuite name="bpfql run -- true" tests="1" failures="0" errors="1" time="0.000">
    <testcase classname="bpfql" name="tracing">
      <error type="tracing" message="the kernel verifier rejected program &apos;bpfql_x&apos; (EACCES): R0 invalid mem access">the kernel verifier rejected program 'bpfql_x' (EACCES): R0 invalid mem access</error>
    </testcase>
    <system-out>the command did not run</system-out>
  </testsuite>
</testsuites>
`);
});

test('a command killed by a signal says so', () => {
  const { error: _error, ...withoutError } = failedTracing;
  const killed = renderJunitReport({ ...withoutError, exit: 137, signal: 'SIGKILL', durationMs: 5 });
  assert.match(killed, /<system-out>the command was killed by SIGKILL<\/system-out>/);
});

test('checks pass only without failed assertions, regressions or a tracing error', () => {
  assert.equal(checksPassed(report), false);
  assert.equal(checksPassed({ assertions: [report.assertions[1]!] }), true);
  assert.equal(checksPassed({ assertions: [], error: 'x' }), false);
  assert.equal(checksPassed({ assertions: [], baseline: { ...report.baseline!, result: { comparisons: [report.baseline!.result.comparisons[1]!], unmatched: [] } } }), true);
});

test('XML escaping: markup, quotes, line breaks in attributes, characters XML cannot hold', () => {
  assert.equal(xmlText('a<b>&c "d"\n'), 'a&lt;b&gt;&amp;c "d"\n');
  assert.equal(xmlAttr(`a<b>&c "d" 'e'\n\tf\r`), 'a&lt;b&gt;&amp;c &quot;d&quot; &apos;e&apos;&#10;&#9;f&#13;');
  assert.equal(xmlText('bell\x07 nul\x00 ok\u00e9 \ud83d\ude00 lone\ud800'), 'bell\ufffd nul\ufffd ok\u00e9 \ud83d\ude00 lone\ufffd');
});

test('describing a shrinking value', () => {
  assert.equal(describeComparison({ table: 't', key: '{}', metric: 'n', baseline: 300, current: 200, changePct: -100 / 3, regressed: false }, 2.5),
    '300 -> 200 (-33.33%, tolerance 2.5%)');
});
