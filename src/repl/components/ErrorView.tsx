// An error as the CLI reports it (reportError): for query errors the message, the statement's
// line and a caret under the offending part. The message is red, the caret too, the source plain.
import { Box, Text } from 'ink';

export interface ErrorViewProps {
  readonly text: string;
}

const SOURCE_LINE = /^\d+ \| /;
const CARET_LINE = /^\s*\^+$/;

export function ErrorView({ text }: ErrorViewProps) {
  return (
    <Box flexDirection="column">
      {text.split('\n').map((line, i) => (
        <Text key={i} {...(SOURCE_LINE.test(line) ? {} : { color: 'red' })} bold={CARET_LINE.test(line)}>{line}</Text>
      ))}
    </Box>
  );
}
