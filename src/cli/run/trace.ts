// Starting kernel queries that run side by side until the traced command exits. Each is started
// and attached before the next one, so the DuckDB work that precedes attaching never overlaps and
// every program is counting before the command starts. After that the queries share the one
// DuckDB connection: DuckDB serialises statements on a connection, and each query appends only
// to its own table.
import type { Engine, Outcome } from '../../engine/engine.js';

export interface StartedTrace {
  /** Settles when the query has ended and its result is in its table. */
  readonly done: Promise<Outcome>;
}

/**
 * Starts one kernel statement; resolves once its program is attached. Rejects when it fails
 * before that (a verifier or attach error); later failures reject `done`.
 */
export async function startTrace(engine: Engine, text: string, ctx: { readonly signal: AbortSignal; readonly until: Promise<unknown> }): Promise<StartedTrace> {
  let attached = (): void => {};
  const whenAttached = new Promise<void>((resolve) => {
    attached = resolve;
  });
  const done = engine.execute(text, { ...ctx, onAttached: () => attached() });
  // Racing `done` too: a failure before attaching rejects here instead of leaving the caller waiting.
  await Promise.race([whenAttached, done]);
  return { done };
}
