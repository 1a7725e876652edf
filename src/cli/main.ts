#!/usr/bin/env node
// The bpfql command's entry, small on purpose: it closes the ways into a root process that Node
// leaves open (guard.ts, first of all) and checks that the process can load bpfql at all, then
// loads the command (command.ts). Failures here are one sentence, never a stack trace.
import { openInspector } from './guard.js';
import { openFilesProblem, ownOpenFilesLimit } from './open-files.js';

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

const problem = openInspector() ?? openFilesProblem(ownOpenFilesLimit());
if (problem !== undefined) fail(problem);

import('./command.js').then(
  (command) => command.main(),
  (e: unknown) => {
    const err = e as NodeJS.ErrnoException;
    // The limit may have been enough to pass the check and not to load (other descriptors held).
    if (err.code === 'EMFILE' || err.code === 'ENFILE') fail(`too many open files while loading bpfql: raise the limit (ulimit -n, now too low for bpfql)`);
    fail(`bpfql could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
  },
);
