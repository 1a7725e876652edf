// A query result as an aligned table that fits the terminal, histograms drawn as bars.
import { Box, Text } from 'ink';
import type { QueryResult } from '../../output/result.js';
import type { LineKind } from '../table-layout.js';
import { tableLines } from '../table-layout.js';

export interface ResultTableProps {
  readonly result: QueryResult;
  readonly width: number;
  readonly maxRows?: number;
  /** Said under the rows instead of their count (the live view of a stream shows its latest rows). */
  readonly footer?: string;
}

const STYLE: Readonly<Record<LineKind, { readonly bold?: boolean; readonly dimColor?: boolean; readonly color?: string }>> = {
  header: { bold: true },
  rule: { dimColor: true },
  row: {},
  label: { bold: true },
  bars: { color: 'cyan' },
  footer: { dimColor: true },
};

export function ResultTable({ result, width, maxRows, footer }: ResultTableProps) {
  const lines = tableLines(result, { width, ...(maxRows !== undefined ? { maxRows } : {}), ...(footer !== undefined ? { footer } : {}) });
  return (
    <Box flexDirection="column">
      {lines.map((l, i) => (
        <Text key={i} wrap="truncate-end" {...STYLE[l.kind]}>{l.text}</Text>
      ))}
    </Box>
  );
}
