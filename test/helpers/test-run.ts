// Runs generated programs in the kernel without a live event. A query over a tracepoint table is
// compiled as bpfql compiles it, then loaded as a raw-tracepoint program (the same instructions:
// R6 = context, record fields read at their format offsets) and run with BPF_PROG_TEST_RUN on a
// context the test builds: for a raw tracepoint the context is an array of u64 arguments, which
// the verifier lets the program read at aligned offsets below 96 bytes, so a synthetic record
// whose fields lie below 96 bytes stands in for the tracepoint's. What the program wrote is read
// back through bpfql's own readers (the aggregation map and its decoder, the ring buffer and the
// record decoder), so a test checks generated code, map layout and decoding together. A paired
// table's entry program is loaded too, and pairs with the main one when both run from one thread.
import { encode } from '../../src/bpf/index.js';
import { AGG_MAP } from '../../src/bpf-templates/aggregate-program.js';
import { compileKernelPlan, type CompiledProgram } from '../../src/bpf-templates/compile.js';
import { STAT_COUNT, STATS_MAP, Stat, type StatName } from '../../src/bpf-templates/stats.js';
import { RING_MAP } from '../../src/bpf-templates/stream-program.js';
import type { ColumnBatch } from '../../src/catalog/types.js';
import { parseFormat } from '../../src/catalog/format.js';
import { readAggregates } from '../../src/runtime/aggregate-run.js';
import { possibleCpus } from '../../src/kernel/cpus.js';
import { BpfMap } from '../../src/kernel/map.js';
import { BpfProgram } from '../../src/kernel/program.js';
import { RingBuffer } from '../../src/kernel/ringbuf.js';
import { KernelScope } from '../../src/kernel/scope.js';
import type { Plan } from '../../src/planner/plan.js';
import type { PlannerEnv } from '../../src/planner/offsets.js';
import { planQuery, type PlanOptions } from '../../src/planner/planner.js';
import { parseStatement } from '../../src/query/parse.js';
import { RecordDecoder } from '../../src/runtime/decode-records.js';
import { fixtureCatalog, fixturePlannerEnv } from './fixture-catalog.js';

/** A raw tracepoint's context holds at most 12 u64 arguments (MAX_BPF_FUNC_ARGS). */
export const CONTEXT_BYTES = 96;

/** Where FIELDS's __data_loc string's text is put in a record. */
const PATH_TEXT_OFFSET = 72;

/**
 * The format of `tracepoint.bpfqltest.fields`, a tracepoint made up for these tests: one integer
 * field of every size and signedness, a char array and a __data_loc string, all below 96 bytes.
 */
export const FIELDS_FORMAT = `name: fields
ID: 4242
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

\tfield:s8 s8;\toffset:8;\tsize:1;\tsigned:1;
\tfield:u8 u8;\toffset:9;\tsize:1;\tsigned:0;
\tfield:s16 s16;\toffset:10;\tsize:2;\tsigned:1;
\tfield:u16 u16;\toffset:12;\tsize:2;\tsigned:0;
\tfield:s32 s32;\toffset:16;\tsize:4;\tsigned:1;
\tfield:u32 u32;\toffset:20;\tsize:4;\tsigned:0;
\tfield:s64 s64;\toffset:24;\tsize:8;\tsigned:1;
\tfield:u64 u64;\toffset:32;\tsize:8;\tsigned:0;
\tfield:char label[16];\toffset:40;\tsize:16;\tsigned:0;
\tfield:__data_loc char[] path;\toffset:56;\tsize:4;\tsigned:0;
\tfield:long s64b;\toffset:64;\tsize:8;\tsigned:1;

print fmt: "made up for tests"
`;

export const FIELDS_TABLE = 'tracepoint.bpfqltest.fields';

const FIELDS = new Map(parseFormat(FIELDS_FORMAT).fields.map((f) => [f.name, f]));

export type RecordValues = Readonly<Record<string, bigint | string>>;

