// Folded stacks (`-o x.folded`, `--format folded`): one line per call path, root frame first, and
// its count, the input of flamegraph.pl, speedscope and most profilers' viewers. How rows become
// paths is folded-stacks.ts.
import { defineFormat } from '../format-spec.js';
import { foldedText, foldStacks } from '../folded-stacks.js';
import { noteAside, wholeResultWriter } from '../writer.js';

export const folded = defineFormat({
  kind: 'text',
  name: 'folded',
  description: 'folded stacks for flame-graph tools: frames root first, then a count',
  extensions: ['folded'],
  // Equal paths from different rows are merged: every row first.
  streams: false,
  liveWindows: false,
  screen: 'escaped-text',
  writer: ({ out, aside }) => wholeResultWriter(out, (r) => foldedText(foldStacks(r.columns, r.rows)), (c) => noteAside(aside, c)),
});
