// The file behind an fd of the current task: current->files->fdt->fd[fd], the fd checked against
// fdt->max_fds, each step a bpf_probe_read_kernel (a tracepoint program may not dereference kernel
// pointers), and from the file its inode number or its path (kept as catalog/fd-path.ts says).
//
// The path is walked up from the file's dentry, one name per step, the names written one after
// another, NUL after each, into a per-CPU scratch map twice FD_PATH_BYTES long: a name of up to
// FD_PATH_BYTES at any offset below FD_PATH_BYTES stays inside it, which the verifier can check,
// where it cannot check a write of a length known only at run time into exactly the room left.
// The first FD_PATH_BYTES are then copied out, zeroed first so that equal paths compare equal.
// At the root of a mount the walk goes on from the dentry the mount sits on, in the parent mount,
// as the kernel's d_path does; it ends at the mount that is its own parent (the top of the tree).
//
// The walk keeps the scratch pointer, the dentry and the write offset in R7–R9, which survive
// helper calls: values are fetched before any expression holds a register, so they are free here.
import { Helper, add, and, call, comment, ja, jeq, jge, jne, jsle, label, ldMap, ldx, lsh, mov, or, rsh, st, stx, sub } from '../bpf/index.js';
import type { MapSpec } from '../bpf/map-spec.js';
import type { Reg } from '../bpf/register.js';
import { R0, R1, R2, R3, R7, R8, R9, R10 } from '../bpf/register.js';
import type { Column } from '../catalog/column.js';
import { FD_PATH_BYTES, FD_PATH_LEVELS, FdPathHeader } from '../catalog/fd-path.js';
import type { FdFileOffsets } from '../planner/plan.js';
import type { Codegen } from './codegen.js';

export const FD_PATH_MAP = 'fd_path';

/** i_mode's file type bits, shifted down. */
const FILE_TYPE_SHIFT = 12;

export function usesFdPath(columns: readonly Column[]): boolean {
  return columns.some((c) => c.source.kind === 'fd-file' && c.source.part === 'path');
}

export function fdPathMaps(): MapSpec[] {
  return [{ name: FD_PATH_MAP, type: 'percpu_array', keySize: 4, valueSize: 2 * FD_PATH_BYTES, maxEntries: 1 }];
}

/** Reads `size` bytes at the kernel address in R3 into the stack slot (zeroed when unreadable). */
function readKernel(g: Codegen, slot: number, size: number, what: string): void {
  g.emit(mov.reg(R1, R10), add.imm(R1, slot), mov.imm(R2, size), comment(what, call(Helper.probeReadKernel)));
}

/** R3 = the pointer in the stack slot plus `offset`; jumps to `none` when the pointer is NULL. */
function follow(g: Codegen, slot: number, offset: number, none: string): void {
  g.emit(ldx.dw(R3, R10, slot), jeq.imm(R3, 0, none), add.imm(R3, offset));
}

/**
 * Writes the struct file pointer of the fd (which `loadFd` puts in a register) at R10+slot, 0 when
 * the task has no such fd open.
 */
export function emitFdFile(g: Codegen, o: FdFileOffsets, loadFd: (dst: Reg) => void, slot: number): void {
  const l = g.fresh('fd_file');
  const fdt = g.frame.alloc(8, 'fdtable');
  const fdBytes = g.frame.alloc(8, 'fd * 8');
  g.emit(comment('the fd\'s file: current task', call(Helper.getCurrentTask)), mov.reg(R3, R0), add.imm(R3, o.taskFiles));
  readKernel(g, slot, 8, '->files');
  follow(g, slot, o.filesFdt, `${l}_none`);
  readKernel(g, fdt, 8, '->fdt');
  follow(g, fdt, o.fdtMaxFds, `${l}_none`);
  g.emit(st.dw(R10, fdBytes, 0));
  readKernel(g, fdBytes, 4, '->max_fds');
  loadFd(R1);
  g.emit(
    ldx.dw(R2, R10, fdBytes),
    // Unsigned: a negative fd is out of range too.
    comment('fd < max_fds', jge.reg(R1, R2, `${l}_none`)),
    lsh.imm(R1, 3),
    stx.dw(R10, fdBytes, R1),
  );
  follow(g, fdt, o.fdtFd, `${l}_none`);
  readKernel(g, slot, 8, '->fd');
  g.emit(ldx.dw(R3, R10, slot), jeq.imm(R3, 0, `${l}_none`), ldx.dw(R1, R10, fdBytes), add.reg(R3, R1));
  readKernel(g, slot, 8, '[fd]');
  g.emit(ja(`${l}_done`), label(`${l}_none`), st.dw(R10, slot, 0), label(`${l}_done`));
}

/** Writes the inode number of the file at R10+fileSlot (0 for none) at R10+slot. */
export function emitFdInode(g: Codegen, o: FdFileOffsets, fileSlot: number, slot: number): void {
  const none = g.fresh('fd_inode_none');
  g.emit(comment('the file\'s inode number', st.dw(R10, slot, 0)));
  follow(g, fileSlot, o.fileInode, none);
  readKernel(g, slot, 8, '->f_inode');
  follow(g, slot, o.inodeIno, none);
  readKernel(g, slot, 8, '->i_ino');
  g.emit(label(none));
}

/**
 * Writes the path of the file at R10+fileSlot into the zeroed buffer at R10+slot: the header word,
 * then FD_PATH_BYTES of names (see catalog/fd-path.ts).
 */
