// A corpus of bad command lines: a typo at every token of every README example (generated from
// the README itself, so new examples are covered), bpftrace's spellings of probes, the DuckDB
// habits bpfql must answer precisely, and bad options. Each must end in exit 2 (a query or usage
// error; queries with line:column and a caret) or 1 (the environment), before anything is loaded.
import { readFileSync } from 'node:fs';
import { AGGREGATE_FUNCTIONS } from '../../../src/functions/names.js';
import { keywordTokens } from '../../../src/query/lexer.js';
import { codeTokens, isWord, type SqlToken } from '../../../src/query/scan.js';
import { splitStatements } from '../../../src/query/split.js';
import { fixtureCatalog } from '../../helpers/fixture-catalog.js';
import { fromRoot } from '../../helpers/paths.js';

export interface BadQuery {
  readonly kind: 'query';
  /** What is wrong, for failure messages. */
  readonly name: string;
  readonly sql: string;
}

export interface BadOptions {
  readonly kind: 'options';
  readonly name: string;
  readonly argv: readonly string[];
}

export type BadInput = BadQuery | BadOptions;

function readme(): string {
  return readFileSync(fromRoot('README.md'), 'utf8');
}

/** The README's example queries: the examples block and the bcc one-liners. */
export function readmeQueries(): string[] {
  const text = readme();
  const block = /<!-- examples:start -->\n```sql\n([\s\S]*?)```\n<!-- examples:end -->/.exec(text)![1]!;
  const examples = splitStatements(block).map((s) => s.text.split('\n').filter((l) => !l.trim().startsWith('--')).join('\n').trim());
  const bcc = text.slice(text.indexOf('<!-- bcc-queries:start -->'), text.indexOf('<!-- bcc-queries:end -->'));
  const oneLiners = [...bcc.matchAll(/^- [\w-]+: `(.*)`$/gm)].map((m) => m[1]!);
  return [...examples, ...oneLiners].filter((s) => s.length > 0);
}

const KEYWORDS: ReadonlySet<string> = new Set([
  ...[...keywordTokens].map((t) => t.name.toLowerCase()),
  'filter', 'over', 'partition', 'with', 'join', 'using', 'on',
]);

/** Words every typo must avoid becoming (it would be another valid query, not a mistake). */
function validWords(sql: string): Set<string> {
  const words = new Set<string>([...KEYWORDS, ...AGGREGATE_FUNCTIONS]);
  const catalog = fixtureCatalog();
  for (const name of catalog.curatedNames()) {
    words.add(name);
    const r = catalog.resolve(name);
    if (r.kind === 'table') for (const c of r.table.columns) words.add(c.name);
  }
  for (const t of codeTokens(sql)) if (t.kind === 'word') words.add(t.text.toLowerCase());
  return words;
}

/** `word` without its middle letter, unless that makes a valid word. */
export function dropped(word: string, avoid: ReadonlySet<string>): string | undefined {
  // A letter, not an underscore: `argmin` and `datediff` are DuckDB's other names of arg_min and date_diff.
  const mid = word[Math.floor(word.length / 2)] === '_' ? Math.floor(word.length / 2) + 1 : Math.floor(word.length / 2);
  const out = word.slice(0, mid) + word.slice(mid + 1);
  return out.length > 0 && /^[A-Za-z_]/.test(out) && !avoid.has(out.toLowerCase()) ? out : undefined;
}

/** A misspelling of `word` that is no valid word: a transposition, else a doubled or dropped letter. */
export function typo(word: string, avoid: ReadonlySet<string>): string | undefined {
  const candidates: string[] = [];
  for (let i = 0; i + 1 < word.length; i++) {
    if (word[i] !== word[i + 1] && /[A-Za-z]/.test(word[i]!) && /[A-Za-z]/.test(word[i + 1]!)) {
      candidates.push(word.slice(0, i) + word[i + 1]! + word[i]! + word.slice(i + 2));
    }
  }
  candidates.push(`${word}${word[word.length - 1]}`, word.slice(0, -1));
  return candidates.find((c) => c.length > 0 && /^[A-Za-z_]/.test(c) && !avoid.has(c.toLowerCase()));
}

/** Whether the word at `i` names something whose misspelling must be an error. */
function mustFailWhenMisspelt(tokens: readonly SqlToken[], i: number): boolean {
  const t = tokens[i]!;
  if (t.kind !== 'word') return false;
  const before = tokens[i - 1];
  // An alias being defined, or a table being created, may be any name.
  if (isWord(before, 'as') || isWord(before, 'table')) return false;
  return true;
}

