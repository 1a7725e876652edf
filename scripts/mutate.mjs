#!/usr/bin/env node
// Mutation testing of the compiled code (dist/src, built by `npx tsc -p tsconfig.json`): plants
// one small bug at a time in the code generator, the decoders and the run loop, runs the tests
// that should notice, and restores the file. A mutant no test notices "survives": either a gap
// in the tests or a change that makes no difference (an equivalent mutant).
//
//   node scripts/mutate.mjs [--sample N] [--seed S] [--timeout SECONDS] [--state FILE] [--list] [--only SUBSTRING] [--report]
//
// --report prints the score of the mutants of the sample that have a result so far, without
// running any (the sample is a prefix of the seed's order, so a stopped run reports its prefix).
//
// Mutants: < <= > >= swapped with their neighbour (< with <=, > with >=), === with !==, binary
// + with -, && with ||, an integer constant plus one, an expression statement dropped, a bare
// `return;` dropped, and the assembler's jump helpers inverted (jeq/jne, jlt/jge, jgt/jle,
// jslt/jsge, jsgt/jsle). Mutating the JavaScript tsc wrote, not the TypeScript, needs no compile
// per mutant. Results go to the state file as they come, so an interrupted run resumes where it
// stopped; --sample N takes N mutants in an order fixed by --seed.
import { readFileSync, writeFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';

const ROOT = new URL('..', import.meta.url).pathname;
const DIST = join(ROOT, 'dist');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}
const SAMPLE = Number(arg('sample', 'Infinity'));
const SEED = Number(arg('seed', '1'));
const TIMEOUT_MS = Number(arg('timeout', '180')) * 1000;
// The default state file is under .scratch/, which git ignores.
const STATE = arg('state', join(ROOT, '.scratch', 'mutation-state.json'));
const ONLY = arg('only', '');
const LIST = process.argv.includes('--list');
const REPORT = process.argv.includes('--report');

function walk(dir) {
  return readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.js') ? [p] : [];
  });
}

// What is mutated, and the tests run against each file's mutants (compiled test files or
// directories under dist/test, in order: cheap and likely killers first).
const UNIT_CODEGEN = ['test/bpf-templates', 'test/functions', 'test/bpf', 'test/planner/aggregates.test.js', 'test/planner/table-functions.test.js'];
const KERNEL_CODEGEN = ['test/live/codegen-test-run.test.js'];
/** The unit tests of decoding and of the DuckDB session (what test/sink held before src/runtime and src/store). */
const STORE_AND_DECODING = ['test/runtime', 'test/store', 'test/sink'];
const TARGETS = [
  ...[...walk(join(DIST, 'src/bpf-templates')), ...walk(join(DIST, 'src/functions'))].map((f) => ({
    file: f,
    tests: [...UNIT_CODEGEN, ...KERNEL_CODEGEN, ...(/quantile|bucket-code/.test(f) ? ['test/live/codegen-quantile.test.js'] : [])],
  })),
  ...['src/runtime/decode-aggregates.js', 'src/runtime/decode-records.js'].map((f) => ({
    file: join(DIST, f),
    tests: [...STORE_AND_DECODING, 'test/functions/aggregates.test.js', ...KERNEL_CODEGEN, 'test/live/codegen-quantile.test.js'],
  })),
  { file: join(DIST, 'src/catalog/decoders.js'), tests: ['test/catalog', 'test/planner/decoded-columns.test.js', ...STORE_AND_DECODING] },
  // Running a query in the kernel, one file per part (see src/runtime/kernel-run.ts).
  ...['kernel-run', 'load', 'read-stats', 'running', 'stream-run', 'aggregate-run', 'every-run'].map((f) => ({
    file: join(DIST, `src/runtime/${f}.js`),
    tests: ['test/live/completeness-losses.test.js', ...KERNEL_CODEGEN, 'test/live/every-windows.test.js'],
  })),
];

// ---- finding mutants ------------------------------------------------------------------------

