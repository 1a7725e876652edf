// Dynamic perf event sources (PMUs) the kernel lists in sysfs: their type number for
// perf_event_attr.type, and where their flags sit in config (the format files say, e.g. "config:0").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Errno, KernelError } from './errors.js';

const DEVICES = '/sys/bus/event_source/devices';

export interface UprobePmu {
  readonly type: number;
  /** config with only the retprobe bit set. */
  readonly retprobe: bigint;
}

/** The bit a one-bit format file names ("config:0"). */
export function parseFormatBit(text: string): bigint {
  const m = /^config:(\d+)\s*$/.exec(text);
  if (!m) throw new Error(`unexpected PMU format '${text.trim()}' (expected config:<bit>)`);
  return 1n << BigInt(m[1]!);
}

let cached: UprobePmu | undefined;

export function uprobePmu(): UprobePmu {
  if (cached) return cached;
  const dir = join(DEVICES, 'uprobe');
  let typeText: string;
  let retprobeText: string;
  try {
    typeText = readFileSync(join(dir, 'type'), 'latin1');
    retprobeText = readFileSync(join(dir, 'format', 'retprobe'), 'latin1');
  } catch {
    throw new KernelError('uprobe PMU', Errno.ENOENT, {
      message: `this kernel has no uprobe PMU (${dir})`,
      hint: 'uprobes need a kernel built with CONFIG_UPROBE_EVENTS',
    });
  }
  cached = { type: Number.parseInt(typeText, 10), retprobe: parseFormatBit(retprobeText) };
  return cached;
}
