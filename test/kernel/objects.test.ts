import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { BpfCmd } from '../../src/kernel/bpf-cmd.js';
import { listMaps, listPrograms } from '../../src/kernel/objects.js';
import { setSys } from '../../src/kernel/sys.js';
import { FakeSys } from './fake-sys.js';

afterEach(() => setSys(undefined));

/** A kernel holding objects by id; `gone` ids disappear between GET_NEXT_ID and GET_FD_BY_ID. */
function kernel(ids: number[], gone: number[], nextCmd: number, fdCmd: number, nameAt: number): FakeSys {
  const fake = new FakeSys();
  const fdToId = new Map<number, number>();
  fake.onBpf = (cmd, attr, f) => {
    if (cmd === nextCmd) {
      const next = ids.find((id) => id > attr.readUInt32LE(0));
      if (next === undefined) return -2;
      attr.writeUInt32LE(next, 4);
      return 0;
    }
    if (cmd === fdCmd) {
      const id = attr.readUInt32LE(0);
      if (gone.includes(id)) return -2;
      fdToId.set(id + 1000, id);
      return id + 1000;
    }
    if (cmd === BpfCmd.OBJ_GET_INFO_BY_FD) {
      const id = fdToId.get(attr.readUInt32LE(0))!;
      const info = f.deref(attr.readBigUInt64LE(8));
      assert.equal(info.length, attr.readUInt32LE(4));
      info.writeUInt32LE(id % 7, 0);
      info.writeUInt32LE(id, 4);
      info.write(`obj_${id}_with_a_long_name`.slice(0, 15), nameAt, 'latin1');
      return 0;
    }
    return -22;
  };
  setSys(fake);
  return fake;
}

test('lists programs by id, skipping ones freed meanwhile, and closes every fd it opened', () => {
  const fake = kernel([3, 8, 12], [8], BpfCmd.PROG_GET_NEXT_ID, BpfCmd.PROG_GET_FD_BY_ID, 64);
  assert.deepEqual(listPrograms(), [
    { id: 3, name: 'obj_3_with_a_lo', type: 3 },
    { id: 12, name: 'obj_12_with_a_l', type: 5 },
  ]);
  assert.deepEqual(fake.closed, [1003, 1012]);
});

test('lists maps the same way, with the map info layout', () => {
  const fake = kernel([4], [], BpfCmd.MAP_GET_NEXT_ID, BpfCmd.MAP_GET_FD_BY_ID, 24);
  assert.deepEqual(listMaps(), [{ id: 4, name: 'obj_4_with_a_lo', type: 4 }]);
  assert.deepEqual(fake.closed, [1004]);
});