export function emitFdPath(g: Codegen, o: FdFileOffsets, fileSlot: number, slot: number): void {
  const l = g.fresh('fd_path');
  const tmp = g.frame.alloc(8, 'path: pointer read');
  const mount = g.frame.alloc(8, 'path: struct mount');
  const root = g.frame.alloc(8, 'path: its root dentry');
  const parent = g.frame.alloc(8, 'path: parent mount');
  g.emit(comment('the file\'s path (none: header stays 0)', ldx.dw(R3, R10, fileSlot)), jeq.imm(R3, 0, `${l}_end`));
  g.emit(st.dw(R10, tmp, 0), ldMap(R1, FD_PATH_MAP), mov.reg(R2, R10), add.imm(R2, tmp), call(Helper.mapLookupElem), jeq.imm(R0, 0, `${l}_end`), mov.reg(R7, R0));
  for (let i = 0; i < FD_PATH_BYTES; i += 8) g.emit(i === 0 ? comment('clear the names', st.dw(R7, i, 0)) : st.dw(R7, i, 0));
  follow(g, fileSlot, o.fileDentry, `${l}_end`);
  readKernel(g, tmp, 8, '->f_path.dentry');
  g.emit(ldx.dw(R8, R10, tmp));
  follow(g, fileSlot, o.fileVfsmount, `${l}_end`);
  readKernel(g, tmp, 8, '->f_path.mnt');
  g.emit(ldx.dw(R3, R10, tmp), mov.reg(R1, R3), sub.imm(R1, o.mountOfVfsmount), stx.dw(R10, mount, R1), add.imm(R3, o.vfsmountRoot));
  readKernel(g, root, 8, '->mnt_root');
  g.emit(mov.imm(R9, 0));
  for (let i = 0; i < FD_PATH_LEVELS; i++) {
    const next = `${l}_level${i + 1}`;
    const name = `${l}_name${i}`;
    g.emit(comment(`step ${i}: the root of its mount?`, ldx.dw(R1, R10, root)), jne.reg(R8, R1, name));
    follow(g, mount, o.mountParent, `${l}_cut`);
    readKernel(g, parent, 8, '->mnt_parent');
    g.emit(ldx.dw(R1, R10, parent), ldx.dw(R2, R10, mount), comment('the top mount is its own parent', jeq.reg(R1, R2, `${l}_root`)), jeq.imm(R1, 0, `${l}_cut`));
    g.emit(mov.reg(R3, R2), add.imm(R3, o.mountMountpoint));
    readKernel(g, tmp, 8, '->mnt_mountpoint');
    g.emit(ldx.dw(R8, R10, tmp), ldx.dw(R3, R10, parent), stx.dw(R10, mount, R3), add.imm(R3, o.mountOfVfsmount + o.vfsmountRoot));
    readKernel(g, root, 8, 'parent ->mnt.mnt_root');
    g.emit(ja(next), label(name), mov.reg(R3, R8), add.imm(R3, o.dentryName));
    readKernel(g, tmp, 8, '->d_name.name');
    g.emit(
      mov.reg(R1, R9), and.imm(R1, FD_PATH_BYTES - 1), add.reg(R1, R7),
      mov.imm(R2, FD_PATH_BYTES), ldx.dw(R3, R10, tmp),
      comment('the name, NUL after it', call(Helper.probeReadKernelStr)),
      jsle.imm(R0, 0, `${l}_cut`),
      add.reg(R9, R0),
      jge.imm(R9, FD_PATH_BYTES, `${l}_cut`),
      mov.reg(R3, R8), add.imm(R3, o.dentryParent),
    );
    readKernel(g, tmp, 8, '->d_parent');
    g.emit(ldx.dw(R1, R10, tmp), comment('its own parent: in no tree', jeq.reg(R1, R8, `${l}_pseudo`)), mov.reg(R8, R1), label(next));
  }
  g.emit(comment('out of steps', ja(`${l}_cut`)), label(`${l}_root`), st.dw(R10, slot, FdPathHeader.root), ja(`${l}_copy`));
  emitPseudoHeader(g, o, { file: fileSlot, header: slot, inode: tmp, mode: parent }, l);
  g.emit(ja(`${l}_copy`), label(`${l}_cut`), st.dw(R10, slot, FdPathHeader.cut), label(`${l}_copy`));
  for (let i = 0; i < FD_PATH_BYTES; i += 8) g.emit(ldx.dw(R1, R7, i), stx.dw(R10, slot + 8 + i, R1));
  g.emit(label(`${l}_end`));
}

/** The header of a file in no tree: its type and inode number, which name pipes and sockets. */
function emitPseudoHeader(g: Codegen, o: FdFileOffsets, slots: { readonly file: number; readonly header: number; readonly inode: number; readonly mode: number }, l: string): void {
  const { inode, mode } = slots;
  const cut = `${l}_cut`;
  g.emit(label(`${l}_pseudo`));
  follow(g, slots.file, o.fileInode, cut);
  readKernel(g, inode, 8, '->f_inode');
  follow(g, inode, o.inodeMode, cut);
  g.emit(st.dw(R10, mode, 0));
  readKernel(g, mode, 2, '->i_mode');
  follow(g, inode, o.inodeIno, cut);
  readKernel(g, inode, 8, '->i_ino');
  g.emit(
    ldx.dw(R1, R10, mode), rsh.imm(R1, FILE_TYPE_SHIFT), lsh.imm(R1, 4),
    ldx.dw(R2, R10, inode), lsh.imm(R2, 8), or.reg(R1, R2), or.imm(R1, FdPathHeader.pseudo),
    stx.dw(R10, slots.header, R1),
  );
}
