import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { checkLayers, checkTable, type SourceFile } from './layers.js';
import { fromRoot } from '../helpers/paths.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(e.name) ? [path] : [];
  });
}

/** Every .ts/.tsx file under src/ with the specifiers of its imports, `export … from` and `import()`. */
function sourceTree(): SourceFile[] {
  const src = fromRoot('src');
  return sourceFiles(src).map((path) => ({
    path: relative(src, path).split(sep).join('/'),
    imports: ts.preProcessFile(readFileSync(path, 'utf8'), true, true).importedFiles.map((f) => f.fileName),
  }));
}

test('the layer table places each folder once and allows no same-layer cycle', () => {
  assert.deepEqual(checkTable(), []);
});

test('a table with a folder placed twice, a cross-layer pair or a same-layer cycle is refused', () => {
  assert.deepEqual(checkTable([['a', 'b'], ['c', 'a']], [['a', 'b'], ['b', 'a'], ['b', 'c']]), [
    'a is placed in more than one layer',
    'SAME_LAYER a → b and back: a cycle',
    'SAME_LAYER b → a and back: a cycle',
    'SAME_LAYER b → c is not between folders of one layer',
  ]);
});

test('every import in src/ goes to its own folder, a lower layer or an allowed folder of its layer', () => {
  const files = sourceTree();
  assert.ok(files.length > 100, `found only ${files.length} source files`);
  assert.deepEqual(checkLayers(files), []);
});

test('the reader finds static, type-only, re-exported and dynamic imports', () => {
  const text = [
    "import { a } from './a.js';",
    "import type { B } from '../b.js';",
    "export { c } from './c.js';",
    "export * from './d.js';",
    "const e = await import('./e.js');",
  ].join('\n');
  assert.deepEqual(ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName),
    ['./a.js', '../b.js', './c.js', './d.js', './e.js']);
});

test('an import of a higher layer is named with both layers', () => {
  assert.deepEqual(checkLayers([{ path: 'planner/plan.ts', imports: ['../runtime/kernel-run.js', './kexpr.js', 'node:fs'] }]), [
    "src/planner/plan.ts imports '../runtime/kernel-run.js': a higher layer, planner (layer 1) → runtime (layer 3)",
  ]);
});

test('imports within one folder and to lower layers pass', () => {
  assert.deepEqual(checkLayers([
    { path: 'engine/engine.ts', imports: ['./classify.js', '../store/session.js', '../diag/span.js'] },
    { path: 'runtime/deep/x.ts', imports: ['../../kernel/map.js', '../y.js'] },
  ]), []);
});

test('a same-layer import is refused unless SAME_LAYER allows that direction', () => {
  assert.deepEqual(checkLayers([
    { path: 'runtime/run.ts', imports: ['../kernel/map.js'] },
    { path: 'kernel/map.ts', imports: ['../runtime/run.js'] },
    { path: 'output/export.ts', imports: ['../store/session.js'] },
  ]), [
    "src/kernel/map.ts imports '../runtime/run.js': same layer, not allowed in SAME_LAYER, kernel (layer 3) → runtime (layer 3)",
    "src/output/export.ts imports '../store/session.js': same layer, not allowed in SAME_LAYER, output (layer 3) → store (layer 3)",
  ]);
});

test('a folder missing from the table, and an import leaving src/, are reported', () => {
  assert.deepEqual(checkLayers([
    { path: 'widgets/w.ts', imports: ['../diag/span.js'] },
    { path: 'diag/span.ts', imports: ['../widgets/w.js', '../../test/helpers/paths.js'] },
  ]), [
    'src/widgets is in no layer: place it in LAYERS (test/structure/layers.ts)',
    "src/diag/span.ts imports '../../test/helpers/paths.js', which is outside src/",
  ]);
});
