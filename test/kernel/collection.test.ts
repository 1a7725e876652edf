// Loading maps and programs as one set: maps first, programs with the maps' fds in their
// instructions, and everything made closed again (newest first) when a step fails.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { assemble, exit, ldMap, mov, R0, R1 } from '../../src/bpf/index.js';
import { BpfCmd, MapCreate, ProgLoad } from '../../src/kernel/bpf-cmd.js';
import { Collection, type CollectionSpec } from '../../src/kernel/collection.js';
import { KernelError } from '../../src/kernel/errors.js';
import { setSys } from '../../src/kernel/sys.js';
import { FakeSys, cString } from './fake-sys.js';

const EINVAL = 22;
const E2BIG = 7;

afterEach(() => setSys(undefined));

const usesCounts = assemble([ldMap(R1, 'counts'), mov.imm(R0, 0), exit()]);
const plain = assemble([mov.imm(R0, 0), exit()]);

const spec: CollectionSpec = {
  maps: [
    { name: 'counts', type: 'hash', keySize: 4, valueSize: 8, maxEntries: 16 },
    { name: 'stats', type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 },
  ],
  programs: [
    { name: 'entry', type: 'tracepoint', assembled: plain, license: 'GPL' },
    { name: 'main', type: 'tracepoint', assembled: usesCounts, license: 'GPL' },
  ],
  mapNamePrefix: 'bpfql_',
};

/** A kernel that hands out fds 40, 41, …, updates any element and refuses to load the program named `refused`. */
function kernel(refused?: string): FakeSys {
  const f = new FakeSys();
  let fd = 40;
  f.onBpf = (cmd, attr) => {
    if (cmd === BpfCmd.PROG_LOAD && cString(attr.subarray(ProgLoad.progName, ProgLoad.progName + 16)) === refused) return -E2BIG;
    if (cmd === BpfCmd.MAP_UPDATE_ELEM) return 0;
    return cmd === BpfCmd.MAP_CREATE || cmd === BpfCmd.PROG_LOAD ? fd++ : -EINVAL;
  };
  setSys(f);
  return f;
}

function loads(f: FakeSys): string[] {
  return f.bpfCalls.map((c) => {
    if (c.cmd === BpfCmd.MAP_CREATE) return `map ${cString(c.attr.subarray(MapCreate.mapName, MapCreate.mapName + 16))}`;
    if (c.cmd === BpfCmd.PROG_LOAD) return `prog ${cString(c.attr.subarray(ProgLoad.progName, ProgLoad.progName + 16))}`;
    return `cmd ${c.cmd}`;
  });
}

test('creates the maps, then loads the programs with the maps\' fds in their instructions', () => {
  const f = kernel();
  const c = Collection.load(spec);
  assert.deepEqual(loads(f), ['map bpfql_counts', 'map bpfql_stats', 'prog entry', 'prog main']);
  assert.deepEqual([...c.maps].map(([name, m]) => [name, m.fd]), [['counts', 40], ['stats', 41]]);
  assert.deepEqual(c.programs.map((p) => [p.spec.name, p.fd]), [['entry', 42], ['main', 43]]);
  // ld_imm64 of map 'counts': its imm is the map's fd.
  assert.equal(c.programs[1]!.spec.insns.readInt32LE(4), 40);
  assert.deepEqual(f.closed, []);
  c.close();
  assert.deepEqual(f.closed, [43, 42, 41, 40]);
  c.close();
  assert.deepEqual(f.closed, [43, 42, 41, 40], 'a second close does nothing');
});

test('a failure loading the second program closes every fd already opened, newest first', () => {
  const f = kernel('main');
  assert.throws(() => Collection.load(spec), (e: unknown) => e instanceof KernelError && e.op === 'BPF_PROG_LOAD' && e.code === 'E2BIG');
  assert.deepEqual(loads(f).filter((l) => l !== 'prog main'), ['map bpfql_counts', 'map bpfql_stats', 'prog entry']);
  assert.deepEqual(f.closed, [42, 41, 40]);
});

test('a failure creating a map closes the maps made before it, and no program is loaded', () => {
  const f = new FakeSys();
  f.onBpf = (cmd, attr) => (cmd === BpfCmd.MAP_CREATE && cString(attr.subarray(MapCreate.mapName, MapCreate.mapName + 16)) === 'stats' ? -EINVAL : 40);
  setSys(f);
  assert.throws(() => Collection.load({ ...spec, mapNamePrefix: '' }), KernelError);
  assert.deepEqual(loads(f), ['map counts', 'map stats']);
  assert.deepEqual(f.closed, [40]);
});

test('a program naming a map the collection does not have fails before loading, closing the maps', () => {
  const f = kernel();
  const strays = { ...spec, programs: [{ name: 'stray', type: 'tracepoint' as const, assembled: assemble([ldMap(R1, 'missing'), mov.imm(R0, 0), exit()]), license: 'GPL' }] };
  assert.throws(() => Collection.load(strays), /no fd given for map 'missing'/);
  assert.deepEqual(loads(f), ['map bpfql_counts', 'map bpfql_stats']);
  assert.deepEqual(f.closed, [41, 40]);
});

test('a map-in-map is created after its inner map and starts out holding it', () => {
  const f = kernel();
  const c = Collection.load({
    maps: [
      { name: 'agg', type: 'hash', keySize: 4, valueSize: 8, maxEntries: 16 },
      { name: 'window', type: 'array_of_maps', keySize: 4, valueSize: 4, maxEntries: 1, inner: 'agg' },
    ],
    programs: [],
  });
  assert.deepEqual(loads(f), ['map agg', 'map window', `cmd ${BpfCmd.MAP_UPDATE_ELEM}`]);
  assert.equal(f.bpfCalls[1]!.attr.readUInt32LE(MapCreate.innerMapFd), 40);
  c.close();
  assert.deepEqual(f.closed, [41, 40]);
});

test('an inner map named before it is made is refused, closing what was made', () => {
  const f = kernel();
  assert.throws(() => Collection.load({
    maps: [
      { name: 'agg', type: 'hash', keySize: 4, valueSize: 8, maxEntries: 16 },
      { name: 'window', type: 'array_of_maps', keySize: 4, valueSize: 4, maxEntries: 1, inner: 'spare' },
    ],
    programs: [],
  }), /map 'window' needs map 'spare' made before it/);
  assert.deepEqual(f.closed, [40]);
});
