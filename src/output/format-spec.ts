// What one output format file exports: everything the CLI, the REPL and exports know of a format.
// The registry (formats.ts) lists them; nothing else names a format.
import type { ResultWriter, WriterOptions } from './writer.js';

export interface ExportOptions {
  /** Parquet only: key/value metadata for the file footer (read with parquet_kv_metadata()). */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** How the REPL shows a text format on screen. */
export type ScreenForm =
  /** The REPL's own table view of the rows: cut to the terminal, histograms drawn as bars. */
  | 'table'
  /** The writer's text: the format's own escapes keep it unambiguous (the transcript escapes what is left raw). */
  | 'text'
  /** The writer's text with every string value escaped first (display-text.ts): for formats without escapes of their own. */
  | 'escaped-text';

interface FormatBase<N extends string> {
  /** What `--format` and the REPL's `.format` take. */
  readonly name: N;
  /** A few words for --help. */
  readonly description: string;
  /** Extensions (lower case, no dot) that choose this format for `-o FILE`; none: it is never chosen by a file's name. */
  readonly extensions: readonly string[];
}

/** A format bpfql writes itself, as text, through a ResultWriter: on stdout, in the REPL, and to files. */
export interface TextFormat<N extends string = string> extends FormatBase<N> {
  readonly kind: 'text';
  /** Its writer writes each batch of rows as it arrives; otherwise nothing until end(). */
  readonly streams: boolean;
  /**
   * EVERY windows are shown one by one as each closes, each a result of its own (for a person
   * watching); otherwise the whole result is written once, one document.
   */
  readonly liveWindows: boolean;
  readonly screen: ScreenForm;
  readonly writer: (opts: WriterOptions) => ResultWriter;
  /** DuckDB writes this format too: the COPY options an `-o` export uses instead of the writer. */
  readonly copy?: (opts: ExportOptions) => string;
}

/** A format only DuckDB writes (binary): an `-o` export by COPY, never shown. */
export interface FileFormat<N extends string = string> extends FormatBase<N> {
  readonly kind: 'file';
  readonly copy: (opts: ExportOptions) => string;
}

export type OutputFormat<N extends string = string> = TextFormat<N> | FileFormat<N>;

/** A format as its file declares it, keeping its literal name: the registry's names are a type. */
export function defineFormat<const F extends OutputFormat>(format: F): F {
  return format;
}
