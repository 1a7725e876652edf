// Cgroup paths as the container runtimes and kubelet name them, read back into containers and pods.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerIdMatches, likeMatches, parseCgroupPath, parseContainerLogName, parsePodLogDir } from '../../src/catalog/containers.js';

const ID = 'a'.repeat(8) + '0123456789abcdef'.repeat(3) + 'b'.repeat(8);
const UID = '0b6c1e2a-5d3f-4e7a-9c11-2f3e4d5c6b7a';

test('each runtime\'s naming of a container\'s cgroup gives its runtime and id', () => {
  assert.deepEqual(parseCgroupPath(`/system.slice/docker-${ID}.scope`), { container: { runtime: 'docker', id: ID } });
  assert.deepEqual(parseCgroupPath(`/docker/${ID}`), { container: { runtime: 'docker', id: ID } });
  assert.deepEqual(parseCgroupPath(`/machine.slice/libpod-${ID}.scope`), { container: { runtime: 'podman', id: ID } });
  assert.deepEqual(parseCgroupPath(`/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID.replaceAll('-', '_')}.slice/cri-containerd-${ID}.scope`),
    { container: { runtime: 'containerd', id: ID }, podUid: UID });
  assert.deepEqual(parseCgroupPath(`/kubepods.slice/kubepods-pod${UID.replaceAll('-', '_')}.slice/crio-${ID}.scope`), { container: { runtime: 'cri-o', id: ID }, podUid: UID });
  assert.deepEqual(parseCgroupPath(`/kubepods/besteffort/pod${UID}`), { podUid: UID });
  assert.deepEqual(parseCgroupPath('/system.slice/ssh.service'), { container: { runtime: 'systemd', name: 'ssh' } });
});

test('a container\'s own sub-cgroups are in it; other paths are in none', () => {
  assert.deepEqual(parseCgroupPath(`/system.slice/docker-${ID}.scope/init.scope/nginx.service`), { container: { runtime: 'docker', id: ID } });
  assert.deepEqual(parseCgroupPath('/'), {});
  assert.deepEqual(parseCgroupPath('/user.slice/user-0.slice/session-3.scope'), {});
  // Not quite a runtime's name: an id of the wrong length, upper case, or a bare id outside /docker.
  assert.deepEqual(parseCgroupPath(`/docker-${ID.slice(1)}.scope`), {});
  assert.deepEqual(parseCgroupPath(`/docker-${ID.toUpperCase()}.scope`), {});
  assert.deepEqual(parseCgroupPath(`/other/${ID}`), {});
});

test('/var/log/pods and /var/log/containers names, hostile ones refused', () => {
  assert.deepEqual(parsePodLogDir(`kube-system_coredns-5d78c9869d-x7x2q_${UID}`), { namespace: 'kube-system', pod: 'coredns-5d78c9869d-x7x2q', uid: UID });
  assert.equal(parsePodLogDir(`a_b_c_${UID}`), undefined);
  assert.equal(parsePodLogDir(`_pod_${UID}`), undefined);
  assert.equal(parsePodLogDir('ns_pod_../../etc'), undefined);
  assert.deepEqual(parseContainerLogName(`api-7d9c_default_server-${ID}.log`), { container: 'server', id: ID });
  assert.equal(parseContainerLogName(`api_default_server-${ID}.txt`), undefined);
});

test('container_id matches the whole id or a prefix of 12 characters or more; LIKE is the whole text', () => {
  assert.ok(containerIdMatches(ID, ID));
  assert.ok(containerIdMatches(ID, ID.slice(0, 12)));
  assert.ok(!containerIdMatches(ID, ID.slice(0, 11)));
  assert.ok(!containerIdMatches(ID, `${ID.slice(0, 12)}x`));
  assert.ok(likeMatches('/kubepods.slice/x', '/kubepods.slice/%'));
  assert.ok(!likeMatches('/kubepods.slice', '/kubepods.slice/%'));
  assert.ok(likeMatches('/a.b/c', '/a_b/_'));
  assert.ok(!likeMatches('/axb/c', '/a.b/c'));
  assert.ok(likeMatches('line\nbreak', 'line%'));
  assert.ok(likeMatches('abcabd', '%ab_'));
  assert.ok(!likeMatches('abc', 'a%c%d'));
  assert.ok(likeMatches('', '%%'));
  assert.ok(!likeMatches('x', ''));
  // Many wildcards over a long path take no time to refuse.
  const started = performance.now();
  assert.ok(!likeMatches('a'.repeat(4000), `${'%a'.repeat(30)}b`));
  assert.ok(performance.now() - started < 1000);
});
