import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cgroup2MountPoint, parseMountinfo } from '../../src/kernel/cgroup.js';

// As on the development machines: cgroup v1 controllers plus the unified hierarchy (hybrid).
const HYBRID = `22 28 0:20 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
31 22 0:27 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
32 31 0:28 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,xattr,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
35 31 0:31 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,memory
`;

// A pure v2 system: one cgroup2 mount at /sys/fs/cgroup, with two optional fields.
const PURE_V2 = `24 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
30 24 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 master:1 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
`;

// A container that sees its own part of the hierarchy first, and a path with a space (\\040).
const CONTAINER = `600 500 0:26 /docker/abc /sys/fs/cgroup ro,nosuid - cgroup2 cgroup rw
601 500 0:26 / /mnt/all\\040cgroups rw - cgroup2 cgroup rw
`;

test('parses root, mount point and filesystem type, with or without optional fields', () => {
  assert.deepEqual(parseMountinfo(PURE_V2), [
    { root: '/', mountPoint: '/', fsType: 'ext4' },
    { root: '/', mountPoint: '/sys/fs/cgroup', fsType: 'cgroup2' },
  ]);
});

test('undoes the octal escapes of mountinfo', () => {
  assert.deepEqual(parseMountinfo(CONTAINER)[1], { root: '/', mountPoint: '/mnt/all cgroups', fsType: 'cgroup2' });
});

test('finds the cgroup v2 mount on hybrid and pure v2 systems', () => {
  assert.equal(cgroup2MountPoint(HYBRID), '/sys/fs/cgroup/unified');
  assert.equal(cgroup2MountPoint(PURE_V2), '/sys/fs/cgroup');
});

test('prefers a mount of the whole hierarchy over a mount of a subdirectory', () => {
  assert.equal(cgroup2MountPoint(CONTAINER), '/mnt/all cgroups');
  assert.equal(cgroup2MountPoint(CONTAINER.split('\n')[0]!), '/sys/fs/cgroup');
});

test('no cgroup2 mount, and lines that are not mountinfo', () => {
  assert.equal(cgroup2MountPoint(HYBRID.split('\n').filter((l) => !l.includes('cgroup2')).join('\n')), undefined);
  assert.deepEqual(parseMountinfo('garbage\n\n1 2 3 4 5 6 7\n'), []);
});
