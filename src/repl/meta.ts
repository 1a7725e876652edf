// Meta commands: lines starting with '.', handled by the REPL itself rather than sent as SQL.
import { closest } from '../diag/messages.js';
import type { TextFormatName } from '../output/formats.js';
import { TEXT_FORMATS } from '../output/formats.js';

export const FORMATS: readonly TextFormatName[] = TEXT_FORMATS.map((f) => f.name);

export type MetaCommand =
  | { readonly kind: 'tables' }
  | { readonly kind: 'schema'; readonly table: string }
  | { readonly kind: 'explain'; readonly query: string }
  | { readonly kind: 'format'; readonly format: TextFormatName }
  /** Without a file: results go back to the screen. */
  | { readonly kind: 'output'; readonly file?: string }
  | { readonly kind: 'timer'; readonly on: boolean }
  | { readonly kind: 'help' }
  | { readonly kind: 'quit' };

export type MetaParse =
  | { readonly ok: true; readonly command: MetaCommand }
  | { readonly ok: false; readonly message: string };

export const META_NAMES: readonly string[] = ['.tables', '.schema', '.explain', '.format', '.output', '.timer', '.help', '.quit'];

export const HELP = `.tables                 kernel tables and DuckDB tables
.schema TABLE           the columns of a table
.explain QUERY          how a query is split between the kernel and DuckDB
.format FORMAT          how results are shown: ${FORMATS.join(', ')}
.output [FILE]          append results to FILE (no FILE: back to the screen)
.timer on|off           show how long each statement took
.help                   this text
.quit                   leave (also Ctrl-D)

Statements end with ';' and may span lines. Kernel queries run until FOR elapses or Ctrl-C;
their result stays in the table 'last'. Up/Down: history, Ctrl-R: search it, Tab: complete.`;

const fail = (message: string): MetaParse => ({ ok: false, message });
const ok = (command: MetaCommand): MetaParse => ({ ok: true, command });

export function parseMeta(text: string): MetaParse {
  const trimmed = text.trim();
  const space = trimmed.search(/\s/);
  const name = (space === -1 ? trimmed : trimmed.slice(0, space)).toLowerCase();
  // A trailing ';' is a habit from SQL, not part of the argument.
  const arg = (space === -1 ? '' : trimmed.slice(space)).trim().replace(/;\s*$/, '').trim();
  switch (name) {
    case '.tables': return arg === '' ? ok({ kind: 'tables' }) : fail('usage: .tables');
    case '.schema': return /^\S+$/.test(arg) ? ok({ kind: 'schema', table: arg }) : fail('usage: .schema TABLE');
    case '.explain': return arg === '' ? fail('usage: .explain QUERY') : ok({ kind: 'explain', query: arg });
    case '.format': {
      const format = FORMATS.find((f) => f === arg.toLowerCase());
      return format ? ok({ kind: 'format', format }) : fail(`usage: .format ${FORMATS.join('|')}`);
    }
    case '.output': return arg === '' ? ok({ kind: 'output' }) : /^\S+$/.test(arg) ? ok({ kind: 'output', file: arg }) : fail('usage: .output [FILE]');
    case '.timer': {
      const v = arg.toLowerCase();
      return v === 'on' || v === 'off' ? ok({ kind: 'timer', on: v === 'on' }) : fail('usage: .timer on|off');
    }
    case '.help': return ok({ kind: 'help' });
    case '.quit': case '.exit': return ok({ kind: 'quit' });
    default: {
      const near = closest(name, META_NAMES);
      return fail(`unknown command '${name}'${near.length > 0 ? `; did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : ''} (.help lists them)`);
    }
  }
}
