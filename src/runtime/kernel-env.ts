// The catalog and planner environments over the running kernel: tracefs for formats, BTF for
// struct offsets and enum names. Read lazily, only what a query needs.
import { closeSync, constants, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { CatalogEnv } from '../catalog/catalog.js';
import type { BinaryFile } from '../catalog/probe-tables.js';
import { Catalog } from '../catalog/catalog.js';
import { provideDropReasons } from '../catalog/decoders.js';
import { parseHook } from '../catalog/hook.js';
import { vmlinuxBtf } from '../kernel/btf.js';
import { listTracepoints, readFormat } from '../kernel/tracefs.js';
import { KernelError } from '../kernel/errors.js';
import { OffsetUnavailableError, type PlannerEnv } from '../planner/offsets.js';

export const kernelCatalogEnv: CatalogEnv = {
  readFormat(category, event) {
    try {
      return readFormat(category, event);
    } catch (e) {
      // Only a tracepoint this kernel lacks is "no such table"; tracefs missing or unreadable is the user's to hear.
      if (e instanceof KernelError && e.op.startsWith('tracepoint ') && e.code === 'ENOENT') return undefined;
      throw e;
    }
  },
  listTracepoints: () => listTracepoints(),
  readBinary,
  btfTracepoint(event) {
    try {
      return vmlinuxBtf().typedefId(`btf_trace_${event}`);
    } catch (e) {
      // Without BTF the table goes on the plain raw tracepoint.
      if (e instanceof KernelError && e.op === 'BTF') return undefined;
      throw e;
    }
  },
  btfReadable() {
    try {
      vmlinuxBtf();
      return true;
    } catch (e) {
      if (e instanceof KernelError && e.op === 'BTF') return false;
      throw e;
    }
  },
  btfTracepointArgs(event) {
    try {
      return vmlinuxBtf().tracepointArgs(event);
    } catch (e) {
      // Without BTF the event's table has no typed arguments.
      if (e instanceof KernelError && e.op === 'BTF') return undefined;
      throw e;
    }
  },
};

/** The first bytes of every ELF file. */
const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

/**
 * The whole file when it is an ELF file, else its first bytes (enough to tell it is not). Opened
 * non-blocking: some regular files (tracefs's trace_pipe) block a read until there is data.
 */
function readIfElf(path: string): Uint8Array {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const head = Buffer.alloc(ELF_MAGIC.length);
    const n = readSync(fd, head, 0, head.length, 0);
    if (n < head.length || !head.equals(ELF_MAGIC)) return head.subarray(0, n);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A path is read as given (relative to the working directory); a bare name is looked up in PATH, as a shell would. */
export function readBinary(name: string): BinaryFile | undefined {
  const candidates = name.includes('/') ? [resolve(name)] : (process.env['PATH'] ?? '').split(delimiter).filter((d) => d !== '').map((d) => resolve(join(d, name)));
  for (const path of candidates) {
    try {
      if (statSync(path).isFile()) return { path, bytes: readIfElf(path) };
    } catch (e) {
      if (!(e instanceof Error && 'code' in e && ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR'))) throw e;
    }
  }
  return undefined;
}

export const kernelPlannerEnv: PlannerEnv = {
  memberOffset(struct, member) {
    try {
      return vmlinuxBtf().memberOffset(struct, member);
    } catch (e) {
      // No BTF, or BTF without this member: the columns that need it are unavailable, nothing else.
      if (e instanceof KernelError && e.op === 'BTF') throw new OffsetUnavailableError(`${struct}.${member} comes from BTF: ${e.message}${e.hint ? `; ${e.hint}` : ''}`);
      throw e;
    }
  },
  btfTypes() {
    try {
      return vmlinuxBtf();
    } catch (e) {
      if (e instanceof KernelError && e.op === 'BTF') throw new OffsetUnavailableError(`kernel struct members come from BTF: ${e.message}${e.hint ? `; ${e.hint}` : ''}`);
      throw e;
    }
  },
};

/**
 * Gives the decoders the way to the running kernel's enums they name values by (packet_drops'
 * reason), read when first needed. Without BTF the values show as numbers; nothing else needs it.
 */
function provideKernelEnums(): void {
  provideDropReasons(() => {
    try {
      return vmlinuxBtf().enumValues('skb_drop_reason');
    } catch (e) {
      if (!(e instanceof KernelError && e.op === 'BTF')) throw e;
      return [];
    }
  });
}

/**
 * The running kernel's catalog, on the hook BPFQL_HOOK asks for (read here, once per catalog),
 * with the kernel's enums given to the decoders first.
 */
export function kernelCatalog(): Catalog {
  provideKernelEnums();
  return new Catalog({ ...kernelCatalogEnv, hook: parseHook(process.env['BPFQL_HOOK']) });
}
