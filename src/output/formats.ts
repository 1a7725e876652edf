// The registry of output formats: the one list `--format`, `-o FILE`, the REPL's `.format`, their
// help and their error messages are made from. A new format is a file in formats/ and a line here.
import type { OutputFormat, TextFormat } from './format-spec.js';
import { csv } from './formats/csv.js';
import { folded } from './formats/folded.js';
import { json } from './formats/json.js';
import { markdown } from './formats/markdown.js';
import { ndjson } from './formats/ndjson.js';
import { parquet } from './formats/parquet.js';
import { svg } from './formats/svg.js';
import { table } from './formats/table.js';

/** In the order help and messages list them; the first is the default. */
export const FORMATS = [table, json, csv, ndjson, markdown, folded, svg, parquet] as const;

type Format = (typeof FORMATS)[number];
type Text = Extract<Format, { readonly kind: 'text' }>;
export type TextFormatName = Text['name'];

/** What can be shown: `--format` and the REPL's `.format`. */
export const TEXT_FORMATS: readonly Text[] = FORMATS.filter((f): f is Text => f.kind === 'text');

export const DEFAULT_FORMAT: TextFormatName = TEXT_FORMATS[0]!.name;

export function textFormat(name: TextFormatName): TextFormat<TextFormatName> {
  return TEXT_FORMATS.find((f) => f.name === name)!;
}

/** The text format called exactly `name`, or undefined. */
export function textFormatNamed(name: string): TextFormat<TextFormatName> | undefined {
  return TEXT_FORMATS.find((f) => f.name === name);
}

/** The extension of a path's last component (lower case, no dot), or undefined. */
export function extensionOf(path: string): string | undefined {
  const dot = path.lastIndexOf('.');
  if (dot < 0 || dot < path.lastIndexOf('/')) return undefined;
  return path.slice(dot + 1).toLowerCase();
}

/** The format `-o path` writes, by the path's extension (any case), or undefined. */
export function exportFormatOf(path: string): OutputFormat | undefined {
  const ext = extensionOf(path);
  return ext === undefined ? undefined : FORMATS.find((f) => (f.extensions as readonly string[]).includes(ext));
}

/** `.a, .b or .c`: the extensions `-o` knows, for help and messages. */
export function exportExtensionsText(): string {
  const all = FORMATS.flatMap((f) => f.extensions.map((e) => `.${e}`));
  return `${all.slice(0, -1).join(', ')} or ${all[all.length - 1]}`;
}
