// `exec`'s argv on the real kernel: a program of this test executes a named binary 100 times with
// known, hostile arguments (spaces, quotes, a newline, bytes that are not UTF-8, an empty one),
// then once with more than ARGV_BYTES of them; the rows must hold exactly those lists.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ARGV_BYTES } from '../../src/catalog/column.js';
import { CUT_MARK } from '../../src/runtime/exec-args-text.js';
import { CProgram } from '../helpers/c-program.js';
import { engineOn, hookOf } from '../helpers/hook-engine.js';
import { queryDuring } from '../helpers/query-during.js';
import { kernelSkip, NamedProgram, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();
const EXECS = 100;
const LONG_ARGS = 30;
/** Each long argument: 127 bytes and its NUL. */
const LONG_ARG = `L${'x'.repeat(126)}`;

/** Executes argv[1] EXECS times with the hostile arguments, then once with LONG_ARGS long ones. */
const SOURCE = `
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
static int run(const char *path, char **argv) {
  char *envp[] = { NULL };
  pid_t child = fork();
  if (child == 0) { execve(path, argv, envp); _exit(127); }
  int status;
  return waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
int main(int argc, char **argv) {
  if (argc != 2) return 2;
  char number[16];
  char *hostile[] = { "zero", "two words", "quote\\"s and 'apostrophes'", "new\\nline", "\\xff\\xfe-bytes", "", number, NULL };
  for (int i = 0; i < ${EXECS}; i++) {
    snprintf(number, sizeof number, "#%d", i);
    if (run(argv[1], hostile)) return 3;
  }
  static char arg[128];
  memset(arg, 'x', 127);
  arg[0] = 'L';
  char *many[${LONG_ARGS} + 2] = { "long" };
  for (int i = 1; i <= ${LONG_ARGS}; i++) many[i] = arg;
  return run(argv[1], many) ? 4 : 0;
}
`;

const prog = skip ? undefined : new CProgram(uniqueComm('execer'), SOURCE);
after(() => prog?.remove());

/** The long exec's arguments as they are cut: the first ARGV_BYTES bytes, the cut one marked. */
function cutLongArgs(): string[] {
  const bytes = Buffer.from(['long', ...Array<string>(LONG_ARGS).fill(LONG_ARG)].map((a) => `${a}\0`).join('')).subarray(0, ARGV_BYTES);
  const args = bytes.toString('latin1').split('\0');
  return [...args.slice(0, -1), `${args[args.length - 1]!}${CUT_MARK}`];
}

for (const [hook, kind] of [['cheapest', 'raw tracepoint'], ['tracepoint', 'tracepoint']] as const) test(`exec argv on the ${hook} hook: 100 execs with hostile arguments give exactly those lists; a long list is cut where the row says`, { skip }, async () => {
  const target = new NamedProgram(uniqueComm('bqargv'));
  const engine = await engineOn(hook);
  try {
    const run = await queryDuring(engine, `SELECT argv, filename FROM exec WHERE comm = '${target.comm}'`, () => promisify(execFile)(prog!.path, [target.path]));
    const expected = [
      ...Array.from({ length: EXECS }, (_, i) => ['zero', 'two words', `quote"s and 'apostrophes'`, 'new\nline', '\uFFFD\uFFFD-bytes', '', `#${i}`]),
      cutLongArgs(),
    ];
    const got = run.rows.map((r) => JSON.stringify(r[0]));
    assert.deepEqual(got.sort(), expected.map((a) => JSON.stringify(a)).sort());
    assert.ok(run.rows.every((r) => r[1] === target.path));
    assert.equal(run.kernel.completeness.lostRecords, 0);
    assert.equal(hookOf(run.kernel), kind);
  } finally {
    await engine.close();
    target.remove();
  }
});