/** Spans of JS that are code (not comments, strings, template text or regex literals). */
function codeMask(src) {
  const code = new Uint8Array(src.length).fill(1);
  let i = 0;
  let prevSignificant = '';
  const blank = (a, b) => code.fill(0, a, b);
  while (i < src.length) {
    const c = src[i];
    const n = src[i + 1];
    if (c === '/' && n === '/') {
      const e = src.indexOf('\n', i);
      const end = e === -1 ? src.length : e;
      blank(i, end);
      i = end;
    } else if (c === '/' && n === '*') {
      const end = src.indexOf('*/', i + 2) + 2;
      blank(i, end);
      i = end;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      blank(i, j + 1);
      i = j + 1;
      prevSignificant = 'x';
    } else if (c === '/' && /[(,=:[!&|?{};+\-*%<>~^]|^$/.test(prevSignificant)) {
      // A regex literal: up to the unescaped closing slash outside a class, then its flags.
      let j = i + 1;
      let inClass = false;
      while (j < src.length && (src[j] !== '/' || inClass)) {
        if (src[j] === '\\') j++;
        else if (src[j] === '[') inClass = true;
        else if (src[j] === ']') inClass = false;
        j++;
      }
      j++;
      while (/[a-z]/.test(src[j] ?? '')) j++;
      blank(i, j);
      i = j;
      prevSignificant = 'x';
    } else {
      if (!/\s/.test(c)) prevSignificant = c;
      i++;
    }
  }
  return code;
}

const JUMP_INVERSE = { jeq: 'jne', jne: 'jeq', jlt: 'jge', jge: 'jlt', jgt: 'jle', jle: 'jgt', jslt: 'jsge', jsge: 'jslt', jsgt: 'jsle', jsle: 'jsgt' };

function findMutants(file) {
  const src = readFileSync(file, 'utf8');
  const code = codeMask(src);
  const isCode = (a, b) => code.subarray(a, b).every((x) => x === 1);
  const out = [];
  const add = (start, end, replacement, op) => {
    if (!isCode(start, end)) return;
    const before = src.slice(0, start);
    const line = before.split('\n').length;
    const col = start - before.lastIndexOf('\n');
    out.push({ file: relative(ROOT, file), start, end, replacement, op, line, col, original: src.slice(start, end) });
  };
  // Lines that are import statements are not mutated.
  const importLines = new Set();
  src.split('\n').forEach((l, i) => { if (/^\s*(import|export \{|export \*)/.test(l)) importLines.add(i + 1); });
  const re = /===|!==|&&|\|\||<=|>=|=>|>>>?|<<|\+\+|--|\+=|-=|[<>+-]|\b(0x[0-9a-fA-F]+|\d+)n?\b|\b(j(?:s?(?:lt|le|gt|ge)|eq|ne))\b/g;
  for (const m of src.matchAll(re)) {
    const t = m[0];
    const s = m.index;
    const e = s + t.length;
    const prev = src.slice(0, s).trimEnd().slice(-1);
    const binaryContext = /[\w)\]$]/.test(prev);
    if (t === '===') add(s, e, '!==', 'equality');
    else if (t === '!==') add(s, e, '===', 'equality');
    else if (t === '&&') add(s, e, '||', 'logical');
    else if (t === '||') add(s, e, '&&', 'logical');
    else if (t === '<=') add(s, e, '<', 'boundary');
    else if (t === '>=') add(s, e, '>', 'boundary');
    else if (t === '<') add(s, e, '<=', 'boundary');
    else if (t === '>') add(s, e, '>=', 'boundary');
    else if ((t === '+' || t === '-') && binaryContext) add(s, e, t === '+' ? '-' : '+', 'arithmetic');
    else if (m[1] !== undefined) {
      if (/[\w.]/.test(src[s - 1] ?? '')) continue; // part of an identifier or a decimal fraction
      const isBig = t.endsWith('n');
      const digits = isBig ? t.slice(0, -1) : t;
      const v = BigInt(digits);
      add(s, e, `${digits.startsWith('0x') ? '0x' + (v + 1n).toString(16) : String(v + 1n)}${isBig ? 'n' : ''}`, 'constant');
    } else if (m[2] !== undefined && JUMP_INVERSE[t] && /^\s*\.(imm|reg)\(/.test(src.slice(e, e + 8))) {
      add(s, e, JUMP_INVERSE[t], 'jump');
    }
  }
  // Dropped statements: an expression statement that fits on one line; a bare return.
  let offset = 0;
  for (const [i, l] of src.split('\n').entries()) {
    const body = l.trim();
    const start = offset + l.indexOf(body);
    if (!importLines.has(i + 1) && body.endsWith(';') && !/^(const|let|var|return|if|for|while|else|case|default|throw|break|continue|function|class|export|import|\}|\{|\/\/)/.test(body) && balanced(body)) {
      add(start, start + body.length, ';', 'statement');
    }
    const ret = /\breturn;/.exec(l);
    if (ret) add(offset + ret.index, offset + ret.index + 7, ';', 'return');
    offset += l.length + 1;
  }
  return out;
}

function balanced(s) {
  let depth = 0;
  for (const c of s) {
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}

// ---- running ----------------------------------------------------------------------------------

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(xs, seed) {
  const rnd = mulberry32(seed);
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

const idOf = (m) => `${m.file}:${m.line}:${m.col}:${m.op}:${m.original}->${m.replacement}`;

function testFiles(paths) {
  return paths.flatMap((p) => {
    const full = join(DIST, p);
    if (!existsSync(full)) return [];
    return statSync(full).isDirectory() ? walk(full).filter((f) => f.endsWith('.test.js')) : [full];
  });
}

/** Runs the test files one group at a time; 'killed' at the first failure. */
function runTests(files, deadline) {
  return new Promise((resolve) => {
    const next = (i) => {
      if (i >= files.length) return resolve('survived');
      const left = deadline - Date.now();
      if (left <= 0) return resolve('timeout');
      const child = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=dot', files[i]], { cwd: ROOT, stdio: 'ignore', detached: true });
      const timer = setTimeout(() => {
        try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
      }, left);
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (signal === 'SIGKILL' && Date.now() >= deadline) resolve('timeout');
        else if (code !== 0) resolve('killed');
        else next(i + 1);
      });
    };
    next(0);
  });
}

let restore;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    restore?.();
    process.exit(130);
  });
}

