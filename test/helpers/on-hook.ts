// One run of the C workload (test/live/programs/workload.c) with a query on a chosen hook: for
// tests that run the same query on the cheapest hook and on the classic one and compare.
import assert from 'node:assert/strict';
import { Catalog } from '../../src/catalog/catalog.js';
import type { Hook } from '../../src/catalog/hook.js';
import { describeSource } from '../../src/catalog/table.js';
import { Engine } from '../../src/engine/engine.js';
import { kernelCatalogEnv } from '../../src/runtime/kernel-env.js';
import { Workload } from './c-workload.js';
import { queryDuring } from './query-during.js';

/**
 * Rows of `query` (with {comm} for the workload's name) over one run of the workload with
 * `args`, on `hook`, and the hook it ran on as EXPLAIN names it. Requires a complete result.
 */
export async function rowsOnHook(hook: Hook, query: string, name: string, args: readonly string[]): Promise<{ rows: unknown[][]; source: string }> {
  const w = await Workload.start(name, args);
  const engine = await Engine.open({}, new Catalog({ ...kernelCatalogEnv, hook }));
  try {
    const run = await queryDuring(engine, query.replaceAll('{comm}', w.comm), () => w.go());
    assert.deepEqual(run.kernel.completeness, { lostRecords: 0, failedUpdates: 0, lostPairs: 0, lostStacks: 0, missedEvents: 0 });
    return { rows: run.rows.map((r) => [...r]), source: describeSource(run.kernel.plan.kernel.source) };
  } finally {
    await engine.close();
    w.remove();
  }
}
