// Naming cgroup ids: from the walk at the start, from events of cgroups made later, one more walk
// for an id neither knows; and the node's files read as hostile input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CgroupSources } from '../../src/runtime/cgroup-names.js';
import { CgroupNames } from '../../src/runtime/cgroup-names.js';
import { procCgroupSources, readInside } from '../../src/runtime/cgroup-sources.js';
import { cgroupFilterMatches } from '../../src/runtime/cgroup-run.js';

const ID = '0123456789abcdef'.repeat(4);
const UID = '0b6c1e2a-5d3f-4e7a-9c11-2f3e4d5c6b7a';

function sources(tree: { id: bigint; path: string }[], walks: { n: number }): CgroupSources {
  return {
    walk: () => {
      walks.n++;
      return [...tree];
    },
    pods: () => new Map([[UID, { name: 'api-7d9c', namespace: 'prod' }]]),
    containerName: (c) => (c.id === ID ? 'web' : undefined),
  };
}

test('names come from the walk, then from events; an unknown id walks once more, then reads NULL', () => {
  const tree = [{ id: 1n, path: '/' }, { id: 10n, path: `/kubepods.slice/kubepods-pod${UID.replaceAll('-', '_')}.slice/cri-containerd-${ID}.scope` }];
  const walks = { n: 0 };
  const names = new CgroupNames(sources(tree, walks), () => 5n);
  assert.equal(walks.n, 1);
  assert.equal(names.text('cgroup', 1n), '/');
  assert.equal(names.text('container_id', 1n), null);
  assert.equal(names.text('container_id', 10n), ID);
  assert.equal(names.text('container_runtime', 10n), 'containerd');
  assert.equal(names.text('container_name', 10n), 'web');
  assert.equal(names.text('pod_uid', 10n), UID);
  assert.equal(names.text('pod_name', 10n), 'api-7d9c');
  assert.equal(names.text('pod_namespace', 10n), 'prod');
  // Made and removed during the query: gone from the tree, still named.
  names.made(11n, `/docker-${ID}.scope`, 7n);
  names.removed(11n, 9n);
  assert.equal(names.text('container_runtime', 11n), 'docker');
  assert.equal(walks.n, 1);
  assert.equal(names.text('cgroup', 12n), null);
  assert.equal(walks.n, 2);
  assert.equal(names.text('pod_name', 12n), null);
  assert.equal(walks.n, 2);
  const made = names.all().find((i) => i.id === 11n)!;
  assert.equal(made.firstSeen, 7n);
  assert.equal(made.removed, 9n);
});

test('set filters decide on the text as DuckDB would: NULL matches nothing', () => {
  const names = new CgroupNames(sources([{ id: 10n, path: `/x/docker-${ID}.scope` }, { id: 2n, path: '/x' }], { n: 0 }), () => 0n);
  const c = names.info(10n)!;
  assert.ok(cgroupFilterMatches({ attr: 'container_id', match: 'equals', value: ID.slice(0, 12) }, c));
  assert.ok(!cgroupFilterMatches({ attr: 'container_name', match: 'equals', value: 'we' }, c));
  assert.ok(cgroupFilterMatches({ attr: 'cgroup', match: 'like', value: '/x/%' }, c));
  assert.ok(!cgroupFilterMatches({ attr: 'cgroup', match: 'like', value: '/x/%' }, names.info(2n)!));
  assert.ok(!cgroupFilterMatches({ attr: 'pod_name', match: 'like', value: '%' }, c));
});

test('Docker names and pods from the node\'s files: bounded, no links out, bad JSON is no name', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfql-names-'));
  try {
    const docker = join(dir, 'docker');
    const pods = join(dir, 'pods');
    const config = (id: string, text: string): void => {
      mkdirSync(join(docker, 'containers', id), { recursive: true });
      writeFileSync(join(docker, 'containers', id, 'config.v2.json'), text);
    };
    config(ID, JSON.stringify({ Name: '/web-1', Config: {} }));
    const bad = 'f'.repeat(64);
    config(bad, '{"Name": "/trunc');
    const linked = 'e'.repeat(64);
    mkdirSync(join(docker, 'containers', linked), { recursive: true });
    writeFileSync(join(dir, 'secret.json'), JSON.stringify({ Name: '/secret' }));
    symlinkSync(join(dir, 'secret.json'), join(docker, 'containers', linked, 'config.v2.json'));
    const notName = 'd'.repeat(64);
    config(notName, JSON.stringify({ Name: 42 }));
    mkdirSync(join(pods, `prod_api-7d9c_${UID}`), { recursive: true });
    mkdirSync(join(pods, 'junk_dir'), { recursive: true });
    const s = procCgroupSources(dir, { dockerRoot: docker, podsLogDir: pods, containersLogDir: join(dir, 'none') });
    assert.equal(s.containerName({ runtime: 'docker', id: ID }), 'web-1');
    assert.equal(s.containerName({ runtime: 'docker', id: bad }), undefined);
    assert.equal(s.containerName({ runtime: 'docker', id: linked }), undefined);
    assert.equal(s.containerName({ runtime: 'docker', id: notName }), undefined);
    assert.equal(s.containerName({ runtime: 'containerd', id: ID }), undefined);
    assert.deepEqual([...s.pods()], [[UID, { name: 'api-7d9c', namespace: 'prod' }]]);
    assert.equal(readInside(docker, '../secret.json', 1000), undefined);
    assert.equal(readInside(docker, join('containers', ID, 'config.v2.json'), 5), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
