/** Runtime sockets are looked for under the host root (HOST_ROOT), as Falco's container plugin does. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { optionsFromContainerPluginConfig } from '../src';
import { pickSocket } from '../src/sockets';

describe('runtime sockets under HOST_ROOT', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'host-root-'));
    mkdirSync(join(root, 'var/run'), { recursive: true });
    writeFileSync(join(root, 'var/run/docker.sock'), '');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('joins the host root to the default and the configured candidates, and picks the one that exists', () => {
    expect(pickSocket({ hostRoot: root }, ['/run/docker.sock', '/var/run/docker.sock'])).toBe(join(root, 'var/run/docker.sock'));
    expect(pickSocket({ hostRoot: root, sockets: ['/nowhere.sock', '/var/run/docker.sock'] }, ['/x'])).toBe(join(root, 'var/run/docker.sock'));
    // none exists: the first candidate, still under the host root
    expect(pickSocket({ hostRoot: root }, ['/run/podman/podman.sock'])).toBe(join(root, 'run/podman/podman.sock'));
    // an explicit socket path is used as given; no host root means the paths as they are
    expect(pickSocket({ hostRoot: root, socketPath: '/tmp/d.sock' }, ['/x'])).toBe('/tmp/d.sock');
    expect(pickSocket({ hostRoot: '/' }, ['/var/run/docker.sock'])).toBe('/var/run/docker.sock');
  });

  it('the container plugin configuration carries the host root to every enabled engine', () => {
    const options = optionsFromContainerPluginConfig({ engines: { docker: { sockets: ['/var/run/docker.sock'] }, cri: { enabled: false } } }, '/host');
    expect(options.providers).toEqual({
      docker: { sockets: ['/var/run/docker.sock'], hostRoot: '/host' },
      podman: { hostRoot: '/host' },
      containerd: { hostRoot: '/host' },
    });
    expect(optionsFromContainerPluginConfig({}, '').providers).toEqual({ docker: {}, podman: {}, containerd: {}, cri: {} });
  });
});