/** A typo at every word and duration of every README example. */
export function readmeTypos(): BadQuery[] {
  const out: BadQuery[] = [];
  for (const sql of readmeQueries()) {
    const avoid = validWords(sql);
    const tokens = codeTokens(sql);
    tokens.forEach((t, i) => {
      const replacements: (string | undefined)[] = [];
      if (t.kind === 'number' && /^\d+(ms|s|m|h)$/.test(t.text)) replacements.push(t.text.replace(/(ms|s|m|h)$/, 'x'));
      else if (mustFailWhenMisspelt(tokens, i)) replacements.push(typo(t.text, avoid), dropped(t.text, avoid));
      else if (t.kind === 'symbol' && t.text === '(') replacements.push('((');
      for (const r of new Set(replacements)) {
        if (r === undefined || r === t.text) continue;
        out.push({ kind: 'query', name: `typo '${t.text}' -> '${r}' at ${t.start}`, sql: sql.slice(0, t.start) + r + sql.slice(t.end) });
      }
    });
  }
  return out;
}

const q = (name: string, sql: string): BadQuery => ({ kind: 'query', name, sql });

/** bpftrace's (and other tools') spellings of probes in FROM. */
export function probeSpellings(): BadQuery[] {
  const probes = [
    'tracepoint:syscalls:sys_enter_openat', 'tracepoint:sched:sched_process_exec', 't:syscalls:sys_enter_read',
    'tracepoint:nosuch:event', 'kprobe:vfs_read', 'kretprobe:vfs_read', 'kprobe:do_sys_openat2', 'k:tcp_connect',
    'fentry:vfs_write', 'fexit:vfs_write', 'kfunc:vfs_open', 'uprobe:/bin/bash:readline', 'uretprobe:/bin/bash:readline',
    'profile:hz:99', 'profile:ms:10', 'interval:s:1', 'software:cpu-clock:1000', 'hardware:cache-misses:1000',
    'rawtracepoint:sched_switch', 'usdt:/usr/bin/node:gc__start',
  ];
  const shapes = (p: string): string[] => [
    `SELECT count(*) FROM ${p}`,
    `SELECT comm, count(*) FROM ${p} GROUP BY comm FOR 2s`,
  ];
  const dotted = ['syscalls.openat', 'syscalls.sys_enter_openat', 'sched.sched_process_exec', 'exec.comm'];
  return [
    ...probes.flatMap((p) => shapes(p).map((sql) => q(`probe ${p}`, sql))),
    ...dotted.map((d) => q(`dotted ${d}`, `SELECT count(*) FROM ${d} FOR 1s`)),
  ];
}

