import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { USAGE } from '../../src/cli/args.js';
import { fromRoot } from '../helpers/paths.js';

/** The long and short flags a parser's parseArgs options accept, read from its source. */
function flagsOf(file: string): string[] {
  const text = readFileSync(fromRoot('src', 'cli', ...file.split('/')), 'utf8');
  const block = text.slice(text.indexOf('options: {'));
  return [...block.matchAll(/^\s+'?([a-z][a-z-]*)'?: \{ type: '(?:string|boolean)'(?:, short: '(\w)')?/gm)]
    .flatMap((m) => [`--${m[1]}`, ...(m[2] ? [`-${m[2]}`] : [])]);
}

test('--help documents every subcommand and every flag of bpfql and of bpfql run', () => {
  const flags = [...flagsOf('args.ts'), ...flagsOf('run/args.ts')];
  assert.ok(flags.length >= 20, flags.join(' '));
  for (const f of flags) assert.match(USAGE, new RegExp(`(^|[\\s,])${f}[\\s,=]`, 'm'), `${f} is not in --help`);
  assert.match(USAGE, /bpfql run /);
});
