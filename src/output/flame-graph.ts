// A flame graph as a self-contained SVG: each frame a box as wide as its share of the total count,
// callers below their callees (the root at the bottom), siblings in name order; hovering a box
// shows its frame, count and share. Boxes too narrow to see are left out, and labels are cut to
// their box. Colours come from a hash of the frame's name, so a function keeps its colour across
// graphs. Every text is escaped for XML.
import type { FoldedStack } from './folded-stacks.js';

const WIDTH = 1200;
const FRAME_HEIGHT = 16;
const MARGIN = 10;
const TITLE_HEIGHT = 24;
/** Narrower boxes are not drawn (they would be invisible and would only make the file big). */
const MIN_WIDTH = 0.1;
/** An approximation of the label font's advance, for cutting labels to their box. */
const CHAR_WIDTH = 7;

interface Node {
  readonly name: string;
  count: number;
  readonly children: Map<string, Node>;
}

function tree(stacks: readonly FoldedStack[]): Node {
  const root: Node = { name: 'all', count: 0, children: new Map() };
  for (const s of stacks) {
    root.count += s.count;
    let at = root;
    for (const f of s.frames) {
      let next = at.children.get(f);
      if (!next) {
        next = { name: f, count: 0, children: new Map() };
        at.children.set(f, next);
      }
      next.count += s.count;
      at = next;
    }
  }
  return root;
}

function depthOf(n: Node): number {
  let d = 0;
  for (const c of n.children.values()) d = Math.max(d, depthOf(c));
  return d + 1;
}

export function xmlText(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&apos;');
}

/** A warm colour (reds, oranges, yellows) chosen by the name. */
function colour(name: string): string {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619) >>> 0;
  const r = 205 + (h % 50);
  const g = (h >>> 8) % 230;
  const b = (h >>> 16) % 55;
  return `rgb(${r},${g},${b})`;
}

function label(name: string, width: number): string {
  const fits = Math.floor((width - 6) / CHAR_WIDTH);
  if (fits < 3) return '';
  return name.length <= fits ? name : `${name.slice(0, fits - 2)}..`;
}

export function flameGraphSvg(stacks: readonly FoldedStack[], title: string): string {
  const root = tree(stacks);
  const depth = depthOf(root);
  const height = TITLE_HEIGHT + depth * FRAME_HEIGHT + 2 * MARGIN;
  const scale = root.count > 0 ? (WIDTH - 2 * MARGIN) / root.count : 0;
  const boxes: string[] = [];
  const draw = (n: Node, x: number, level: number): void => {
    const w = n.count * scale;
    if (w < MIN_WIDTH) return;
    const y = height - MARGIN - (level + 1) * FRAME_HEIGHT;
    const share = root.count > 0 ? ((100 * n.count) / root.count).toFixed(2) : '0.00';
    const text = label(n.name, w);
    boxes.push(
      `<g><title>${xmlText(`${n.name} (${n.count}, ${share}%)`)}</title>` +
      `<rect x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${FRAME_HEIGHT - 1}" rx="2" fill="${colour(n.name)}"/>` +
      (text === '' ? '' : `<text x="${(x + 3).toFixed(2)}" y="${y + FRAME_HEIGHT - 4}">${xmlText(text)}</text>`) +
      '</g>',
    );
    let cx = x;
    for (const c of [...n.children.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      draw(c, cx, level + 1);
      cx += c.count * scale;
    }
  };
  draw(root, MARGIN, 0);
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="monospace" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fdfdf6"/>`,
    `<text x="${WIDTH / 2}" y="${MARGIN + 14}" text-anchor="middle" font-size="16">${xmlText(title)}</text>`,
    ...boxes,
    '</svg>',
  ].join('\n');
}
