import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../../src/cli/args.js';
import { parseRunArgs } from '../../../src/cli/run/args.js';

test('every option, -e and -f kept in the order given, the command after -- untouched', () => {
  const opts = parseRunArgs([
    '-e', 'SELECT 1', '-f', 'checks.sql', '--query', 'SELECT 2',
    '--assert', 'SELECT n <= 2000 FROM opens', '--assert', 'SELECT true',
    '--baseline', 'base.parquet', '--tolerance', '5%', '--save-baseline', 'new.PARQUET',
    '--report', 'r.json', '--report', 'junit.XML', '--max-keys', '1024',
    '--', 'make', '-j', '4', '--', '-e', 'x',
  ]);
  assert.deepEqual(opts, {
    sources: [{ kind: 'text', text: 'SELECT 1' }, { kind: 'file', path: 'checks.sql' }, { kind: 'text', text: 'SELECT 2' }],
    asserts: ['SELECT n <= 2000 FROM opens', 'SELECT true'],
    baseline: { path: 'base.parquet', tolerancePct: 5 },
    saveBaseline: 'new.PARQUET',
    reports: [{ path: 'r.json', format: 'json' }, { path: 'junit.XML', format: 'junit' }],
    maxKeys: 1024,
    command: ['make', '-j', '4', '--', '-e', 'x'],
    help: false,
  });
});

test('defaults: no assertions, no reports, tolerance 10% with --baseline', () => {
  assert.deepEqual(parseRunArgs(['-e', 'q', '--baseline', 'b.parquet', '--', 'true']), {
    sources: [{ kind: 'text', text: 'q' }],
    asserts: [],
    baseline: { path: 'b.parquet', tolerancePct: 10 },
    reports: [],
    command: ['true'],
    help: false,
  });
});

test('--help needs nothing else', () => {
  assert.equal(parseRunArgs(['--help']).help, true);
  assert.equal(parseRunArgs(['-h']).help, true);
});

const refused: readonly (readonly [readonly string[], RegExp])[] = [
  [['-e', 'q'], /give the command to run after '--'/],
  [['-e', 'q', '--'], /give the command to run after '--'/],
  [['-e', 'q', 'make', '--', 'x'], /put the command after '--': bpfql run \[options\] -- make/],
  [['--', 'make'], /give at least one query with -e QUERY or -f FILE\.sql/],
  [['-e', 'q', '--report', 'r.txt', '--', 'true'], /--report r\.txt: name the file \.json .* or \.xml/],
  [['-e', 'q', '--baseline', 'b.csv', '--', 'true'], /--baseline b\.csv: a baseline is a \.parquet file/],
  [['-e', 'q', '--save-baseline', 'b', '--', 'true'], /--save-baseline b: a baseline is a \.parquet file/],
  [['-e', 'q', '--tolerance', '5', '--', 'true'], /--tolerance goes with --baseline/],
  [['-e', 'q', '--baseline', 'b.parquet', '--tolerance=-1', '--', 'true'], /--tolerance needs a percentage of 0 or more, not '-1'/],
  [['-e', 'q', '--baseline', 'b.parquet', '--tolerance', 'lots', '--', 'true'], /--tolerance needs a percentage of 0 or more, not 'lots'/],
  [['-e', 'q', '--max-keys', '0', '--', 'true'], /--max-keys needs a whole number from 1 to 2147483648 \(2\^31\), not '0'/],
  [['-e', 'q', '--max-keys', '99999999999999999999', '--', 'true'], /--max-keys needs a whole number from 1 to 2147483648 \(2\^31\)/],
  [['-e', 'q', '--frobnicate', '--', 'true'], /Unknown option '--frobnicate'/],
];

for (const [argv, message] of refused) {
  test(`refuses ${argv.join(' ')}`, () => {
    assert.throws(() => parseRunArgs(argv), (e: unknown) => e instanceof UsageError && message.test(e.message));
  });
}
