// A program's bpf_prog_info, read by descriptor; its u64 members at the offsets vmlinux BTF gives,
// since the struct grows from kernel to kernel.
import { BpfCmd, ObjInfo, objInfoAttr } from './bpf-cmd.js';
import { vmlinuxBtf } from './btf.js';
import { KernelError } from './errors.js';
import { sys } from './sys.js';

/** Reads the info of the program behind `fd` once; the result reads its u64 members by name. */
export function readProgInfo(fd: number, subject: string): (member: string) => number {
  const btf = vmlinuxBtf();
  const info = Buffer.alloc(btf.structSize('bpf_prog_info'));
  const s = sys();
  const r = s.bpf(BpfCmd.OBJ_GET_INFO_BY_FD, objInfoAttr(fd, s.address(info), info.length), ObjInfo.size);
  if (r < 0) throw new KernelError('BPF_OBJ_GET_INFO_BY_FD', -r, { subject });
  return (member) => Number(info.readBigUInt64LE(btf.memberOffset('bpf_prog_info', member)));
}
