// The JUnit XML report of `bpfql run`, as CI systems (GitHub Actions reporters, GitLab's
// artifacts:reports:junit, Jenkins) read it: one test case per assertion and per compared
// baseline value, plus one erroring case when tracing failed.
import type { RunReport } from './report.js';
import { comparisonName, describeAssertion, describeComparison } from './report.js';
import { describeContainers } from './containers.js';

/** Drops characters XML 1.0 cannot hold at all (most C0 controls, lone surrogates, U+FFFE/F). */
function xmlChars(s: string): string {
  return s.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

export function xmlText(s: string): string {
  return xmlChars(s).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** An attribute value; line breaks and tabs as character references, or parsers fold them to spaces. */
export function xmlAttr(s: string): string {
  return xmlText(s).replaceAll('"', '&quot;').replaceAll("'", '&apos;').replaceAll('\n', '&#10;').replaceAll('\r', '&#13;').replaceAll('\t', '&#9;');
}

interface Case {
  readonly classname: string;
  readonly name: string;
  readonly outcome?: { readonly element: 'failure' | 'error'; readonly type: string; readonly message: string; readonly detail: string };
}

function casesOf(r: RunReport): Case[] {
  const cases: Case[] = [];
  if (r.error !== undefined) {
    cases.push({ classname: 'bpfql', name: 'tracing', outcome: { element: 'error', type: 'tracing', message: r.error, detail: r.error } });
  }
  for (const a of r.assertions) {
    const line = describeAssertion(a);
    cases.push({
      classname: 'bpfql.assert',
      name: a.sql,
      ...(a.passed ? {} : { outcome: { element: 'failure', type: 'assertion', message: line, detail: `${a.sql}\n${line}` } }),
    });
  }
  if (r.baseline) {
    const { tolerancePct } = r.baseline;
    for (const c of r.baseline.result.comparisons) {
      const line = describeComparison(c, tolerancePct);
      cases.push({
        classname: 'bpfql.baseline',
        name: comparisonName(c),
        ...(c.regressed ? { outcome: { element: 'failure', type: 'regression', message: line, detail: `${comparisonName(c)}: ${line}` } } : {}),
      });
    }
  }
  return cases;
}

function renderCase(c: Case): string {
  const open = `    <testcase classname="${xmlAttr(c.classname)}" name="${xmlAttr(c.name)}"`;
  if (c.outcome === undefined) return `${open}/>`;
  const o = c.outcome;
  return [
    `${open}>`,
    `      <${o.element} type="${xmlAttr(o.type)}" message="${xmlAttr(o.message)}">${xmlText(o.detail)}</${o.element}>`,
    '    </testcase>',
  ].join('\n');
}

export function renderJunitReport(r: RunReport): string {
  const cases = casesOf(r);
  const failures = cases.filter((c) => c.outcome?.element === 'failure').length;
  const errors = cases.filter((c) => c.outcome?.element === 'error').length;
  const time = ((r.durationMs ?? 0) / 1000).toFixed(3);
  const counts = `tests="${cases.length}" failures="${failures}" errors="${errors}" time="${time}"`;
  const exit = r.signal !== null ? `was killed by ${r.signal}` : r.exitCode === null ? 'did not run' : `exited with ${r.exitCode}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="bpfql run" ${counts}>`,
    `  <testsuite name="${xmlAttr(`bpfql run -- ${r.command.join(' ')}`)}" ${counts}>`,
    ...cases.map(renderCase),
    `    <system-out>${xmlText([`the command ${exit}`, ...(r.containers.length > 0 ? [describeContainers(r.containers)] : [])].join('\n'))}</system-out>`,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