async function main() {
  const all = TARGETS.flatMap((t) => findMutants(t.file).map((m) => ({ ...m, tests: t.tests })));
  const chosen = shuffle(all.filter((m) => idOf(m).includes(ONLY)), SEED).slice(0, SAMPLE);
  if (LIST) {
    for (const m of chosen) console.log(idOf(m));
    console.log(`${chosen.length} of ${all.length} mutants`);
    return;
  }
  mkdirSync(dirname(STATE), { recursive: true });
  const state = existsSync(STATE) ? JSON.parse(readFileSync(STATE, 'utf8')) : {};
  for (const [i, m] of chosen.entries()) {
    const id = idOf(m);
    if (state[id] || REPORT) continue;
    const full = join(ROOT, m.file);
    const original = readFileSync(full, 'utf8');
    restore = () => writeFileSync(full, original);
    const t0 = Date.now();
    let result;
    try {
      writeFileSync(full, original.slice(0, m.start) + m.replacement + original.slice(m.end));
      // A mutant that is not valid JavaScript says nothing about the tests: left out of the score.
      const check = spawnSync(process.execPath, ['--check', full], { stdio: 'ignore' });
      result = check.status !== 0 ? 'invalid' : await runTests(testFiles(m.tests), Date.now() + TIMEOUT_MS);
    } finally {
      restore();
      restore = undefined;
    }
    state[id] = { result, ms: Date.now() - t0 };
    writeFileSync(STATE, JSON.stringify(state, null, 1));
    console.log(`[${i + 1}/${chosen.length}] ${result.padEnd(8)} ${id} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  const done = chosen.filter((m) => state[idOf(m)] !== undefined).map((m) => ({ id: idOf(m), ...state[idOf(m)] }));
  const results = done.filter((r) => r.result !== 'invalid');
  const invalid = done.length - results.length;
  if (done.length < chosen.length) console.log(`${chosen.length - done.length} of the ${chosen.length} sampled mutants have no result yet`);
  const count = (r) => results.filter((x) => x.result === r).length;
  const killed = count('killed');
  const timeouts = count('timeout');
  const survived = results.filter((x) => x.result === 'survived');
  console.log(`\n${results.length} mutants: ${killed} killed, ${survived.length} survived, ${timeouts} timed out (${invalid} more were not valid JavaScript)`);
  console.log(`score (killed + timed out) / all: ${(((killed + timeouts) / results.length) * 100).toFixed(1)} %`);
  for (const s of survived) console.log(`survived: ${s.id}`);
}

await main();
