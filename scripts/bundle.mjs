// Bundles the built CLI (dist/src/cli/main.js, from tsc) into a few files under dist/bundle/cli/,
// the entry `bpfql` runs. Loading ~250 small ES modules costs more at start than everything else
// before the first event (each is resolved, read, compiled and linked on its own); one file per
// lazily loaded part (the command, run, watch, serve, the REPL) costs a fraction of that.
// Packages stay outside: native addons (koffi, DuckDB) cannot be bundled, and the rest load lazily.
// The directory is as deep as dist/src/cli/ so that paths relative to a module (package.json)
// point at the same files from both.
//
//   node scripts/bundle.mjs      (npm run build runs it after tsc)
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle/cli`;
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [`${root}dist/src/cli/main.js`],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: Object.keys(pkg.dependencies),
  // Names kept: stack traces in bug reports and `instanceof` diagnostics stay readable.
  minify: false,
  logLevel: 'warning',
});
