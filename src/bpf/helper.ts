// Kernel helper function ids, as numbered in enum bpf_func_id (include/uapi/linux/bpf.h,
// ___BPF_FUNC_MAPPER). Only helpers a tracer can use are listed. Keys are the kernel names
// in camelCase, so the kernel's own name can be derived for the disassembly.
export const Helper = {
  mapLookupElem: 1,
  mapUpdateElem: 2,
  mapDeleteElem: 3,
  probeRead: 4,
  ktimeGetNs: 5,
  tracePrintk: 6,
  getPrandomU32: 7,
  getSmpProcessorId: 8,
  tailCall: 12,
  getCurrentPidTgid: 14,
  getCurrentUidGid: 15,
  getCurrentComm: 16,
  perfEventRead: 22,
  perfEventOutput: 25,
  getStackid: 27,
  getCurrentTask: 35,
  getNumaNodeId: 42,
  probeReadStr: 45,
  perfEventReadValue: 55,
  perfProgReadValue: 56,
  getStack: 67,
  getCurrentCgroupId: 80,
  mapPushElem: 87,
  mapPopElem: 88,
  mapPeekElem: 89,
  sendSignal: 109,
  probeReadUser: 112,
  probeReadKernel: 113,
  probeReadUserStr: 114,
  probeReadKernelStr: 115,
  sendSignalThread: 117,
  jiffies64: 118,
  getNsCurrentPidTgid: 120,
  getCurrentAncestorCgroupId: 123,
  ktimeGetBootNs: 125,
  ringbufOutput: 130,
  ringbufReserve: 131,
  ringbufSubmit: 132,
  ringbufDiscard: 133,
  ringbufQuery: 134,
  getTaskStack: 141,
  getCurrentTaskBtf: 158,
  ktimeGetCoarseNs: 160,
  snprintf: 165,
  getFuncIp: 173,
  getAttachCookie: 174,
  taskPtRegs: 175,
  loop: 181,
  strncmp: 182,
  mapLookupPercpuElem: 195,
  ktimeGetTaiNs: 208,
} as const;

export type HelperName = keyof typeof Helper;

/** mapLookupElem -> bpf_map_lookup_elem; digits stay with the word before them (getPrandomU32 -> get_prandom_u32). */
function kernelName(key: string): string {
  return `bpf_${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
}

/** Helper id -> kernel function name, for the disassembler. */
export const helperNames: ReadonlyMap<number, string> = new Map(
  Object.entries(Helper).map(([key, id]) => [id, kernelName(key)]),
);
