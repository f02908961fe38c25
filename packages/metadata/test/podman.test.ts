// The podman provider against a real Podman service (Debian's podman, its Docker-compatible API).
import Docker from 'dockerode';
import { MetadataService, containerField } from '../src';
import { buildBusyboxImage } from './support/dockerd';
import { startPodman, type PodmanService } from './support/podman';

jest.setTimeout(90000);
let podman: PodmanService;
let client: Docker;
let service: MetadataService;

beforeAll(async () => {
  podman = await startPodman();
  await buildBusyboxImage(podman.socketPath, 'falco-ts/busybox:test');
  client = new Docker({ socketPath: podman.socketPath });
  service = new MetadataService({ providers: { podman: { socketPath: podman.socketPath, backoff: { initialMs: 100 } } } });
});

afterAll(async () => {
  await service?.close();
  await podman?.stop();
});

async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('privileged container with host mounts and labels, as the detector sees it', async () => {
  await until(() => service.health().status === 'ok', 10000);
  const seen = new Set<string>();
  service.onContainer((i) => seen.add(i.id));
  const c = await client.createContainer({
    name: 'pod-priv',
    Image: 'falco-ts/busybox:test',
    Cmd: ['sleep', '60'],
    Labels: { app: 'shop' },
    HostConfig: { NetworkMode: 'none', Privileged: true, Binds: ['/proc:/host/proc:ro', '/etc:/host/etc'] },
  });
  await c.start();
  const info = await service.waitForContainer(c.id, 5000);
  const f = (name: string, arg?: string) => containerField(info, name, arg);
  expect({
    type: f('container.type'),
    id: f('container.id'),
    name: f('container.name'),
    image: f('container.image'),
    repository: f('container.image.repository'),
    tag: f('container.image.tag'),
    privileged: f('container.privileged'),
    procDest: f('container.mount.dest', '/proc*'),
    procRw: f('container.mount.rdwr', '/host/proc'),
    etcRw: f('container.mount.rdwr', '/host/etc'),
    label: f('container.label', 'app'),
  }).toEqual({
    type: 'podman',
    id: c.id.slice(0, 12),
    name: 'pod-priv',
    image: 'docker.io/falco-ts/busybox:test',
    repository: 'docker.io/falco-ts/busybox',
    tag: 'test',
    privileged: true,
    procDest: '/host/proc',
    procRw: 'false',
    etcRw: 'true',
    label: 'shop',
  });
  expect((await c.inspect()).State.Running).toBe(true);
  // Pushed through Podman's event stream too, not only fetched on the miss.
  await until(() => seen.has(c.id), 5000);
  await c.remove({ force: true });
});

test('a short-lived container keeps its metadata after removal', async () => {
  const c = await client.createContainer({ name: 'pod-blink', Image: 'falco-ts/busybox:test', Cmd: ['sleep', '0.05'], HostConfig: { NetworkMode: 'none' } });
  await c.start();
  await c.wait();
  await c.remove();
  const info = await service.waitForContainer(c.id, 3000);
  expect(containerField(info, 'container.name')).toBe('pod-blink');
});
