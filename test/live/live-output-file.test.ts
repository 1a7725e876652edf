// `-o FILE` while a query streams (issue 17: "even --format ndjson to a file writes 0 bytes until
// the end"): each row is in the file as it arrives, read by the test while bpfql still runs; a
// full disk ends the query with exit 1 naming the file, which keeps the whole rows written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, waitFor } from '../helpers/cli.js';
import { withFullDisk } from '../helpers/full-disk.js';
import { getppidTimes } from '../helpers/getppid.js';
import { execTimes, kernelSkip, NamedProgram, uniqueComm } from '../helpers/workload.js';

const skip = kernelSkip();

async function withDir(f: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-live-file-'));
  try {
    await f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fileText = (path: string): string => (existsSync(path) ? readFileSync(path, 'utf8') : '');

for (const [ext, header] of [['ndjson', []], ['csv', ['comm,filename']]] as const) {
  test(`-o rows.${ext}: each of 5 execs is in the file while bpfql still runs`, { skip }, () =>
    withDir(async (dir) => {
      const prog = new NamedProgram(uniqueComm('lf'));
      const out = join(dir, `rows.${ext}`);
      try {
        const run = startCli(['--format', 'csv', '-o', out, `SELECT comm, filename FROM exec WHERE comm = '${prog.comm}'`], { verbose: true });
        await run.attached;
        let ended = false;
        void run.done.then(() => (ended = true));
        const rowLine = ext === 'csv' ? `${prog.comm},${prog.path}` : JSON.stringify({ comm: prog.comm, filename: prog.path });
        for (let i = 1; i <= 5; i++) {
          await execTimes(prog.path, 1).done;
          await waitFor(`row ${i} in the file`, () => fileText(out) === [...header, ...Array.from({ length: i }, () => rowLine)].map((l) => `${l}\n`).join(''), 10_000);
          assert.equal(ended, false, 'bpfql still runs (no FOR, no LIMIT)');
        }
        process.kill(run.pid, 'SIGINT');
        const r = await run.done;
        assert.equal(r.code, 0, r.stderr);
        assert.equal(readFileSync(out, 'utf8'), [...header, ...Array.from({ length: 5 }, () => rowLine)].map((l) => `${l}\n`).join(''));
        assert.equal(r.stdout, ['comm,filename', ...Array.from({ length: 5 }, () => `${prog.comm},${prog.path}`)].map((l) => `${l}\n`).join(''));
        assert.match(r.stderr, new RegExp(`^wrote 5 rows to ${out}$`, 'm'));
      } finally {
        prog.remove();
      }
    }));
}

test('-o to a disk that fills while the query streams: exit 1 naming the file, which keeps whole rows, the first of them those made before', { skip }, () =>
  withDir((dir) =>
    withFullDisk(dir, async (mnt) => {
      const comm = uniqueComm('fd');
      const out = join(mnt, 'rows.csv');
      const run = startCli(['--format', 'csv', '-o', out, `SELECT pid, comm FROM tracepoint.syscalls.sys_enter_getppid WHERE comm = '${comm}'`], { verbose: true });
      await run.attached;
      const first = getppidTimes(comm, 10);
      await first.done;
      await waitFor('the first 10 rows in the file', () => fileText(out).split('\n').length === 12, 10_000);
      // About 25 bytes a row: 20,000 of them are more than the 64 KiB disk holds.
      const flood = getppidTimes(comm, 20_000);
      await flood.done;
      const r = await run.done;
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`^error: cannot write ${out}: ENOSPC: no space left on device, write$`, 'm'));
      assert.doesNotMatch(r.stderr, /\n\s+at /);
      const kept = readFileSync(out, 'utf8');
      const lines = kept.split('\n');
      assert.equal(lines.pop(), '', 'the file ends with a whole line');
      // The batch the disk could not take is cut back whole: how many rows of the flood stay depends on how they were batched.
      assert.ok(lines.length >= 11, `${lines.length} lines kept`);
      assert.deepEqual(lines.slice(0, 11), ['pid,comm', ...Array.from({ length: 10 }, () => `${first.pid},${comm}`)]);
      for (const l of lines.slice(11)) assert.equal(l, `${flood.pid},${comm}`);
      // The file holds what stdout got, up to where the disk filled.
      assert.ok(r.stdout.startsWith(kept), 'the file is a prefix of stdout');
    })));
