// What turns the ids kernel keys and records carry into the text rows show: stack ids into
// symbolised stacks (symbolize.ts), kernel addresses into functions, cgroup ids into paths, containers and pods (cgroup-names.ts).
import type { CgroupText } from './cgroup-names.js';
import type { StackText } from './symbolize.js';

/** Names kernel code addresses (kernel-symbol columns). */
export interface KernelAddressText {
  name(address: bigint): string;
}

export interface RowNames {
  readonly stacks?: StackText;
  readonly symbols?: KernelAddressText;
  readonly cgroups?: CgroupText;
}
