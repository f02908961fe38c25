import { cgroupPathOf, containerFromCgroupPath, containerFromCgroups } from '../../src/syscall/cgroups';

const ID = '3ad7b26ded6d8e7b23da7d48fe889434573036c27ae5a74837233de441c3601e';
const POD = 'pod3e41dc6b-08a8-44db-bc2a-3724b18ab19a';

describe('container id from cgroups', () => {
  it.each([
    ['docker, cgroupfs', `/docker/${ID}`, 'docker'],
    ['docker, systemd (v1 and v2)', `/system.slice/docker-${ID}.scope`, 'docker'],
    ['containerd via CRI, systemd', `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-${POD.replace(/-/g, '_')}.slice/cri-containerd-${ID}.scope`, 'containerd'],
    ['CRI, cgroupfs', `/kubepods/besteffort/${POD}/${ID}`, 'cri'],
    ['CRI, cgroupfs, guaranteed QoS', `/kubepods/${POD}/${ID}`, 'cri'],
    ['CRI-O, systemd', `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice/crio-${ID}.scope`, 'cri-o'],
    ['CRI-O, cgroupfs', `/kubepods/burstable/${POD}/crio-${ID}`, 'cri-o'],
    ['podman rootful', `/machine.slice/libpod-${ID}.scope`, 'podman'],
    ['podman rootless (v2)', `/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${ID}.scope/container`, 'podman'],
    ['podman, cgroupfs', `/libpod_parent/libpod-${ID}`, 'podman'],
    ['plain containerd', `/default/${ID}`, 'containerd'],
  ])('%s', (_what, path, runtime) => {
    const c = containerFromCgroupPath(path);
    expect(c).toEqual({ id: ID.slice(0, 12), fullId: ID, runtime });
  });

  it('names rkt containers by pod uuid and app', () => {
    const c = containerFromCgroupPath('/machine.slice/machine-rkt\\x2d4ea2a6a4\\x2d1b6a\\x2d4a0b.scope/system.slice/redis.service');
    expect(c).toEqual({ id: '4ea2a6a4-1b6a-4a0b:redis', fullId: '4ea2a6a4-1b6a-4a0b:redis', runtime: 'rkt' });
  });

  it.each([
    ['/lxc/web01', 'web01'],
    ['/lxc.payload.web01', 'web01'],
    ['/lxc.payload/web01/init.scope', 'web01'],
  ])('names LXC containers by name (%s)', (path, id) => {
    expect(containerFromCgroupPath(path)).toEqual({ id, fullId: id, runtime: 'lxc' });
  });

  it.each(['/', '/user.slice/user-1000.slice/session-2.scope', '/system.slice/sshd.service', '/init.scope'])('host cgroup %s', (path) => {
    expect(containerFromCgroupPath(path)).toBeUndefined();
  });

  it('reads both event entries and /proc/PID/cgroup lines', () => {
    expect(cgroupPathOf('cpuset=/docker/x')).toBe('/docker/x');
    expect(cgroupPathOf('0::/system.slice/a.scope')).toBe('/system.slice/a.scope');
    expect(cgroupPathOf('4:memory:/docker/y')).toBe('/docker/y');
    expect(containerFromCgroups(['cpuset=/', `memory=/docker/${ID}`])?.id).toBe(ID.slice(0, 12));
    expect(containerFromCgroups([`0::/system.slice/docker-${ID}.scope`])?.runtime).toBe('docker');
    expect(containerFromCgroups(['cpuset=/', 'memory=/'])).toBeUndefined();
  });
});
