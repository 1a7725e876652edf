// What turns the ids kernel keys and records carry into the text rows show: stack ids into
// symbolised stacks (symbolize.ts), cgroup ids into paths, containers and pods (cgroup-names.ts).
import type { CgroupText } from './cgroup-names.js';
import type { StackText } from './symbolize.js';

export interface RowNames {
  readonly stacks?: StackText;
  readonly cgroups?: CgroupText;
}
