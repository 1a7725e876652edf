import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { BpfCmd, ProgLoad } from '../../src/kernel/bpf-cmd.js';
import { KernelError, PRIVILEGES_NEEDED, VerifierError } from '../../src/kernel/errors.js';
import { BpfProgram } from '../../src/kernel/program.js';
import { setSys } from '../../src/kernel/sys.js';
import { FakeSys, cString } from './fake-sys.js';

const EPERM = 1;
const EACCES = 13;
const ENOSPC = 28;
const PROG_FD = 11;

// mov64 r0, 0; exit
const insns = Buffer.from([0xb7, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]);

const LOG = [
  '0: R1=ctx() R10=fp0',
  '0: (95) exit',
  'R0 !read_ok',
  'processed 1 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0',
  '',
].join('\n');

function fake(): FakeSys {
  const f = new FakeSys();
  setSys(f);
  return f;
}

afterEach(() => setSys(undefined));

test('lays out BPF_PROG_LOAD at the documented offsets, without a log on the first try', () => {
  const f = fake();
  f.onBpf = () => PROG_FD;
  const prog = BpfProgram.load({ name: 'q1_exec_count', type: 'raw_tracepoint', insns, license: 'GPL' });
  assert.equal(prog.fd, PROG_FD);
  assert.equal(f.bpfCalls.length, 1);
  const { cmd, attr, size } = f.bpfCalls[0]!;
  assert.equal(cmd, 5);
  assert.equal(size, 144);
  assert.equal(attr.readUInt32LE(0), 17); // BPF_PROG_TYPE_RAW_TRACEPOINT
  assert.equal(attr.readUInt32LE(4), 2); // insn_cnt
  assert.equal(f.deref(attr.readBigUInt64LE(8)), insns);
  assert.equal(cString(f.deref(attr.readBigUInt64LE(16))), 'GPL');
  assert.equal(attr.readUInt32LE(24), 0); // log_level
  assert.equal(attr.readUInt32LE(28), 0); // log_size
  assert.equal(attr.readBigUInt64LE(32), 0n); // log_buf
  assert.equal(attr.readUInt32LE(40), 0); // kern_version
  assert.equal(attr.readUInt32LE(44), 0); // prog_flags
  assert.equal(cString(attr.subarray(48, 64)), 'q1_exec_count');
  assert.equal(attr.readUInt32LE(68), 0); // expected_attach_type
});

test('program types map to their kernel numbers', () => {
  const f = fake();
  f.onBpf = () => PROG_FD;
  for (const type of ['tracepoint', 'raw_tracepoint', 'perf_event'] as const) {
    BpfProgram.load({ name: type, type, insns, license: 'GPL' });
  }
  assert.deepEqual(f.bpfCalls.map((c) => c.attr.readUInt32LE(ProgLoad.progType)), [5, 17, 7]);
});

test('a rejected program is loaded again with a log, and the log becomes a VerifierError', () => {
  const f = fake();
  f.onBpf = (cmd, attr, fk) => {
    assert.equal(cmd, BpfCmd.PROG_LOAD);
    if (attr.readUInt32LE(ProgLoad.logLevel) === 0) return -EACCES;
    const log = fk.deref(attr.readBigUInt64LE(ProgLoad.logBuf));
    assert.equal(log.length, attr.readUInt32LE(ProgLoad.logSize));
    log.write(`${LOG}\0`);
    return -EACCES;
  };
  assert.throws(
    () => BpfProgram.load({ name: 'bad', type: 'tracepoint', insns, license: 'GPL' }),
    (e: unknown) => {
      assert.ok(e instanceof VerifierError);
      assert.ok(e instanceof KernelError);
      assert.equal(e.log, LOG);
      assert.equal(e.errno, EACCES);
      assert.equal(e.code, 'EACCES');
      assert.equal(e.op, 'BPF_PROG_LOAD');
      assert.equal(e.message, "the kernel verifier rejected program 'bad' (EACCES): R0 !read_ok");
      assert.equal(e.tail(2), `R0 !read_ok\n${LOG.split('\n')[3]}`);
      return true;
    },
  );
  assert.deepEqual(f.bpfCalls.map((c) => c.attr.readUInt32LE(ProgLoad.logLevel)), [0, 1]);
});