/** A 96-byte context holding a record of FIELDS_FORMAT; fields not given are zero. */
export function fieldsRecord(values: RecordValues): Buffer {
  const buf = Buffer.alloc(CONTEXT_BYTES);
  for (const [name, v] of Object.entries(values)) {
    const f = FIELDS.get(name);
    if (f === undefined) throw new Error(`no field ${name} in ${FIELDS_TABLE}`);
    if (typeof v === 'string') {
      if (f.layout.kind === 'char-array') {
        if (v.length >= f.size) throw new Error(`'${v}' does not fit ${name}`);
        buf.write(v, f.offset, 'latin1');
      } else if (f.layout.kind === 'data-loc-string') {
        if (PATH_TEXT_OFFSET + v.length + 1 > CONTEXT_BYTES) throw new Error(`'${v}' does not fit the record`);
        buf.write(v, PATH_TEXT_OFFSET, 'latin1');
        buf.writeUInt32LE(((v.length + 1) << 16) | PATH_TEXT_OFFSET, f.offset);
      } else throw new Error(`${name} is not a string field`);
      continue;
    }
    if (f.layout.kind !== 'int') throw new Error(`${name} is not an integer field`);
    const bits = f.size * 8;
    const lo = f.signed ? -(1n << BigInt(bits - 1)) : 0n;
    const hi = f.signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
    if (v < lo || v > hi) throw new Error(`${v} does not fit ${name} (${f.cType})`);
    const raw = BigInt.asUintN(bits, v);
    switch (f.size) {
      case 1: buf.writeUInt8(Number(raw), f.offset); break;
      case 2: buf.writeUInt16LE(Number(raw), f.offset); break;
      case 4: buf.writeUInt32LE(Number(raw), f.offset); break;
      default: buf.writeBigUInt64LE(raw, f.offset);
    }
  }
  return buf;
}

/** The largest and smallest values of a FIELDS_FORMAT integer field. */
export function fieldRange(name: string): { readonly lo: bigint; readonly hi: bigint } {
  const f = FIELDS.get(name);
  if (f === undefined || f.layout.kind !== 'int') throw new Error(`no integer field ${name}`);
  const bits = BigInt(f.size * 8);
  return f.signed ? { lo: -(1n << (bits - 1n)), hi: (1n << (bits - 1n)) - 1n } : { lo: 0n, hi: (1n << bits) - 1n };
}

/** Plans and compiles `sql` as bpfql does, over the fixture formats and FIELDS_FORMAT. */
export function compileQuery(sql: string, opts: PlanOptions = {}, env: PlannerEnv = fixturePlannerEnv): { plan: Plan; program: CompiledProgram } {
  const s = parseStatement(sql);
  if (s.kind !== 'query') throw new Error(`not a query: ${sql}`);
  const plan = planQuery(s.query, fixtureCatalog({ 'bpfqltest/fields': FIELDS_FORMAT }), env, opts);
  return { plan, program: compileKernelPlan(plan.kernel, plan.table) };
}

/** Counters of the stats map, summed over CPUs, and per CPU. */
export interface StatCounts {
  readonly total: Readonly<Record<StatName, bigint>>;
  readonly perCpu: readonly Readonly<Record<StatName, bigint>>[];
}

/** A query's program loaded as a raw tracepoint program with its maps, ready to run on records. */
export class TestRun {
  private readonly scope = new KernelScope();
  private readonly maps = new Map<string, BpfMap>();
  private readonly program: BpfProgram;
  /** Paired tables: the entry event's program, sharing the maps (the pairs map among them). */
  private readonly entry: BpfProgram | undefined;
  private ring: RingBuffer | undefined;
  private decoder: RecordDecoder | undefined;

  private constructor(readonly sql: string, readonly plan: Plan, readonly compiled: CompiledProgram) {
    try {
      for (const spec of compiled.maps) this.maps.set(spec.name, this.scope.add(BpfMap.create({ ...spec, name: `tr_${spec.name}` })));
      if (compiled.entries.length > 1) throw new Error(`${sql}: TestRun runs one entry program at most`);
      const fds = new Map([...this.maps].map(([name, m]) => [name, m.fd]));
      // Both programs key a pair by the current thread: runs from this thread pair up.
      const entry = compiled.entries[0];
      this.entry = entry && this.scope.add(BpfProgram.load({ name: 'tr_entry', type: 'raw_tracepoint', insns: encode(entry.assembled, fds), license: 'GPL' }));
      this.program = this.scope.add(BpfProgram.load({ name: 'tr_query', type: 'raw_tracepoint', insns: encode(compiled.assembled, fds), license: 'GPL' }));
    } catch (e) {
      this.scope.closeAll();
      throw e;
    }
  }

  /** @param env struct offsets: the fixtures' by default; the running kernel's (from BTF) for columns read from the current task. */
  static load(sql: string, opts: PlanOptions = {}, env: PlannerEnv = fixturePlannerEnv): TestRun {
    const { plan, program } = compileQuery(sql, opts, env);
    return new TestRun(sql, plan, program);
  }

