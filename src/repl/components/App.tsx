// The REPL: a transcript of what ran (printed once, above), and below it either the prompt or the
// live view of the running query. Keys go through keyCommand to the prompt reducer; entries go
// to the Runner, which calls the engine.
import { Box, Static, useApp, useInput, useStdout } from 'ink';
import type { Key } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Backend } from '../backend.js';
import type { CompletionNames } from '../completion.js';
import { complete } from '../completion.js';
import type { KeyCommand } from '../keys.js';
import { expandPaste, keyCommand } from '../keys.js';
import type { PromptAction, PromptState } from '../prompt-state.js';
import { currentText, initialPrompt, promptReducer } from '../prompt-state.js';
import type { Running, Settings, TranscriptItem } from '../runner.js';
import { Runner } from '../runner.js';
import { inputKind } from '../statement.js';
import { LiveView } from './LiveView.js';
import { Prompt } from './Prompt.js';
import { TranscriptView } from './TranscriptView.js';
import { assertNever } from '../../diag/assert-never.js';

/** Where entries are remembered across sessions (History, or a fake in tests). */
export interface EntryLog {
  readonly entries: readonly string[];
  add(entry: string): void;
  /** Why entries cannot be kept (the file is not writable); told once. */
  readonly problem?: string | undefined;
}

export interface AppProps {
  readonly backend: Backend;
  readonly history: EntryLog;
  /** Shown once at the top (version, how to get help). */
  readonly banner?: string;
  readonly settings?: Settings;
}

const NO_NAMES: CompletionNames = { tables: [], columnsOf: () => [] };

function useTerminalSize(): { width: number; height: number } {
  const { stdout } = useStdout();
  const read = (): { width: number; height: number } => ({ width: stdout.columns || 80, height: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = (): void => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

export function App({ backend, history, banner, settings }: AppProps) {
  const { exit } = useApp();
  const { width, height } = useTerminalSize();
  const [items, setItems] = useState<readonly TranscriptItem[]>(() => (banner ? [{ kind: 'text', id: -1, text: banner }] : []));
  const [running, setRunning] = useState<Running | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  // Keys can arrive faster than renders (a paste, tmux send-keys): handlers read refs, not state.
  const promptRef = useRef<PromptState>(initialPrompt(history.entries));
  const [prompt, setPrompt] = useState<PromptState>(promptRef.current);
  const busyRef = useRef(false);
  const names = useRef<CompletionNames>(NO_NAMES);

  const runner = useMemo(
    () => new Runner(backend, { print: (more) => setItems((prev) => [...prev, ...more]), running: setRunning, quit: () => exit() }, settings),
    [backend, exit, settings],
  );
  const refreshNames = useCallback(() => {
    backend.names().then((n) => (names.current = n), () => undefined);
  }, [backend]);
  useEffect(refreshNames, [refreshNames]);

  const apply = useCallback((a: PromptAction): PromptState => {
    promptRef.current = promptReducer(promptRef.current, a);
    setPrompt(promptRef.current);
    return promptRef.current;
  }, []);

  // Keys typed while a statement runs wait here (except Ctrl-C) and are replayed after it.
  const typeAhead = useRef<KeyCommand[]>([]);
  const perform = useRef<(cmd: KeyCommand) => void>(() => undefined);

  const told = useRef(history.problem);
  const submit = useCallback((text: string) => {
    history.add(text);
    if (history.problem !== told.current) {
      told.current = history.problem;
      if (history.problem) runner.note(history.problem, true);
    }
    apply({ kind: 'remember', entry: text });
    busyRef.current = true;
    setBusy(true);
    void runner.submit(text).finally(() => {
      busyRef.current = false;
      setBusy(false);
      refreshNames();
      // perform() sets busyRef.current again, which narrowing after the assignment above does not see.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
      while (!busyRef.current && typeAhead.current.length > 0) perform.current(typeAhead.current.shift()!);
    });
  }, [apply, history, runner, refreshNames]);

  perform.current = (cmd: KeyCommand): void => {
    if (busyRef.current) {
      typeAhead.current.push(cmd);
      return;
    }
    switch (cmd.kind) {
      case 'prompt': apply(cmd.action); return;
      case 'enter': {
        const s = promptRef.current.search ? apply({ kind: 'accept' }) : promptRef.current;
        const text = currentText(s);
        switch (inputKind(text)) {
          case 'empty': apply({ kind: 'clear' }); return;
          case 'incomplete': apply({ kind: 'edit', action: { kind: 'insert', text: '\n' } }); return;
          case 'meta': case 'complete': submit(text); return;
        }
        return;
      }
      case 'tab': {
        const s = promptRef.current.search ? apply({ kind: 'accept' }) : promptRef.current;
        apply({ kind: 'complete', completion: complete(s.editor.text, s.editor.cursor, names.current) });
        return;
      }
      case 'interrupt': apply({ kind: 'clear' }); return;
      case 'eof':
        if (currentText(promptRef.current) === '') exit();
        else apply({ kind: 'edit', action: { kind: 'delete' } });
        return;
      case 'none': return;
      default:
        return assertNever(cmd);
    }
  };

  const onKey = useCallback((input: string, key: Key) => {
    const cmd = keyCommand(input, key);
    if (cmd.kind === 'interrupt' && busyRef.current) {
      runner.interrupt();
      return;
    }
    for (const c of expandPaste(cmd)) perform.current(c);
  }, [runner]);
  useInput(onKey);

  const view = width - 1;
  return (
    <Box flexDirection="column">
      <Static items={[...items]}>{(item) => <TranscriptView key={item.id} item={item} width={view} />}</Static>
      {busy ? running?.attached ? <LiveView running={running} width={view} height={height} /> : null : <Prompt state={prompt} />}
    </Box>
  );
}
