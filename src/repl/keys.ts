// Maps a key as Ink reports it to what it does at the prompt (readline's bindings).
// Ink reports the Backspace key of most terminals (DEL, 0x7f) as `delete`, and the Delete key the
// same way, so both erase backwards; Ctrl-D erases forwards.
import type { Key } from 'ink';
import type { PromptAction } from './prompt-state.js';

export type KeyCommand =
  | { readonly kind: 'prompt'; readonly action: PromptAction }
  /** Runs the entry when it is complete, else starts a new line. */
  | { readonly kind: 'enter' }
  | { readonly kind: 'tab' }
  /** Ctrl-C: stops a running query, or drops the text at the prompt. */
  | { readonly kind: 'interrupt' }
  /** Ctrl-D: leaves at an empty prompt, else erases forwards. */
  | { readonly kind: 'eof' }
  | { readonly kind: 'none' };

const prompt = (action: PromptAction): KeyCommand => ({ kind: 'prompt', action });
const editing = (action: Extract<PromptAction, { kind: 'edit' }>['action']): KeyCommand => prompt({ kind: 'edit', action });

const CTRL: Readonly<Record<string, KeyCommand>> = {
  c: { kind: 'interrupt' },
  d: { kind: 'eof' },
  a: editing({ kind: 'line-start' }),
  e: editing({ kind: 'line-end' }),
  b: editing({ kind: 'left' }),
  f: editing({ kind: 'right' }),
  k: editing({ kind: 'kill-to-end' }),
  u: editing({ kind: 'kill-to-start' }),
  w: editing({ kind: 'kill-word' }),
  p: prompt({ kind: 'up' }),
  n: prompt({ kind: 'down' }),
  r: prompt({ kind: 'search' }),
  g: prompt({ kind: 'cancel' }),
};

export function keyCommand(input: string, key: Key): KeyCommand {
  if (key.return) return key.meta ? editing({ kind: 'insert', text: '\n' }) : { kind: 'enter' };
  if (key.tab) return key.shift ? { kind: 'none' } : { kind: 'tab' };
  if (key.upArrow) return prompt({ kind: 'up' });
  if (key.downArrow) return prompt({ kind: 'down' });
  if (key.leftArrow) return editing({ kind: key.ctrl || key.meta ? 'word-left' : 'left' });
  if (key.rightArrow) return editing({ kind: key.ctrl || key.meta ? 'word-right' : 'right' });
  if (key.home) return editing({ kind: 'line-start' });
  if (key.end) return editing({ kind: 'line-end' });
  if (key.backspace || key.delete) return editing({ kind: key.meta ? 'kill-word' : 'backspace' });
  if (key.ctrl) return CTRL[input] ?? { kind: 'none' };
  if (key.escape) return prompt({ kind: 'cancel' });
  if (key.meta) {
    if (input === 'b') return editing({ kind: 'word-left' });
    if (input === 'f') return editing({ kind: 'word-right' });
    return { kind: 'none' };
  }
  if (input === '' || /^[\x00-\x08\x0b-\x1f\x7f]+$/.test(input)) return { kind: 'none' };
  return editing({ kind: 'insert', text: input });
}

/**
 * Text that arrives in one piece with carriage returns in it (a paste, or keys sent faster than
 * they are read) is what the keys would have done one by one: each CR is an Enter.
 */
export function expandPaste(cmd: KeyCommand): KeyCommand[] {
  if (cmd.kind !== 'prompt' || cmd.action.kind !== 'edit' || cmd.action.action.kind !== 'insert' || !cmd.action.action.text.includes('\r')) return [cmd];
  const out: KeyCommand[] = [];
  cmd.action.action.text.split(/\r\n?/).forEach((piece, i) => {
    if (i > 0) out.push({ kind: 'enter' });
    if (piece !== '') out.push(editing({ kind: 'insert', text: piece }));
  });
  return out;
}