/** The cases of issue 13 and the DuckDB habits that must get a precise diagnostic. */
export function issueCases(): BadQuery[] {
  const long = 'a-name-much-longer-than-fifteen';
  return [
    q('unknown table with FOR', 'SELECT count(*) FROM opne FOR 2s'),
    q('unknown table exe', 'SELECT count(*) FROM exe'),
    q('FRM', 'SELECT count(*) FRM exec'),
    q('execs', 'SELECT count(*) FROM execs'),
    q('kprobe', 'SELECT count(*) FROM kprobe:vfs_read'),
    q('unknown function cont', 'SELECT comm, cont(*) FROM exec GROUP BY comm FOR 3s'),
    q('unknown function in WHERE', "SELECT comm FROM exec WHERE regexp_matchs(filename, 'x') FOR 3s"),
    q('upper of an integer', 'SELECT upper(pid) FROM exec FOR 3s'),
    q('integer compared with text', "SELECT pid FROM exec WHERE pid = 'x' FOR 3s"),
    q('bad cast of a constant', "SELECT CAST('abc' AS INTEGER) + pid AS x FROM exec FOR 3s"),
    q('ORDER BY 99', 'SELECT pid FROM exec ORDER BY 99 FOR 3s'),
    q('GROUP BY 5', 'SELECT comm, count(*) FROM exec GROUP BY 5 FOR 3s'),
    q('bad regular expression', "SELECT pid FROM exec WHERE regexp_matches(filename, 'bin/(ls') FOR 3s"),
    q('bad regular expression in SELECT', "SELECT regexp_extract(filename, '[a-', 0) AS x FROM exec FOR 3s"),
    q('double-quoted string', 'SELECT comm FROM exec WHERE comm = "bash" FOR 3s'),
    q('double-quoted string in IN', 'SELECT comm FROM exec WHERE comm IN ("bash", "sh") FOR 3s'),
    q('comm longer than 15', `SELECT pid FROM exec WHERE comm = '${long}' FOR 3s`),
    q('comm longer than 15 in IN', `SELECT pid FROM exec WHERE comm IN ('sh', '${long}') FOR 3s`),
    q('EXPLAIN of a bad query', 'EXPLAIN SELECT comm, cont(*) FROM exec GROUP BY comm'),
    q('EXPLAIN of a type error', 'EXPLAIN SELECT upper(pid) FROM exec'),
    q('EXCLUDE of an unknown column', 'SELECT * EXCLUDE (pdi) FROM exec FOR 1s'),
    q('unknown function around a subquery', 'SELECT cnt(*) FROM (SELECT comm FROM exec) FOR 1s'),
    q('unknown column around a subquery', 'SELECT nope FROM (SELECT comm FROM exec) FOR 1s'),
    q('unknown function in a CTE kernel query', 'WITH e AS (SELECT comm, cont(*) AS n FROM exec GROUP BY comm FOR 1s) SELECT * FROM e'),
    q('HAVING with an unknown function', 'SELECT comm, count(*) AS n FROM exec GROUP BY comm HAVING cnt(*) > 1 FOR 1s'),
    q('string concatenation with an integer function', "SELECT lower(pid) || 'x' AS y FROM exec FOR 1s"),
    q('timestamp compared with junk', "SELECT pid FROM exec WHERE ts > 'yesterday-ish' FOR 1s"),
    q('date_diff with a bad unit', "SELECT date_diff('fortnight', ts, ts) AS d FROM exec FOR 1s"),
    q('unknown column in a DuckDB statement', 'SELECT nope FROM (SELECT 1 AS x)'),
    q('DuckDB syntax error', 'SELECT 1 +'),
    q('DuckDB unknown function', 'SELECT nosuchfn(1)'),
    q('DuckDB unknown table', 'SELECT * FROM no_such_table_here'),
    q('DuckDB double-quoted string', 'SELECT * FROM (SELECT 1 AS x) WHERE x = "one"'),
    q('from exec in a quoted alias, then a typo', 'SELECT 1 AS "from exec" FRM t'),
    q('unknown column with a comment holding a kernel table', 'SELECT nope /* FROM exec */ FROM exec FOR 1s'),
    q('bad duration', 'SELECT count(*) FROM exec FOR 5x'),
    q('duration without unit', 'SELECT count(*) FROM exec FOR 5'),
    q('zero duration', 'SELECT count(*) FROM exec FOR 0s'),
    q('EVERY without unit', 'SELECT count(*) FROM exec EVERY 1'),
    q('bad LIMIT', 'SELECT comm FROM exec LIMIT -1'),
    q('aggregate in WHERE', 'SELECT comm FROM exec WHERE count(*) > 1 FOR 1s'),
    q('not grouped', 'SELECT comm, pid, count(*) FROM exec GROUP BY comm FOR 1s'),
    q('unterminated string', "SELECT comm FROM exec WHERE comm = 'bash FOR 1s"),
    q('unterminated quoted name', 'SELECT "comm FROM exec FOR 1s'),
    q('stray character', 'SELECT comm FROM exec WHERE pid ? 1 FOR 1s'),
    q('CREATE TABLE of an existing table', 'CREATE TABLE bpfql_runs AS SELECT count(*) AS n FROM exec FOR 1s'),
    q('INSERT INTO a missing table', 'INSERT INTO no_such_table SELECT count(*) AS n FROM exec FOR 1s'),
    q('INSERT INTO with a column count that differs', 'INSERT INTO bpfql_runs SELECT count(*) AS n FROM exec FOR 1s'),
    q('bad decoded value', "SELECT count(*) FROM syscalls WHERE syscall = 'reed' FOR 1s"),
    q('lhist with bad bounds', 'SELECT lhist(latency_ns, 10, 0, 1) AS h FROM open FOR 1s'),
    q('quantile out of range', 'SELECT quantile(latency_ns, 2) AS q FROM open FOR 1s'),
  ];
}

/** Bad options, each a usage error (exit 2). */
export function badOptions(): BadOptions[] {
  const sql = 'SELECT count(*) FROM exec FOR 1s';
  const o = (name: string, ...argv: string[]): BadOptions => ({ kind: 'options', name, argv });
  return [
    o('unknown format', '--format', 'xml', sql),
    o('format without value', '--format'),
    o('unknown long flag', '--bogus', sql),
    o('unknown short flag', '-x', sql),
    o('two positionals', sql, 'extra'),
    o('max-keys zero', '--max-keys', '0', sql),
    o('max-keys negative', '--max-keys', '-5', sql),
    o('max-keys text', '--max-keys', 'many', sql),
    o('max-keys fraction', '--max-keys', '1.5', sql),
    // Found by the command-line fuzzer: a map's size is a u32; this was a RangeError from the encoder.
    o('max-keys beyond a u32', '--max-keys', '99999999999999999999', sql),
    o('max-keys just beyond a u32', '--max-keys', '4294967296', sql),
    o('output without value', '--output'),
    o('file without value', '-f'),
    o('db without value', '--db'),
    o('flag value glued wrongly', '--format=yaml', sql),
    o('verbose with a value', '--verbose=yes', sql),
    o('strict with a value', '--strict=1', sql),
  ];
}

/** Every bad query of the corpus. */
export function badQueries(): BadQuery[] {
  return [...readmeTypos(), ...probeSpellings(), ...issueCases()];
}

/** About 30 cases for the CLI binary as root: spread over the corpus, plus the issue's own. */
export function cliSample(): BadQuery[] {
  const all = badQueries();
  const step = Math.floor(all.length / 20);
  const spread = all.filter((_, i) => i % step === 0).slice(0, 20);
  const named = issueCases().filter((c) => /^(unknown function cont|ORDER BY 99|bad regular expression|double-quoted string|comm longer than 15|kprobe|EXPLAIN of a bad query|integer compared with text|CREATE TABLE of an existing table|unknown function around a subquery)$/.test(c.name));
  return [...spread, ...named];
}
