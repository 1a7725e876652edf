// A program on an open perf event (tracepoint, uprobe, cpu-clock sample) held by a BPF link:
// BPF_LINK_CREATE with attach type BPF_PERF_EVENT (kernels from 5.15). The link, not the perf
// event, then holds the program, so `bpftool link` lists it and closing the link detaches it.
// Older kernels refuse the attach type (EINVAL) or the link (EOPNOTSUPP); only then does the
// program go on the event the old way, PERF_EVENT_IOC_SET_BPF and ENABLE.
import { AttachType, BpfCmd, LinkCreate, linkCreateAttr } from './bpf-cmd.js';
import { Errno, KernelError } from './errors.js';
import { PERF_EVENT_IOC_ENABLE, PERF_EVENT_IOC_SET_BPF } from './perf-cmd.js';
import type { BpfProgram } from './program.js';
import { sys } from './sys.js';

/**
 * Runs `prog` on every sample of the perf event `perfFd` and returns the fds that hold the
 * attachment, in opening order (the perf event first). On failure closes `perfFd` and throws.
 */
export function linkPerfEvent(perfFd: number, prog: BpfProgram, what: string): number[] {
  const s = sys();
  const link = s.bpf(BpfCmd.LINK_CREATE, linkCreateAttr(prog.fd, perfFd, AttachType.PERF_EVENT), LinkCreate.size);
  if (link >= 0) return [perfFd, link];
  if (link !== -Errno.EINVAL && link !== -Errno.EOPNOTSUPP) {
    s.close(perfFd);
    throw new KernelError('BPF_LINK_CREATE', -link, { subject: what });
  }
  let r = s.ioctl(perfFd, PERF_EVENT_IOC_SET_BPF, prog.fd);
  let op = 'ioctl(PERF_EVENT_IOC_SET_BPF)';
  if (r >= 0) {
    r = s.ioctl(perfFd, PERF_EVENT_IOC_ENABLE, 0);
    op = 'ioctl(PERF_EVENT_IOC_ENABLE)';
  }
  if (r < 0) {
    s.close(perfFd);
    throw new KernelError(op, -r, { subject: what });
  }
  return [perfFd];
}
