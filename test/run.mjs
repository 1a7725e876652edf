// Runs the compiled tests with node's test runner. Unit tests need no kernel; tests under
// test/live/ load real programs and skip (saying why) when not root. `--unit` runs only the former.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const unitOnly = process.argv.includes('--unit');
const filter = process.argv.slice(2).filter((a) => !a.startsWith('--'));

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...collect(path));
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

let files = collect('dist/test');
if (unitOnly) files = files.filter((f) => !f.includes('/live/'));
if (filter.length > 0) files = files.filter((f) => filter.some((p) => f.includes(p)));
// Kernel tests share the machine's tracepoints, so they run one file at a time.
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
