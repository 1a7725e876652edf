// `filename` and `inode` of read, write and syscall('fsync') on the real kernel (bcc's filetop and
// fileslower as queries): a program of this test writes and reads files it makes in a temp dir
// (known calls and sizes, one file fsynced, hostile names among them) and a pipe; per file, the
// calls, bytes, names and inode numbers must be exactly those, and bpftrace's per-fd counts of
// the same run equal bpfql's.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CUT_PATH_MARK, FD_PATH_BYTES } from '../../src/catalog/fd-path.js';
import { Engine } from '../../src/engine/engine.js';
import { formatResult } from '../../src/output/result-text.js';
import { Bpftrace, bpftraceSkip } from '../helpers/bpftrace.js';
import { CProgram } from '../helpers/c-program.js';
import type { QueryRun } from '../helpers/query-during.js';
import { queryDuring } from '../helpers/query-during.js';
import { kernelSkip, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();

interface FileCase {
  /** The name in the test's dir, as bytes (one is no UTF-8). */
  readonly name: Buffer;
  readonly writes: number;
  readonly reads: number;
  readonly size: number;
  readonly fsync: boolean;
  /** What `filename` shows, given the dir. */
  readonly shown: (dir: string) => string;
}

const LONG_DIR = 'd'.repeat(200);
const LONG_NAME = 'n'.repeat(100);
const LONGER_THAN_ROOM = 'm'.repeat(200);
const whole = (name: string) => (dir: string): string => `${dir}/${name}`;

const CASES: readonly FileCase[] = [
  { name: Buffer.from('alpha.txt'), writes: 3, reads: 3, size: 1000, fsync: true, shown: whole('alpha.txt') },
  { name: Buffer.from('two words \'quoted "x"\'.txt'), writes: 2, reads: 2, size: 100, fsync: false, shown: whole('two words \'quoted "x"\'.txt') },
  { name: Buffer.from('new\nline'), writes: 1, reads: 1, size: 10, fsync: false, shown: whole('new\nline') },
  { name: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('-bytes')]), writes: 1, reads: 1, size: 10, fsync: false, shown: whole('\uFFFD\uFFFD-bytes') },
  // A path of over 300 bytes: the names that do not fit the room are left out.
  { name: Buffer.from(`${LONG_DIR}/${LONG_NAME}`), writes: 1, reads: 1, size: 10, fsync: false, shown: () => `${CUT_PATH_MARK}${LONG_NAME}` },
  // A name longer than the room itself: its start, marked as cut at both ends.
  { name: Buffer.from(LONGER_THAN_ROOM), writes: 1, reads: 1, size: 10, fsync: false, shown: () => `${CUT_PATH_MARK}${LONGER_THAN_ROOM.slice(0, FD_PATH_BYTES - 1)}…` },
];

/** Calls and bytes through the pipe the program makes (its read end's inode is printed). */
const PIPE = { writes: 4, reads: 4, size: 10 };

/** Every byte as an octal escape: a C string of any bytes (a hex escape would run on into digits). */
function cString(b: Buffer): string {
  return `"${[...b].map((x) => `\\${x.toString(8).padStart(3, '0')}`).join('')}"`;
}

/** chdir(argv[1]); each file: its writes (fsync), then its reads; then the pipe. Prints the pipe's inode. */
const SOURCE = `
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
static const char *names[] = { ${CASES.map((c) => cString(c.name)).join(', ')} };
static const int writes[] = { ${CASES.map((c) => c.writes).join(', ')} };
static const int reads[] = { ${CASES.map((c) => c.reads).join(', ')} };
static const int sizes[] = { ${CASES.map((c) => c.size).join(', ')} };
static const int syncs[] = { ${CASES.map((c) => (c.fsync ? 1 : 0)).join(', ')} };
static char buf[4096];
int main(int argc, char **argv) {
  if (argc != 2 || chdir(argv[1]) != 0) return 2;
  for (int i = 0; i < ${CASES.length}; i++) {
    int fd = open(names[i], O_CREAT | O_TRUNC | O_WRONLY, 0644);
    if (fd < 0) return 3;
    for (int j = 0; j < writes[i]; j++) if (write(fd, buf, sizes[i]) != sizes[i]) return 4;
    if (syncs[i] && fsync(fd) != 0) return 5;
    close(fd);
    fd = open(names[i], O_RDONLY);
    if (fd < 0) return 6;
    for (int j = 0; j < reads[i]; j++) if (read(fd, buf, sizes[i]) != sizes[i]) return 7;
    close(fd);
  }
  int p[2];
  if (pipe(p) != 0) return 8;
  for (int j = 0; j < ${PIPE.writes}; j++) if (write(p[1], buf, ${PIPE.size}) != ${PIPE.size}) return 9;
  for (int j = 0; j < ${PIPE.reads}; j++) if (read(p[0], buf, ${PIPE.size}) != ${PIPE.size}) return 10;
  struct stat st;
  if (fstat(p[0], &st) != 0) return 11;
  printf("%lu\\n", (unsigned long)st.st_ino);
  return 0;
}
`;

const prog = skip ? undefined : new CProgram(uniqueComm('bqfiles'), SOURCE);
after(() => prog?.remove());

