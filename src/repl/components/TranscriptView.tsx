// One item of the transcript above the prompt: what was typed, and what came of it.
import { Text } from 'ink';
import { screenText } from '../../output/display-text.js';
import type { TranscriptItem } from '../runner.js';
import { SCREEN_ROWS } from '../runner.js';
import { ErrorView } from './ErrorView.js';
import { EchoedInput } from './Prompt.js';
import { ResultTable } from './ResultTable.js';
import { assertNever } from '../../diag/assert-never.js';

export function TranscriptView({ item, width }: { readonly item: TranscriptItem; readonly width: number }) {
  switch (item.kind) {
    case 'input': return <EchoedInput text={item.text} />;
    case 'table': return <ResultTable result={item.result} width={width} maxRows={SCREEN_ROWS} />;
    // Text may quote the kernel's strings (a result as JSON, an error naming a value): no control
    // character reaches the terminal raw. Tables escape their cells themselves (output/cells.ts).
    case 'text': return <Text>{screenText(item.text)}</Text>;
    case 'note': return <Text {...(item.warn ? { color: 'yellow' } : {})} dimColor={!item.warn}>{screenText(item.text)}</Text>;
    case 'error': return <ErrorView text={screenText(item.text)} />;
    default:
      return assertNever(item);
  }
}
