// Everything the prompt shows besides results, as one pure reducer: the text being edited,
// browsing the history with Up/Down, searching it with Ctrl-R, and the candidates of a Tab.
import type { Completion } from './completion.js';
import { commonPrefix } from './completion.js';
import type { EditAction, EditorState } from './editor.js';
import { edit, editorOf, EMPTY, onFirstLine, onLastLine } from './editor.js';
import { assertNever } from '../diag/assert-never.js';

export interface SearchState {
  readonly query: string;
  /** Index of the history entry shown, undefined when nothing matches. */
  readonly match: number | undefined;
  /** The text before the search began, restored when it is cancelled. */
  readonly before: EditorState;
}

export interface PromptState {
  readonly editor: EditorState;
  /** Oldest first. */
  readonly history: readonly string[];
  /** While browsing with Up/Down: the entry shown, and the text typed before browsing began. */
  readonly browse?: { readonly index: number; readonly draft: string };
  readonly search?: SearchState;
  /** The candidates of an ambiguous Tab, shown under the prompt until the next key. */
  readonly candidates?: readonly string[];
}

export type PromptAction =
  | { readonly kind: 'edit'; readonly action: EditAction }
  /** Up and Down move between lines of the text, and past its first or last line through the history. */
  | { readonly kind: 'up' }
  | { readonly kind: 'down' }
  /** Ctrl-R: starts a search, or moves to the next older match. */
  | { readonly kind: 'search' }
  /** Esc or Ctrl-G: leaves a search, restoring the text; otherwise hides candidates. */
  | { readonly kind: 'cancel' }
  /** Leaves a search keeping the match as the text. */
  | { readonly kind: 'accept' }
  | { readonly kind: 'complete'; readonly completion: Completion }
  /** After an entry ran: the history grows and the prompt is empty again. */
  | { readonly kind: 'remember'; readonly entry: string }
  /** Ctrl-C at the prompt: drop the text. */
  | { readonly kind: 'clear' };

export function initialPrompt(history: readonly string[]): PromptState {
  return { editor: EMPTY, history };
}

/** The text the prompt holds: during a search, the match. */
export function currentText(s: PromptState): string {
  if (s.search) return s.search.match === undefined ? s.search.before.text : s.history[s.search.match]!;
  return s.editor.text;
}

/** The newest entry at or before `from` containing `query`, ignoring case. */
export function findBackward(history: readonly string[], query: string, from: number): number | undefined {
  const q = query.toLowerCase();
  for (let i = Math.min(from, history.length - 1); i >= 0; i--) {
    if (history[i]!.toLowerCase().includes(q)) return i;
  }
  return undefined;
}

function searchStep(s: PromptState, search: SearchState, a: PromptAction): PromptState {
  const accept = (): PromptState => ({ editor: editorOf(currentText(s)), history: s.history });
  switch (a.kind) {
    case 'search': {
      const from = search.match === undefined ? s.history.length - 1 : search.match - 1;
      const next = findBackward(s.history, search.query, from);
      return next === undefined ? s : { ...s, search: { ...search, match: next } };
    }
    case 'edit': {
      if (a.action.kind === 'insert' || a.action.kind === 'backspace') {
        const query = a.action.kind === 'insert' ? search.query + a.action.text : search.query.slice(0, -1);
        // Typing narrows from the current match; deleting starts again from the newest entry.
        const from = a.action.kind === 'insert' && search.match !== undefined ? search.match : s.history.length - 1;
        return { ...s, search: { ...search, query, match: query === '' ? undefined : findBackward(s.history, query, from) } };
      }
      return promptReducer(accept(), a);
    }
    case 'cancel': return { editor: search.before, history: s.history };
    case 'clear': return { editor: EMPTY, history: s.history };
    case 'accept': return accept();
    case 'up': case 'down': case 'complete': case 'remember': return promptReducer(accept(), a);
    default:
      return assertNever(a);
  }
}

export function promptReducer(s: PromptState, a: PromptAction): PromptState {
  if (s.search) return searchStep(s, s.search, a);
  const plain = { editor: s.editor, history: s.history, ...(s.browse ? { browse: s.browse } : {}) };
  switch (a.kind) {
    case 'edit': return { editor: edit(s.editor, a.action), history: s.history };
    case 'up': {
      if (!onFirstLine(s.editor)) return { ...plain, editor: edit(s.editor, a) };
      const index = (s.browse?.index ?? s.history.length) - 1;
      if (index < 0) return plain;
      return { editor: editorOf(s.history[index]!), history: s.history, browse: { index, draft: s.browse?.draft ?? s.editor.text } };
    }
    case 'down': {
      if (!onLastLine(s.editor)) return { ...plain, editor: edit(s.editor, a) };
      if (!s.browse) return plain;
      const index = s.browse.index + 1;
      if (index >= s.history.length) return { editor: editorOf(s.browse.draft), history: s.history };
      return { editor: editorOf(s.history[index]!), history: s.history, browse: { index, draft: s.browse.draft } };
    }
    case 'search': return { editor: s.editor, history: s.history, search: { query: '', match: undefined, before: s.editor } };
    case 'cancel': case 'accept': return plain;
    case 'complete': {
      const { start, candidates } = a.completion;
      const typed = s.editor.cursor - start;
      const replace = (word: string): EditorState => {
        const text = s.editor.text.slice(0, start) + word + s.editor.text.slice(s.editor.cursor);
        return { text, cursor: start + word.length };
      };
      if (candidates.length === 0) return plain;
      if (candidates.length === 1) return { editor: replace(candidates[0]!), history: s.history };
      const common = commonPrefix(candidates);
      if (common.length > typed) return { editor: replace(common), history: s.history };
      // Listed without the dotted part already typed: 'block.' rather than 'tracepoint.block.'.
      const cut = s.editor.text.slice(start, s.editor.cursor).lastIndexOf('.') + 1;
      return { ...plain, candidates: candidates.map((c) => c.slice(cut)) };
    }
    case 'remember': {
      const entry = a.entry.trim();
      const history = entry === '' || s.history[s.history.length - 1] === entry ? s.history : [...s.history, entry];
      return { editor: EMPTY, history };
    }
    case 'clear': return { editor: EMPTY, history: s.history };
    default:
      return assertNever(a);
  }
}