test('a log that does not fit is retried with the size the kernel asked for', () => {
  const f = fake();
  const needed = (1 << 20) + 12345;
  f.onBpf = (_cmd, attr, fk) => {
    if (attr.readUInt32LE(ProgLoad.logLevel) === 0) return -EACCES;
    const size = attr.readUInt32LE(ProgLoad.logSize);
    if (size < needed) {
      attr.writeUInt32LE(needed, ProgLoad.logTrueSize);
      return -ENOSPC;
    }
    fk.deref(attr.readBigUInt64LE(ProgLoad.logBuf)).write(`${LOG}\0`);
    return -EACCES;
  };
  assert.throws(
    () => BpfProgram.load({ name: 'big', type: 'tracepoint', insns, license: 'GPL' }),
    (e: unknown) => e instanceof VerifierError && e.log === LOG,
  );
  assert.deepEqual(f.bpfCalls.map((c) => c.attr.readUInt32LE(ProgLoad.logSize)), [0, 1 << 20, needed]);
});

test('a program that loads on the retry is returned', () => {
  const f = fake();
  f.onBpf = (_cmd, attr) => (attr.readUInt32LE(ProgLoad.logLevel) === 0 ? -EACCES : PROG_FD);
  assert.equal(BpfProgram.load({ name: 'p', type: 'tracepoint', insns, license: 'GPL' }).fd, PROG_FD);
});

test('EPERM is not retried and says root is needed', () => {
  const f = fake();
  f.onBpf = () => -EPERM;
  assert.throws(
    () => BpfProgram.load({ name: 'p', type: 'tracepoint', insns, license: 'GPL' }),
    (e: unknown) => {
      assert.ok(e instanceof KernelError);
      assert.ok(!(e instanceof VerifierError));
      assert.equal(e.code, 'EPERM');
      assert.equal(e.hint, PRIVILEGES_NEEDED);
      return true;
    },
  );
  assert.equal(f.bpfCalls.length, 1);
});

test('a failure with an empty log is a plain KernelError', () => {
  const f = fake();
  f.onBpf = () => -22;
  assert.throws(
    () => BpfProgram.load({ name: 'p', type: 'tracepoint', insns, license: 'GPL' }),
    (e: unknown) => e instanceof KernelError && !(e instanceof VerifierError) && e.code === 'EINVAL',
  );
});

test('refuses instruction bytes that are not whole instructions', () => {
  fake();
  assert.throws(() => BpfProgram.load({ name: 'p', type: 'tracepoint', insns: Buffer.alloc(12), license: 'GPL' }), RangeError);
  assert.throws(() => BpfProgram.load({ name: 'p', type: 'tracepoint', insns: Buffer.alloc(0), license: 'GPL' }), RangeError);
});

test('a tp_btf program loads as a tracing program for BPF_TRACE_RAW_TP, with the BTF id of its event', () => {
  const f = fake();
  f.onBpf = () => PROG_FD;
  BpfProgram.load({ name: 'q_exit', type: 'tracing', attachBtfId: 10294, insns, license: 'GPL' });
  const attr = f.bpfCalls[0]!.attr;
  assert.equal(attr.readUInt32LE(ProgLoad.progType), 26); // BPF_PROG_TYPE_TRACING
  assert.equal(attr.readUInt32LE(68), 23); // expected_attach_type BPF_TRACE_RAW_TP
  assert.equal(attr.readUInt32LE(108), 10294); // attach_btf_id
});

test('a load the verifier gave up on because a signal arrived (EAGAIN) is tried again', () => {
  const f = fake();
  const EAGAIN = 11;
  let calls = 0;
  f.onBpf = () => (++calls <= 2 ? -EAGAIN : PROG_FD);
  const prog = BpfProgram.load({ name: 'interrupted', type: 'raw_tracepoint', insns, license: 'GPL' });
  assert.equal(prog.fd, PROG_FD);
  assert.equal(f.bpfCalls.length, 3);
});

test('a load that keeps failing with EAGAIN stops after a bounded number of tries', () => {
  const f = fake();
  const EAGAIN = 11;
  f.onBpf = () => -EAGAIN;
  assert.throws(() => BpfProgram.load({ name: 'always', type: 'raw_tracepoint', insns, license: 'GPL' }), KernelError);
  // 6 tries without a log, then 6 with one (the log stays empty, so the error is the errno's).
  assert.equal(f.bpfCalls.length, 12);
});
