// The catalog and planner environments over the running kernel: tracefs for formats, BTF for
// struct offsets. Read lazily, only what a query needs.
import type { CatalogEnv } from '../catalog/catalog.js';
import { Catalog } from '../catalog/catalog.js';
import { vmlinuxBtf } from '../kernel/btf.js';
import { listTracepoints, readFormat } from '../kernel/tracefs.js';
import { KernelError } from '../kernel/errors.js';
import type { PlannerEnv } from '../planner/planner.js';

export const kernelCatalogEnv: CatalogEnv = {
  readFormat(category, event) {
    try {
      return readFormat(category, event);
    } catch (e) {
      if (e instanceof KernelError && e.code === 'ENOENT') return undefined;
      if (e instanceof Error && 'code' in e && (e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  },
  listTracepoints: () => listTracepoints(),
};

export const kernelPlannerEnv: PlannerEnv = {
  memberOffset: (struct, member) => vmlinuxBtf().memberOffset(struct, member),
};

export function kernelCatalog(): Catalog {
  return new Catalog(kernelCatalogEnv);
}
