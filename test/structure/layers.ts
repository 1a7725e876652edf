// The layers of src/ and the one rule between them: a file imports only from its own folder, from
// a lower layer, or from a folder of its own layer named in SAME_LAYER. The README's Layout
// section draws the same picture; layers.test.ts holds the source tree to it.
import { posix } from 'node:path';

/** Top folders of src/, bottom layer first. A new folder must be placed here before it passes. */
export const LAYERS: readonly (readonly string[])[] = [
  ['diag', 'query', 'catalog', 'bpf'],
  ['planner', 'functions'],
  ['bpf-templates'],
  ['kernel', 'runtime', 'store', 'output'],
  ['engine'],
  ['cli', 'repl'],
];

/**
 * Imports allowed between two folders of the same layer, as [importer, imported]. Each says
 * which of the two is lower, so a pair in both directions (a cycle) is refused by checkTable.
 */
export const SAME_LAYER: readonly (readonly [string, string])[] = [
  ['query', 'diag'], // diagnostics and spans are the vocabulary of every parse error
  ['catalog', 'diag'], // unavailable tables carry rendered diagnostics
  ['catalog', 'query'], // decoders' DuckDB macros quote their names with the one quoter
  ['bpf', 'diag'], // switches end in assertNever
  ['planner', 'functions'], // the planner binds calls to the function registry
  ['runtime', 'kernel'], // the runtime is the only user of the syscall layer's objects
  ['store', 'output'], // the session returns results in output's plain form (result.ts)
  ['cli', 'repl'], // `bpfql` with no query starts the REPL
];

/** One source file: its path under src/ (posix, e.g. `store/session.ts`) and its import specifiers. */
export interface SourceFile {
  readonly path: string;
  readonly imports: readonly string[];
}

function layerOf(folder: string, layers = LAYERS): number | undefined {
  const i = layers.findIndex((layer) => layer.includes(folder));
  return i < 0 ? undefined : i;
}

/** Problems in the table itself: a folder placed twice, or a same-layer pair that is not same-layer or goes both ways. */
export function checkTable(layers = LAYERS, sameLayer = SAME_LAYER): string[] {
  const problems: string[] = [];
  const all = layers.flat();
  for (const folder of new Set(all)) {
    if (all.filter((f) => f === folder).length > 1) problems.push(`${folder} is placed in more than one layer`);
  }
  for (const [from, to] of sameLayer) {
    const a = layerOf(from, layers);
    if (a === undefined || a !== layerOf(to, layers)) problems.push(`SAME_LAYER ${from} → ${to} is not between folders of one layer`);
    if (sameLayer.some(([f, t]) => f === to && t === from)) problems.push(`SAME_LAYER ${from} → ${to} and back: a cycle`);
  }
  return problems;
}

/** Every import that breaks the layering, one sentence each naming the file, the import and both folders' layers. */
export function checkLayers(files: readonly SourceFile[]): string[] {
  const problems: string[] = [];
  for (const folder of new Set(files.map((f) => f.path.split('/')[0] ?? ''))) {
    if (layerOf(folder) === undefined) problems.push(`src/${folder} is in no layer: place it in LAYERS (test/structure/layers.ts)`);
  }
  for (const file of files) {
    const from = file.path.split('/')[0] ?? '';
    const fromLayer = layerOf(from);
    if (fromLayer === undefined) continue;
    for (const spec of file.imports) {
      if (!spec.startsWith('.')) continue;
      const target = posix.normalize(posix.join(posix.dirname(file.path), spec));
      const at = `src/${file.path} imports '${spec}'`;
      if (target.startsWith('../')) {
        problems.push(`${at}, which is outside src/`);
        continue;
      }
      const to = target.split('/')[0] ?? '';
      if (to === from) continue;
      const toLayer = layerOf(to);
      if (toLayer === undefined) continue; // reported above as a folder in no layer
      const where = `${from} (layer ${fromLayer}) → ${to} (layer ${toLayer})`;
      if (toLayer > fromLayer) problems.push(`${at}: a higher layer, ${where}`);
      else if (toLayer === fromLayer && !SAME_LAYER.some(([f, t]) => f === from && t === to)) {
        problems.push(`${at}: same layer, not allowed in SAME_LAYER, ${where}`);
      }
    }
  }
  return problems;
}
