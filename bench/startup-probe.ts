// Run in a fresh process by the startup measurement: the CLI's path to attached, phase by phase.
// Prints JSON: node's boot, importing the engine (everything the CLI imports), Engine.open, and
// the process's first query from execute() to attached.
const bootMs = performance.now();
const { Engine } = await import('../src/engine/engine.js');
const importedAt = performance.now();
const engine = await Engine.open();
const openedAt = performance.now();
const stop = new AbortController();
let attachedAt: number | undefined;
await engine.execute(process.argv[2] ?? '', {
  signal: stop.signal,
  onAttached: () => {
    attachedAt = performance.now();
    stop.abort();
  },
});
if (attachedAt === undefined) throw new Error('the query finished without attaching');
process.stdout.write(
  `${JSON.stringify({ bootMs, importMs: importedAt - bootMs, openMs: openedAt - importedAt, firstQueryMs: attachedAt - openedAt, totalMs: attachedAt })}\n`,
);
// Exiting closes the query's kernel objects; no need to wait for an orderly teardown.
process.exit(0);
