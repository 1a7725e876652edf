// An engine whose catalog puts tables on a given hook, for live tests that run a table's exact
// checks on both hooks (the cheapest this kernel has, and the classic tracepoint).
import { Catalog } from '../../src/catalog/catalog.js';
import type { Hook } from '../../src/catalog/hook.js';
import { HOOKS } from '../../src/catalog/hook.js';
import type { EngineOptions } from '../../src/engine/engine.js';
import { Engine } from '../../src/engine/engine.js';
import { hookName } from '../../src/catalog/table.js';
import type { KernelRunInfo } from '../../src/engine/engine.js';
import { kernelCatalogEnv } from '../../src/runtime/kernel-env.js';

export { HOOKS };

export function engineOn(hook: Hook, options: EngineOptions = {}): Promise<Engine> {
  return Engine.open(options, new Catalog({ ...kernelCatalogEnv, hook }));
}

/** The kind of hook a run's program went on, as SHOW TABLES names it ('raw tracepoint', 'tracepoint', …). */
export function hookOf(info: KernelRunInfo): string {
  return hookName(info.plan.kernel.source);
}
