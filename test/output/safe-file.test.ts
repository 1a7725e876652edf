// Exports and reports written as root into directories others can write to: a link planted at
// the target or at a temporary name next to it must not redirect the write, and a failed write
// leaves nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportQuery } from '../../src/output/export.js';
import { appendFileText, openEmptied, OutputFileError, replaceFileText } from '../../src/output/safe-file.js';
import { Session } from '../../src/store/session.js';
import { withFullDisk } from '../helpers/full-disk.js';

async function withDir(f: (dir: string, s: Session) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-safe-'));
  const s = await Session.open();
  try {
    await f(dir, s);
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const ROWS = 'SELECT range AS n FROM range(3)';

test('an export refuses a symlink at the target and leaves the file it points to alone', () =>
  withDir(async (dir, s) => {
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'secret\n');
    symlinkSync(victim, join(dir, 'out.csv'));
    await assert.rejects(exportQuery(s, ROWS, join(dir, 'out.csv')), (e: unknown) =>
      e instanceof OutputFileError && /out\.csv: it is a symbolic link/.test(e.message));
    assert.equal(readFileSync(victim, 'utf8'), 'secret\n');
    assert.deepEqual(readdirSync(dir).sort(), ['out.csv', 'victim']);
  }));

test('an export refuses a dangling symlink at the target and creates nothing where it points', () =>
  withDir(async (dir, s) => {
    const where = join(dir, 'created-by-root');
    symlinkSync(where, join(dir, 'out.json'));
    await assert.rejects(exportQuery(s, ROWS, join(dir, 'out.json')), OutputFileError);
    assert.equal(existsSync(where), false);
  }));

test('an export over an existing file ignores a symlink planted at tmp_<name>', () =>
  withDir(async (dir, s) => {
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'secret\n');
    const out = join(dir, 'out.csv');
    writeFileSync(out, 'old\n');
    symlinkSync(victim, join(dir, 'tmp_out.csv'));
    await exportQuery(s, ROWS, out);
    assert.equal(readFileSync(out, 'utf8'), 'n\n0\n1\n2\n');
    assert.equal(readFileSync(victim, 'utf8'), 'secret\n');
    assert.ok(lstatSync(join(dir, 'tmp_out.csv')).isSymbolicLink());
    assert.deepEqual(readdirSync(dir).sort(), ['out.csv', 'tmp_out.csv', 'victim']);
  }));

test('an export refuses a directory at the target', () =>
  withDir(async (dir, s) => {
    mkdirSync(join(dir, 'd.parquet'));
    await assert.rejects(exportQuery(s, ROWS, join(dir, 'd.parquet')), /d\.parquet: it is a directory/);
  }));

test("an exported file's mode follows the umask", () =>
  withDir(async (dir, s) => {
    const old = process.umask(0o027);
    try {
      await exportQuery(s, ROWS, join(dir, 'a.csv'));
      process.umask(0o002);
      await exportQuery(s, ROWS, join(dir, 'b.ndjson'));
    } finally {
      process.umask(old);
    }
    assert.equal(statSync(join(dir, 'a.csv')).mode & 0o777, 0o640);
    assert.equal(statSync(join(dir, 'b.ndjson')).mode & 0o777, 0o664);
  }));

test('a failed export (a bad query) leaves the old file and no temporary file or directory', () =>
  withDir(async (dir, s) => {
    const out = join(dir, 'out.csv');
    writeFileSync(out, 'old\n');
    await assert.rejects(exportQuery(s, 'SELECT * FROM no_such_table', out), /no_such_table/);
    assert.equal(readFileSync(out, 'utf8'), 'old\n');
    assert.deepEqual(readdirSync(dir), ['out.csv']);
  }));

const root = process.getuid?.() === 0;

test('an export to a full disk fails naming the file and leaves no partial file', { skip: root ? false : 'mounting a tmpfs needs root' }, () =>
  withDir(async (dir, s) =>
    withFullDisk(dir, async (mnt) => {
      const out = join(mnt, 'big.csv');
      await assert.rejects(exportQuery(s, "SELECT range AS n, repeat('x', 100) AS s FROM range(10000)", out), (e: unknown) =>
        e instanceof OutputFileError && e.message.startsWith(`cannot write ${out}: `) && /No space left on device/.test(e.message));
      assert.deepEqual(readdirSync(mnt), []);
    })));

test('a report to a full disk fails naming the file and leaves nothing', { skip: root ? false : 'mounting a tmpfs needs root' }, () =>
  withDir((dir) =>
    withFullDisk(dir, async (mnt) => {
      const out = join(mnt, 'report.json');
      assert.throws(() => replaceFileText(out, 'x'.repeat(200_000)), (e: unknown) =>
        e instanceof OutputFileError && e.message.startsWith(`cannot write ${out}: `) && /ENOSPC/.test(e.message));
      assert.deepEqual(readdirSync(mnt), []);
    })));

test('a report replaces its file and refuses a planted symlink', () =>
  withDir(async (dir) => {
    const out = join(dir, 'report.json');
    replaceFileText(out, '{"a":1}');
    replaceFileText(out, '{"a":2}');
    assert.equal(readFileSync(out, 'utf8'), '{"a":2}');
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'secret');
    const link = join(dir, 'junit.xml');
    symlinkSync(victim, link);
    assert.throws(() => replaceFileText(link, '<x/>'), /junit\.xml: it is a symbolic link/);
    assert.equal(readFileSync(victim, 'utf8'), 'secret');
    assert.deepEqual(readdirSync(dir).sort(), ['junit.xml', 'report.json', 'victim']);
  }));

test('appending refuses a symlink, even a dangling one, and creates the file with its mode', () =>
  withDir(async (dir) => {
    const where = join(dir, 'elsewhere');
    const link = join(dir, 'history');
    symlinkSync(where, link);
    assert.throws(() => appendFileText(link, 'SELECT 1\n', 0o600), /history: it is a symbolic link/);
    assert.equal(existsSync(where), false);
    const file = join(dir, 'own');
    appendFileText(file, 'a\n', 0o600);
    appendFileText(file, 'b\n', 0o600);
    assert.equal(readFileSync(file, 'utf8'), 'a\nb\n');
    assert.equal(statSync(file).mode & 0o777, 0o600);
  }));

test('a file emptied for streamed rows: an existing one is emptied in place; a symlink, a hard-linked file or a directory is refused untouched', () =>
  withDir(async (dir) => {
    const out = join(dir, 'rows.ndjson');
    writeFileSync(out, 'old rows\n');
    const fd = openEmptied(out);
    closeSync(fd);
    assert.equal(readFileSync(out, 'utf8'), '');
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'secret\n');
    symlinkSync(victim, join(dir, 'link.ndjson'));
    linkSync(victim, join(dir, 'hard.ndjson'));
    mkdirSync(join(dir, 'dir.ndjson'));
    for (const [name, why] of [['link.ndjson', 'it is a symbolic link'], ['hard.ndjson', 'it has other hard links'], ['dir.ndjson', 'it is a directory']] as const) {
      assert.throws(() => openEmptied(join(dir, name)), (e: unknown) => e instanceof OutputFileError && e.message.startsWith(`cannot write ${join(dir, name)}: ${why}`));
    }
    assert.equal(readFileSync(victim, 'utf8'), 'secret\n');
  }));
