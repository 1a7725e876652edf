// A flame graph (`-o x.svg`): the folded stacks of the result (folded-stacks.ts) drawn as an SVG
// picture (flame-graph.ts), to open in a browser instead of reading stack text.
import { flameGraphSvg } from '../flame-graph.js';
import { defineFormat } from '../format-spec.js';
import { foldStacks } from '../folded-stacks.js';
import { noteAside, wholeResultWriter } from '../writer.js';

export const svg = defineFormat({
  kind: 'text',
  name: 'svg',
  description: 'a flame graph of the result\'s stacks, as an SVG picture',
  extensions: ['svg'],
  streams: false,
  liveWindows: false,
  screen: 'escaped-text',
  writer: ({ out, aside }) => wholeResultWriter(out, (r) => flameGraphSvg(foldStacks(r.columns, r.rows), 'bpfql flame graph'), (c) => noteAside(aside, c)),
});
