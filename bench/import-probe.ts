// Run in a fresh process by the startup measurement: imports one module (or nothing) and prints,
// as JSON, how long node took to reach this script and how long the import took.
import { pathToFileURL } from 'node:url';

const bootMs = performance.now();
const target = process.argv[2];
if (target !== undefined) await import(target.startsWith('/') ? pathToFileURL(target).href : target);
process.stdout.write(`${JSON.stringify({ bootMs, importMs: performance.now() - bootMs })}\n`);
