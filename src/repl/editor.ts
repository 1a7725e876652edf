import { assertNever } from '../diag/assert-never.js';
// The text being typed at the prompt, and every edit to it, as a pure reducer: the component only
// maps keys to actions, so editing can be tested without a terminal. Offsets are UTF-16 indices
// into `text`, which may span several lines (statements run until their ';').

export interface EditorState {
  readonly text: string;
  /** 0 ≤ cursor ≤ text.length */
  readonly cursor: number;
}

export type EditAction =
  | { readonly kind: 'insert'; readonly text: string }
  | { readonly kind: 'backspace' }
  | { readonly kind: 'delete' }
  | { readonly kind: 'left' }
  | { readonly kind: 'right' }
  | { readonly kind: 'word-left' }
  | { readonly kind: 'word-right' }
  | { readonly kind: 'line-start' }
  | { readonly kind: 'line-end' }
  /** Moves to the same column of the line above (or below); nothing on the first (last) line. */
  | { readonly kind: 'up' }
  | { readonly kind: 'down' }
  | { readonly kind: 'kill-to-end' }
  | { readonly kind: 'kill-to-start' }
  | { readonly kind: 'kill-word' }
  /** Replaces the whole text, cursor at its end (history, completion of a whole entry). */
  | { readonly kind: 'set'; readonly text: string };

export const EMPTY: EditorState = { text: '', cursor: 0 };

export function editorOf(text: string): EditorState {
  return { text, cursor: text.length };
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

function lineEnd(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return nl === -1 ? text.length : nl;
}

const isWord = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}_]/u.test(c);

function wordLeft(text: string, at: number): number {
  let i = at;
  while (i > 0 && !isWord(text[i - 1])) i--;
  while (i > 0 && isWord(text[i - 1])) i--;
  return i;
}

function wordRight(text: string, at: number): number {
  let i = at;
  while (i < text.length && !isWord(text[i])) i++;
  while (i < text.length && isWord(text[i])) i++;
  return i;
}

/** Line and column (both from 0) of the cursor. */
export function cursorPosition(s: EditorState): { readonly line: number; readonly column: number } {
  const before = s.text.slice(0, s.cursor);
  const line = before.split('\n').length - 1;
  return { line, column: s.cursor - lineStart(s.text, s.cursor) };
}

export function onFirstLine(s: EditorState): boolean {
  return !s.text.slice(0, s.cursor).includes('\n');
}

export function onLastLine(s: EditorState): boolean {
  return !s.text.slice(s.cursor).includes('\n');
}

function splice(s: EditorState, from: number, to: number, insert = ''): EditorState {
  return { text: s.text.slice(0, from) + insert + s.text.slice(to), cursor: from + insert.length };
}

const at = (s: EditorState, cursor: number): EditorState => ({ text: s.text, cursor });

export function edit(s: EditorState, a: EditAction): EditorState {
  const { text, cursor } = s;
  switch (a.kind) {
    // Pasted text may carry CR or CRLF line ends; the editor keeps LF only.
    case 'insert': return splice(s, cursor, cursor, a.text.replace(/\r\n?/g, '\n'));
    case 'backspace': return cursor === 0 ? s : splice(s, cursor - 1, cursor);
    case 'delete': return cursor === text.length ? s : splice(s, cursor, cursor + 1);
    case 'left': return at(s, Math.max(0, cursor - 1));
    case 'right': return at(s, Math.min(text.length, cursor + 1));
    case 'word-left': return at(s, wordLeft(text, cursor));
    case 'word-right': return at(s, wordRight(text, cursor));
    case 'line-start': return at(s, lineStart(text, cursor));
    case 'line-end': return at(s, lineEnd(text, cursor));
    case 'up': {
      if (onFirstLine(s)) return s;
      const column = cursor - lineStart(text, cursor);
      const prevStart = lineStart(text, lineStart(text, cursor) - 1);
      return at(s, Math.min(prevStart + column, lineStart(text, cursor) - 1));
    }
    case 'down': {
      if (onLastLine(s)) return s;
      const column = cursor - lineStart(text, cursor);
      const nextStart = lineEnd(text, cursor) + 1;
      return at(s, Math.min(nextStart + column, lineEnd(text, nextStart)));
    }
    // At the end of a line, killing to its end joins the next line (as readline does).
    case 'kill-to-end': {
      const end = lineEnd(text, cursor);
      return splice(s, cursor, end === cursor && end < text.length ? end + 1 : end);
    }
    case 'kill-to-start': return splice(s, lineStart(text, cursor), cursor);
    case 'kill-word': return splice(s, wordLeft(text, cursor), cursor);
    case 'set': return editorOf(a.text);
    default:
      return assertNever(a);
  }
}
