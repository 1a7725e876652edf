// What a running kernel query looks like, like top: elapsed time, events and lost records, and
// the current result (aggregate queries) or the latest rows scrolling by (streamed queries),
// refreshed a few times a second.
import { Box, Text } from 'ink';
import { describeCompleteness, isComplete } from '../../runtime/completeness.js';
import type { Running } from '../runner.js';
import { ResultTable } from './ResultTable.js';

export interface LiveViewProps {
  readonly running: Running;
  readonly width: number;
  /** Terminal rows: the table shows as many rows as fit. */
  readonly height: number;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** Lines the view takes besides the table's rows: status, statement, header, rule, footer, prompt. */
const CHROME_LINES = 7;

export function LiveView({ running, width, height }: LiveViewProps) {
  const p = running.progress;
  const streamed = running.streamed;
  const status: string[] = [];
  if (p) {
    status.push(`${(p.elapsedMs / 1000).toFixed(1)}s`);
    if (p.events !== undefined) status.push(`${count(p.events)} events`);
    // Rows of the current result; a streamed query's rows are its events, already counted.
    if (p.current) status.push(`${count(p.current.rows.length)} ${p.current.rows.length === 1 ? 'row' : 'rows'}`);
    // Streamed: the rows shown, which the query's DuckDB part (a WHERE it runs, a LIMIT) may make fewer than the events.
    else if (streamed) status.push(`${count(streamed.total)} ${streamed.total === 1 ? 'row' : 'rows'}`);
    else if (p.events === undefined) status.push(`${count(p.rows)} ${p.rows === 1 ? 'row' : 'rows'}`);
    status.push(`${count(p.completeness.lostRecords)} lost`);
  }
  const fit = Math.max(3, height - CHROME_LINES);
  const latest = streamed?.rows.slice(-fit) ?? [];
  const state = running.stopping ? 'stopping' : running.attached ? 'running' : 'starting';
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text color={running.stopping ? 'yellow' : 'green'} bold>{`● ${state}`}</Text>
        {status.length > 0 ? `  ${status.join('  ·  ')}` : ''}
        <Text dimColor>{running.stopping ? '  collecting the result…' : '  Ctrl-C stops and keeps the result'}</Text>
      </Text>
      <Text dimColor wrap="truncate-end">{running.statement.replace(/\s+/g, ' ')}</Text>
      {p && !isComplete(p.completeness) && <Text color="yellow" wrap="truncate-end">{describeCompleteness(p.completeness)}</Text>}
      {p?.current && <ResultTable result={p.current} width={width} maxRows={fit} />}
      {streamed && (
        <ResultTable
          result={{ columns: streamed.columns, rows: latest }}
          width={width}
          {...(streamed.total > latest.length ? { footer: `(the latest ${latest.length} of ${count(streamed.total)} rows)` } : {})}
        />
      )}
    </Box>
  );
}
