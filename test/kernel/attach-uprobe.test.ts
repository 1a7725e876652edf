import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, test } from 'node:test';
import { attachUprobe } from '../../src/kernel/attach.js';
import { KernelError } from '../../src/kernel/errors.js';
import { parseFormatBit } from '../../src/kernel/pmu.js';
import { BpfProgram, type ProgramType } from '../../src/kernel/program.js';
import { setSys } from '../../src/kernel/sys.js';
import { FakeSys, cString } from './fake-sys.js';

const PROG_FD = 31;
const UPROBE_PMU = '/sys/bus/event_source/devices/uprobe';

function loaded(type: ProgramType): { fake: FakeSys; prog: BpfProgram } {
  const fake = new FakeSys();
  fake.onBpf = () => PROG_FD;
  setSys(fake);
  const prog = BpfProgram.load({ name: 'u', type, insns: Buffer.from([0xb7, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]), license: 'GPL' });
  return { fake, prog };
}

afterEach(() => setSys(undefined));

test('PMU format bits: "config:N" is bit N of config', () => {
  assert.equal(parseFormatBit('config:0\n'), 1n);
  assert.equal(parseFormatBit('config:13'), 1n << 13n);
  assert.throws(() => parseFormatBit('config:32-63\n'), /unexpected PMU format 'config:32-63'/);
});

const hasPmu = existsSync(`${UPROBE_PMU}/type`);

test('a uprobe opens one event of the uprobe PMU with the path in config1 and the file offset in config2', { skip: hasPmu ? false : `no ${UPROBE_PMU} on this machine` }, () => {
  const pmuType = Number.parseInt(readFileSync(`${UPROBE_PMU}/type`, 'latin1'), 10);
  const retprobeBit = parseFormatBit(readFileSync(`${UPROBE_PMU}/format/retprobe`, 'latin1'));
  const { fake, prog } = loaded('kprobe');
  let path = '';
  fake.onPerfEventOpen = (attr) => {
    // The path must be readable while the call runs.
    path = cString(fake.deref(attr.readBigUInt64LE(56)));
    return 77;
  };
  const att = attachUprobe(prog, '/usr/bin/some tool', 0x1139);
  const call = fake.perfCalls[0]!;
  assert.deepEqual([call.pid, call.cpu, call.groupFd, call.flags], [-1, 0, -1, 8]);
  assert.equal(call.attr.readUInt32LE(0), pmuType);
  assert.equal(call.attr.readUInt32LE(4), 136);
  assert.equal(call.attr.readBigUInt64LE(8), 0n); // config: not a return probe
  assert.equal(call.attr.readBigUInt64LE(16), 1n); // every hit is a sample
  assert.equal(call.attr.readBigUInt64LE(64), 0x1139n);
  assert.equal(path, '/usr/bin/some tool');
  // Held by a BPF link on the event (fd 31 is what the fake answers every bpf() with).
  const link = fake.bpfCalls.at(-1)!;
  assert.deepEqual([link.cmd, link.attr.readUInt32LE(0), link.attr.readUInt32LE(4), link.attr.readUInt32LE(8)], [28, PROG_FD, 77, 41]);
  assert.deepEqual(fake.ioctlCalls, []);
  att.close();
  assert.deepEqual(fake.closed, [31, 77]);

  attachUprobe(prog, '/bin/x', 16, true);
  assert.equal(fake.perfCalls[1]!.attr.readBigUInt64LE(8), retprobeBit);
});

test('uprobes need a kprobe program and say what failed', { skip: hasPmu ? false : `no ${UPROBE_PMU} on this machine` }, () => {
  const tp = loaded('tracepoint');
  assert.throws(() => attachUprobe(tp.prog, '/bin/x', 16), /program 'u' is a tracepoint program; attaching to a uprobe needs a kprobe program/);
  assert.equal(tp.fake.perfCalls.length, 0);
  const { fake, prog } = loaded('kprobe');
  fake.onPerfEventOpen = () => -2;
  assert.throws(
    () => attachUprobe(prog, '/no/such', 0x40),
    (e: unknown) => e instanceof KernelError && e.op === 'perf_event_open' && e.code === 'ENOENT' && e.hint === 'no file /no/such' && e.message.includes('uprobe /no/such+0x40'),
  );
});
