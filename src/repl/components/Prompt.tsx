// The prompt: the text being edited with its cursor, the reverse search when active, and the
// candidates of an ambiguous Tab.
import { Box, Text } from 'ink';
import type { PromptState } from '../prompt-state.js';

export const PROMPT = 'bpfql> ';
export const CONTINUATION = '   ..> ';
/** How many Tab candidates are listed before "and N more". */
export const MAX_CANDIDATES = 30;

/** An entry as it was typed, each line behind its prompt (for the transcript). */
export function EchoedInput({ text }: { readonly text: string }) {
  return (
    <Box flexDirection="column">
      {text.split('\n').map((line, i) => (
        <Text key={i}><Text color="green">{i === 0 ? PROMPT : CONTINUATION}</Text>{line}</Text>
      ))}
    </Box>
  );
}

function EditedLine({ prefix, line, cursor }: { readonly prefix: string; readonly line: string; readonly cursor: number | undefined }) {
  if (cursor === undefined) return <Text><Text color="green">{prefix}</Text>{line}</Text>;
  return (
    <Text>
      <Text color="green">{prefix}</Text>
      {line.slice(0, cursor)}
      <Text inverse>{line[cursor] ?? ' '}</Text>
      {line.slice(cursor + 1)}
    </Text>
  );
}

export function Prompt({ state }: { readonly state: PromptState }) {
  if (state.search) {
    const s = state.search;
    const match = s.match === undefined ? '' : state.history[s.match]!;
    return (
      <Box flexDirection="column">
        <Text>
          <Text color="yellow">{`(${s.match === undefined && s.query !== '' ? 'failing ' : ''}reverse-i-search)'`}</Text>
          {s.query}
          <Text color="yellow">{"': "}</Text>
          {match.split('\n')[0]}
        </Text>
      </Box>
    );
  }
  const { text, cursor } = state.editor;
  let offset = 0;
  const lines = text.split('\n').map((line, i) => {
    const start = offset;
    offset += line.length + 1;
    const here = cursor >= start && cursor <= start + line.length ? cursor - start : undefined;
    return <EditedLine key={i} prefix={i === 0 ? PROMPT : CONTINUATION} line={line} cursor={here} />;
  });
  const candidates = state.candidates ?? [];
  const shown = candidates.slice(0, MAX_CANDIDATES);
  return (
    <Box flexDirection="column">
      {lines}
      {candidates.length > 0 && (
        <Text dimColor>{shown.join('  ') + (candidates.length > shown.length ? `  … and ${candidates.length - shown.length} more` : '')}</Text>
      )}
    </Box>
  );
}
