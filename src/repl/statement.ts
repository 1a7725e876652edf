// Whether what has been typed at the prompt is ready to run. SQL runs once its last statement
// ends with ';' (outside strings and comments, found by the same splitter the CLI uses); a line
// starting with '.' is a meta command and runs at once.
import { splitStatements } from '../query/split.js';

export type InputKind = 'empty' | 'meta' | 'incomplete' | 'complete';

export function inputKind(text: string): InputKind {
  const trimmed = text.trim();
  if (trimmed === '') return 'empty';
  if (trimmed.startsWith('.')) return 'meta';
  const pieces = splitStatements(text);
  const last = pieces[pieces.length - 1];
  // Only a comment so far (or an unterminated one): keep reading, as psql does.
  if (!last) return 'incomplete';
  return text.slice(last.start + last.text.length).trimStart().startsWith(';') ? 'complete' : 'incomplete';
}
