// Attachments are held by BPF links: `bpftool link show` lists each one while it is attached and
// not after teardown, and the program counts exactly what it should through the link.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { attachPerfSampling, attachTracepoint } from '../../src/kernel/attach.js';
import { BpfMap } from '../../src/kernel/map.js';
import { listPrograms } from '../../src/kernel/objects.js';
import { BpfProgram } from '../../src/kernel/program.js';
import { KernelScope } from '../../src/kernel/scope.js';
import { Helper, R0, R1, R2, R10, insn, ldMapFd, program } from './kernel-insns.js';
import { callGetppid, needsRoot } from './kernel-root.js';

interface LinkShown {
  readonly type: string;
  readonly prog_id: number;
}

/** The types of the links bpftool shows for the program named `name` (this process's only one). */
function linksOf(name: string): string[] {
  const prog = listPrograms().find((p) => p.name === name);
  assert.ok(prog !== undefined, `program ${name} is not loaded`);
  const links = JSON.parse(execFileSync('bpftool', ['-j', 'link', 'show'], { encoding: 'utf8' })) as LinkShown[];
  return links.filter((l) => l.prog_id === prog.id).map((l) => l.type);
}

/** Adds 1 to a per-CPU counter at slot 0 for every event of this process. */
function countOwn(counter: BpfMap): Buffer {
  return program(
    insn(0x85, 0, 0, 0, Helper.getCurrentPidTgid),
    insn(0x77, R0, 0, 0, 32),
    insn(0x55, R0, 0, 10, process.pid), //   if tgid != pid goto out
    insn(0x62, R10, 0, -4, 0),
    insn(0xbf, R2, R10, 0, 0),
    insn(0x07, R2, 0, 0, -4),
    ldMapFd(R1, counter.fd),
    insn(0x85, 0, 0, 0, Helper.mapLookupElem),
    insn(0x15, R0, 0, 3, 0),
    insn(0x79, R2, R0, 0, 0),
    insn(0x07, R2, 0, 0, 1),
    insn(0x7b, R0, R2, 0, 0),
    insn(0xb7, R0, 0, 0, 0), //              out: r0 = 0
    insn(0x95, 0, 0, 0, 0),
  );
}

function total(counter: BpfMap): bigint {
  const value = Buffer.alloc(counter.valueBufferSize);
  assert.equal(counter.lookup(Buffer.alloc(4), value), true);
  let sum = 0n;
  for (let at = 0; at < value.length; at += 8) sum += value.readBigUInt64LE(at);
  return sum;
}

test('a tracepoint program is held by a perf_event link, counts through it, and the link goes with teardown', { skip: needsRoot }, () => {
  const scope = new KernelScope();
  try {
    const counter = scope.add(BpfMap.create({ name: 'kl_count', type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 }));
    const prog = scope.add(BpfProgram.load({ name: 'kl_tp_prog', type: 'tracepoint', insns: countOwn(counter), license: 'GPL' }));
    const attachment = attachTracepoint(prog, 'syscalls', 'sys_enter_getppid');
    assert.deepEqual(linksOf('kl_tp_prog'), ['perf_event']);
    callGetppid(300);
    assert.equal(total(counter), 300n);
    attachment.close();
    assert.deepEqual(linksOf('kl_tp_prog'), []);
    callGetppid(10);
    assert.equal(total(counter), 300n);
  } finally {
    scope.closeAll();
  }
});

test('sampling holds one perf_event link per online CPU', { skip: needsRoot }, () => {
  const scope = new KernelScope();
  try {
    const insns = program(insn(0xb7, R0, 0, 0, 0), insn(0x95, 0, 0, 0, 0));
    const prog = scope.add(BpfProgram.load({ name: 'kl_perf_prog', type: 'perf_event', insns, license: 'GPL' }));
    const attachment = attachPerfSampling(prog, 99);
    const online = execFileSync('getconf', ['_NPROCESSORS_ONLN'], { encoding: 'utf8' }).trim();
    assert.deepEqual(linksOf('kl_perf_prog'), Array<string>(Number(online)).fill('perf_event'));
    attachment.close();
    assert.deepEqual(linksOf('kl_perf_prog'), []);
  } finally {
    scope.closeAll();
  }
});
