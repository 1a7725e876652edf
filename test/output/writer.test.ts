import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportFormatOf, FORMATS, TEXT_FORMATS } from '../../src/output/formats.js';
import { resultText } from '../../src/output/result-text.js';
import type { QueryResult } from '../../src/output/result.js';
import type { CompletenessNote, ResultWriter, TextSink } from '../../src/output/writer.js';

const r: QueryResult = {
  columns: [{ name: 'comm', type: 'VARCHAR' }, { name: 'n', type: 'BIGINT' }],
  rows: [['bash', 1], ['say "hi"', 2], [null, 3], ['x|y', 4], ['', null]],
};

const lossy: CompletenessNote = { text: 'INCOMPLETE: 3 records lost (ring buffer full)', counts: { lostRecords: 3, failedUpdates: 0 } };

interface Written {
  readonly out: string[];
  readonly aside: string[];
}

function writerOf(format: (typeof TEXT_FORMATS)[number]): { w: ResultWriter; written: Written } {
  const written: Written = { out: [], aside: [] };
  const sink = (into: string[]): TextSink => ({ write: (t) => void into.push(t) });
  return { w: format.writer({ out: sink(written.out), aside: sink(written.aside) }), written };
}

test('every text format writes the same text whether the rows come at once, one by one or in uneven batches', () => {
  for (const format of TEXT_FORMATS) {
    const whole = resultText(format, r);
    assert.match(whole, /\n$/, format.name);
    for (const sizes of [[1, 1, 1, 1, 1], [2, 0, 3], [5]]) {
      const { w, written } = writerOf(format);
      w.begin(r.columns);
      let at = 0;
      for (const n of sizes) {
        w.rows(r.rows.slice(at, at + n));
        at += n;
      }
      w.end();
      assert.equal(written.out.join(''), whole, `${format.name} in batches of ${sizes.join(',')}`);
      assert.deepEqual(written.aside, []);
    }
  }
});

test('a format that says it streams has written the first rows before the result ends; the others wait for end()', () => {
  for (const format of TEXT_FORMATS) {
    const { w, written } = writerOf(format);
    w.begin(r.columns);
    w.rows(r.rows.slice(0, 2));
    const before = written.out.join('');
    assert.equal(before.includes('bash'), format.streams, format.name);
    if (!format.streams) assert.equal(before, '', format.name);
  }
});

test('the completeness: a line under the table; beside machine formats, JSON on the aside stream', () => {
  for (const format of TEXT_FORMATS) {
    const { w, written } = writerOf(format);
    w.begin(r.columns);
    w.rows(r.rows);
    w.end(lossy);
    const body = resultText(format, r);
    if (format.name === 'table') {
      assert.equal(written.out.join(''), `${body}${lossy.text}\n`);
      assert.deepEqual(written.aside, []);
    } else {
      assert.equal(written.out.join(''), body, format.name);
      assert.equal(written.aside.join(''), '{"completeness":{"lostRecords":3,"failedUpdates":0}}\n', format.name);
    }
  }
});

test('end() alone (rows that went elsewhere) writes only the completeness', () => {
  for (const format of TEXT_FORMATS) {
    const { w, written } = writerOf(format);
    w.end(lossy);
    assert.equal([...written.out, ...written.aside].join(''), format.name === 'table' ? `${lossy.text}\n` : '{"completeness":{"lostRecords":3,"failedUpdates":0}}\n', format.name);
    const quiet = writerOf(format);
    quiet.w.end();
    assert.deepEqual([...quiet.written.out, ...quiet.written.aside], [], format.name);
  }
});

test('the registry: names and extensions name one format each, and each extension leads back to its format', () => {
  const names = FORMATS.map((f) => f.name);
  assert.equal(new Set(names).size, names.length);
  const extensions = FORMATS.flatMap((f) => f.extensions);
  assert.equal(new Set(extensions).size, extensions.length);
  for (const f of FORMATS) {
    for (const e of f.extensions) {
      assert.equal(e, e.toLowerCase());
      assert.equal(exportFormatOf(`out.${e.toUpperCase()}`), f);
    }
  }
});
