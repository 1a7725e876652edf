// perf_event_open(2) and its ioctls: the layout of struct perf_event_attr (PERF_ATTR_SIZE_VER8,
// 136 bytes) for the kinds of event bpfql opens: tracepoints, software CPU-clock samples and uprobes.

export const PerfAttr = {
  type: 0,
  size: 4,
  config: 8,
  /** sample_period, or sample_freq when the freq bit is set. */
  samplePeriod: 16,
  sampleType: 24,
  /** The u64 of single-bit flags (disabled, inherit, …, freq at bit 10). */
  flags: 40,
  wakeupEvents: 48,
  /** config1: for the uprobe PMU, a pointer to the binary's path. */
  config1: 56,
  /** config2: for the uprobe PMU, the probe's offset in the file. */
  config2: 64,
  length: 136,
} as const;

export const PerfType = { SOFTWARE: 1, TRACEPOINT: 2 } as const;
export const PERF_COUNT_SW_CPU_CLOCK = 0;
const FLAG_FREQ = 1n << 10n;

export const PERF_FLAG_FD_CLOEXEC = 8;
/** _IOW('$', 8, __u32) and _IO('$', 0). */
export const PERF_EVENT_IOC_SET_BPF = 0x40042408;
export const PERF_EVENT_IOC_ENABLE = 0x2400;

/** A tracepoint event: every hit is a sample, and so a run of the attached program. */
export function tracepointEventAttr(tracepointId: number): Buffer {
  const attr = Buffer.alloc(PerfAttr.length);
  attr.writeUInt32LE(PerfType.TRACEPOINT, PerfAttr.type);
  attr.writeUInt32LE(PerfAttr.length, PerfAttr.size);
  attr.writeBigUInt64LE(BigInt(tracepointId), PerfAttr.config);
  attr.writeBigUInt64LE(1n, PerfAttr.samplePeriod);
  attr.writeUInt32LE(1, PerfAttr.wakeupEvents);
  return attr;
}

/** A software CPU-clock event sampling `frequencyHz` times a second. */
export function cpuClockEventAttr(frequencyHz: number): Buffer {
  const attr = Buffer.alloc(PerfAttr.length);
  attr.writeUInt32LE(PerfType.SOFTWARE, PerfAttr.type);
  attr.writeUInt32LE(PerfAttr.length, PerfAttr.size);
  attr.writeBigUInt64LE(BigInt(PERF_COUNT_SW_CPU_CLOCK), PerfAttr.config);
  attr.writeBigUInt64LE(BigInt(frequencyHz), PerfAttr.samplePeriod);
  attr.writeBigUInt64LE(FLAG_FREQ, PerfAttr.flags);
  return attr;
}

/**
 * Fills a zeroed attr for a uprobe through the uprobe PMU (`pmuType` from
 * /sys/bus/event_source/devices/uprobe/type): `pathAddress` points to the NUL-terminated path,
 * which must stay alive until perf_event_open returns; `config` carries the retprobe bit when
 * the probe is on returns.
 */
export function fillUprobeEventAttr(attr: Buffer, pmuType: number, pathAddress: bigint, fileOffset: number, config: bigint): void {
  attr.writeUInt32LE(pmuType, PerfAttr.type);
  attr.writeUInt32LE(PerfAttr.length, PerfAttr.size);
  attr.writeBigUInt64LE(config, PerfAttr.config);
  attr.writeBigUInt64LE(1n, PerfAttr.samplePeriod);
  attr.writeUInt32LE(1, PerfAttr.wakeupEvents);
  attr.writeBigUInt64LE(pathAddress, PerfAttr.config1);
  attr.writeBigUInt64LE(BigInt(fileOffset), PerfAttr.config2);
}
