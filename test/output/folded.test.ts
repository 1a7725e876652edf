// Folded stacks and the SVG flame graph made from a result's rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldedText, foldStacks } from '../../src/output/folded-stacks.js';
import { flameGraphSvg } from '../../src/output/flame-graph.js';
import { exportFormatOf } from '../../src/output/formats.js';

const cols = (...names: string[]) => names.map((name) => ({ name, type: name === 'n' ? 'BIGINT' : 'VARCHAR' }));

test('frames root first, a comm as a frame, user before kernel as the query orders them, equal paths merged', () => {
  const rows = [
    ['app', 'leaf+0x1;main+0x2', 'k2+0x1;k1+0x2', 3n],
    ['app', 'leaf+0x1;main+0x2', 'k2+0x1;k1+0x2', 4],
    ['app', 'main+0x9', null, 5],
    ['kworker/0:1', null, 'worker+0x3', 2],
  ];
  assert.equal(foldedText(foldStacks(cols('comm', 'ustack', 'kstack', 'n'), rows)), [
    'app;main+0x2;leaf+0x1;k1+0x2;k2+0x1 7',
    'app;main+0x9 5',
    'kworker/0:1;worker+0x3 2',
  ].join('\n'));
});

test('the count is the last integer column; without one each row counts once; no zero or negative counts', () => {
  assert.equal(foldedText(foldStacks(cols('kstack'), [['b;a'], ['b;a'], ['c']])), 'a;b 2\nc 1');
  assert.equal(foldedText(foldStacks(cols('kstack', 'n'), [['b;a', 0], ['c', 2]])), 'c 2');
});

test('a frame cannot break the format: ; becomes :, control characters are escaped', () => {
  assert.equal(foldedText(foldStacks(cols('comm', 'n'), [['evil;x\n1 2', 1]])), 'evil:x\\n1 2 1');
});

test('the flame graph: one box per frame and the root, widths by count, every text escaped', () => {
  const svg = flameGraphSvg(foldStacks(cols('comm', 'kstack', 'n'), [['<script>', 'b;a', 3], ['<script>', 'c', 1]]), 't & "q"');
  assert.ok(svg.startsWith('<?xml') && svg.endsWith('</svg>'));
  assert.equal((svg.match(/<rect x=/g) ?? []).length, 5); // all, <script>, a, b, c
  assert.ok(!svg.includes('<script>'));
  assert.match(svg, /<title>&lt;script&gt; \(4, 100\.00%\)<\/title>/);
  assert.match(svg, /<title>a \(3, 75\.00%\)<\/title>/);
  assert.match(svg, />t &amp; &quot;q&quot;</);
  const width = (name: string): number => Number(new RegExp(`<title>${name} [^<]*</title><rect x="[\\d.]+" y="\\d+" width="([\\d.]+)"`).exec(svg)![1]);
  assert.ok(Math.abs(width('a') - 3 * width('c')) < 0.05);
});

test('-o chooses them by extension', () => {
  assert.equal(exportFormatOf('out.folded')?.name, 'folded');
  assert.equal(exportFormatOf('flame.SVG')?.name, 'svg');
});