/** A fresh dir with the long dir made; the program's run in it gives the pipe's inode. */
class Run {
  readonly dir = mkdtempSync(join(tmpdir(), 'bpfql-files-'));
  pipeInode = 0;
  constructor() {
    mkdirSync(join(this.dir, LONG_DIR));
  }
  async go(): Promise<void> {
    const { stdout } = await promisify(execFile)(prog!.path, [this.dir]);
    this.pipeInode = Number(stdout.trim());
  }
  inode(c: FileCase): number {
    return statSync(Buffer.concat([Buffer.from(`${this.dir}/`), c.name])).ino;
  }
  /** Rows of the files and pipe of this run (the program's other reads, of libc, left out). */
  ours(run: QueryRun): Map<string, unknown[]> {
    const names = new Set([...CASES.map((c) => c.shown(this.dir)), `pipe:[${this.pipeInode}]`]);
    return new Map(run.rows.filter((r) => names.has(String(r[0]))).map((r) => [String(r[0]), r.slice(1)]));
  }
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function during(sql: string, r: Run): Promise<QueryRun> {
  const engine = await Engine.open();
  try {
    return await queryDuring(engine, sql, () => r.go());
  } finally {
    await engine.close();
  }
}

for (const [table, count, perFile] of [['read', 'reads', 'reads'], ['write', 'writes', 'writes']] as const) {
  test(`filetop over ${table}: per file, exactly the calls and bytes, the name and the inode`, { skip }, async () => {
    const r = new Run();
    try {
      const run = await during(`SELECT filename, inode, count(*) AS calls, sum(returned) AS bytes, p99(latency_ns) AS p99 FROM ${table} WHERE comm = '${prog!.name}' GROUP BY filename, inode`, r);
      assert.equal(run.kernel.plan.kernel.mode.kind, 'aggregate', 'grouped by filename in the kernel');
      const expected = new Map<string, unknown[]>(CASES.map((c) => [c.shown(r.dir), [r.inode(c), c[perFile], c[perFile] * c.size]]));
      expected.set(`pipe:[${r.pipeInode}]`, [r.pipeInode, PIPE[count], PIPE[count] * PIPE.size]);
      const got = r.ours(run);
      assert.deepEqual(new Map([...got].map(([k, v]) => [k, v.slice(0, 3).map(Number)])), expected);
      for (const v of got.values()) assert.ok(Number(v[3]) > 0, 'a latency');
      // Every other file the program touched is outside the test's dir: libc, read by the loader,
      // and its stdout, a socket (Node gives a child's stdio as a socket pair).
      for (const row of run.rows) {
        const name = String(row[0]);
        if (!got.has(name)) assert.ok((name.startsWith('/') && !name.startsWith(r.dir)) || /^socket:\[\d+\]$/.test(name), name);
      }
    } finally {
      r.remove();
    }
  });
}

test('fsync: counted on the file fsynced, by name', { skip }, async () => {
  const r = new Run();
  try {
    const run = await during(`SELECT filename, inode, count(*) FROM syscall('fsync') WHERE comm = '${prog!.name}' GROUP BY filename, inode`, r);
    const synced = CASES.filter((c) => c.fsync);
    assert.deepEqual(run.rows.map((row) => [row[0], Number(row[1]), Number(row[2])]), synced.map((c) => [c.shown(r.dir), r.inode(c), 1]));
  } finally {
    r.remove();
  }
});

test('hostile names: exact text in the rows, one escaped line each in table output', { skip }, async () => {
  const r = new Run();
  try {
    const run = await during(`SELECT filename, returned FROM write WHERE comm = '${prog!.name}'`, r);
    const names = run.rows.map((row) => String(row[0])).filter((n) => n.startsWith(r.dir) || n.startsWith(CUT_PATH_MARK));
    assert.deepEqual(names, CASES.flatMap((c) => Array<string>(c.writes).fill(c.shown(r.dir))));
    const table = formatResult(run.result, 'table');
    assert.equal(table.split('\n').length, run.rows.length + 3, 'header, rule, a line per row, the count');
    assert.ok(table.includes(`${r.dir}/new\\nline`));
    assert.ok(names.every((n) => Buffer.byteLength(n) <= FD_PATH_BYTES + Buffer.byteLength(`${CUT_PATH_MARK}…`)));
  } finally {
    r.remove();
  }
});

test('read and write counts per fd equal bpftrace\'s over the same run', { skip: skip || bpftraceSkip() }, async () => {
  const r = new Run();
  const bt = await Bpftrace.start(`tracepoint:syscalls:sys_enter_read /comm == "${prog!.name}"/ { @r[args->fd] = count(); }`);
  try {
    const run = await during(`SELECT fd, count(*) FROM read WHERE comm = '${prog!.name}' GROUP BY fd`, r);
    const theirs = Bpftrace.counts(await bt.stop(), 'r');
    assert.ok(theirs.size > 0);
    assert.deepEqual(new Map(run.rows.map((row) => [String(row[0]), Number(row[1])])), theirs);
  } finally {
    bt.kill();
    r.remove();
  }
});
