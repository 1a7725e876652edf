// `npm run soak`: five minutes of a getppid storm under a streaming and an aggregating query
// (see soak.ts). Prints the figures; exits 1 when any check fails. Needs root.
import { describeSoak, RSS_GROWTH_BOUND_MB, runSoak, soakFailures } from './soak.js';

if (process.getuid?.() !== 0) {
  process.stderr.write('the soak loads BPF programs and needs root\n');
  process.exit(1);
}
const minutes = Number(process.env['BPFQL_SOAK_MINUTES'] ?? '5');
const figures = await runSoak({ stormMs: minutes * 60_000, storms: 2 });
for (const line of describeSoak(figures)) process.stdout.write(`${line}\n`);
const failures = soakFailures(figures);
for (const f of failures) process.stdout.write(`FAILED: ${f}\n`);
process.stdout.write(failures.length === 0 ? `ok: every lost record counted, aggregates exact, RSS growth within ${RSS_GROWTH_BOUND_MB} MB\n` : '');
process.exit(failures.length === 0 ? 0 : 1);
