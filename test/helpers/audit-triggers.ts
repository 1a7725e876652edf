// The programs of test/live/programs/audit-triggers.c for the audit pack's tests, compiled into a
// directory under /run: rules/audit.sql alerts on programs run from /tmp, and /run is root's.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fromRoot } from './paths.js';

export class AuditPrograms {
  readonly dir = mkdtempSync('/run/bpfql-audit-');
  private readonly built = join(this.dir, 'audit-triggers');

  constructor() {
    execFileSync('gcc', ['-O1', '-o', this.built, fromRoot('test', 'live', 'programs', 'audit-triggers.c')]);
  }

  /** The trigger program under `name` (its comm), in the directory; its path. */
  named(name: string): string {
    const path = join(this.dir, name);
    copyFileSync(this.built, path);
    return path;
  }

  /** A copy of the system's `file` (e.g. /bin/sleep) under `name`; its path. */
  copy(file: string, name: string): string {
    const path = join(this.dir, name);
    copyFileSync(file, path);
    return path;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