  /** Runs the program once on `context` (on `cpu` when given); returns its return value. */
  run(context: Buffer, cpu?: number): number {
    if (context.length !== CONTEXT_BYTES) throw new Error(`a context has ${CONTEXT_BYTES} bytes, not ${context.length}`);
    return this.program.testRun(context, cpu);
  }

  /** Paired tables: runs the entry event's program once on `context` (its record), from this thread. */
  runEntry(context: Buffer): number {
    if (this.entry === undefined) throw new Error(`${this.sql}: not a paired table`);
    if (context.length !== CONTEXT_BYTES) throw new Error(`a context has ${CONTEXT_BYTES} bytes, not ${context.length}`);
    return this.entry.testRun(context);
  }

  /** Aggregate mode: the map's contents, merged over CPUs and decoded as bpfql decodes them. */
  aggregate(): ColumnBatch {
    return readAggregates(this.plan.kernel, this.map(AGG_MAP));
  }

  /** Aggregate mode: each key's raw value bytes, one Buffer per possible CPU (not decoded). */
  rawAggregates(): { readonly key: Buffer; readonly perCpu: readonly Buffer[] }[] {
    const mode = this.plan.kernel.mode;
    if (mode.kind !== 'aggregate') throw new Error('not an aggregate plan');
    const cpus = possibleCpus();
    const slot = (mode.valueSize + 7) & ~7;
    const out: { key: Buffer; perCpu: Buffer[] }[] = [];
    this.map(AGG_MAP).forEachBatch((keys, values, count) => {
      for (let i = 0; i < count; i++) {
        const value = values.subarray(i * slot * cpus, (i + 1) * slot * cpus);
        out.push({
          key: Buffer.from(keys.subarray(i * mode.keySize, (i + 1) * mode.keySize)),
          perCpu: Array.from({ length: cpus }, (_, c) => Buffer.from(value.subarray(c * slot, c * slot + mode.valueSize))),
        });
      }
    });
    return out;
  }

  /** Stream mode: the records in the ring buffer so far, decoded (timestamps as monotonic ns). */
  records(): ColumnBatch {
    if (this.plan.kernel.mode.kind !== 'stream') throw new Error('not a streaming plan');
    this.ring ??= this.scope.add(new RingBuffer(this.map(RING_MAP)));
    const decoder = (this.decoder ??= new RecordDecoder(this.plan.kernel.mode, 0n));
    this.ring.poll((view, offset) => decoder.push(Buffer.from(view.buffer, view.byteOffset, view.byteLength), offset), Infinity);
    return decoder.take();
  }

  stats(): StatCounts {
    const cpus = possibleCpus();
    const slot = STAT_COUNT * 8;
    const value = Buffer.alloc(slot * cpus);
    if (!this.map(STATS_MAP).lookup(Buffer.alloc(4), value)) throw new Error('the stats map has no entry 0');
    const names = Object.keys(Stat) as StatName[];
    const perCpu = Array.from({ length: cpus }, (_, c) => Object.fromEntries(names.map((n) => [n, value.readBigUInt64LE(c * slot + Stat[n] * 8)])) as Record<StatName, bigint>);
    const total = Object.fromEntries(names.map((n) => [n, perCpu.reduce((s, p) => s + p[n], 0n)])) as Record<StatName, bigint>;
    return { total, perCpu };
  }

  close(): void {
    this.scope.closeAll();
  }

  private map(name: string): BpfMap {
    const m = this.maps.get(name);
    if (m === undefined) throw new Error(`${this.sql}: no map '${name}'`);
    return m;
  }
}

/** Loads `sql`, hands it to `f`, and closes it whatever happens. */
export async function withTestRun<T>(sql: string, f: (t: TestRun) => T | Promise<T>, opts: PlanOptions = {}, env: PlannerEnv = fixturePlannerEnv): Promise<T> {
  const t = TestRun.load(sql, opts, env);
  try {
    return await f(t);
  } finally {
    t.close();
  }
}

/** A 96-byte context with u64 `words` at the given byte offsets (a real tracepoint's record). */
export function wordsRecord(words: Readonly<Record<number, bigint>>): Buffer {
  const buf = Buffer.alloc(CONTEXT_BYTES);
  for (const [offset, v] of Object.entries(words)) buf.writeBigUInt64LE(BigInt.asUintN(64, v), Number(offset));
  return buf;
}

/** A batch as rows of values, in column order. */
export function batchRows(b: ColumnBatch): unknown[][] {
  return Array.from({ length: b.rowCount }, (_, i) => b.data.map((d) => d.values[i]));
}
