// The CRI provider against a real CRI implementation: containerd's CRI plugin, driven the way a
// kubelet drives it (RunPodSandbox, CreateContainer, StartContainer). CRI-O itself is not
// available on this machine; it speaks the same API.
import { MetadataService, containerField, k8sField } from '../src';
import { BUSYBOX_IMAGE, Kubelet, startCriContainerd, type CriContainerd } from './support/cri-containerd';

jest.setTimeout(120000);
let runtime: CriContainerd;
let kubelet: Kubelet;
let service: MetadataService;
let sandboxId: string;

const POD = { name: 'web-0', uid: 'a1b2c3d4-0000-4000-8000-000000000001', namespace: 'shop', attempt: 0 };
const NODE = 2;
const sandboxConfig = {
  metadata: POD,
  hostname: '',
  labels: { 'io.kubernetes.pod.name': POD.name, 'io.kubernetes.pod.namespace': POD.namespace, 'io.kubernetes.pod.uid': POD.uid },
  linux: { security_context: { privileged: true, namespace_options: { network: NODE, pid: 1, ipc: 0 } } },
};

beforeAll(async () => {
  runtime = await startCriContainerd();
  kubelet = new Kubelet(runtime.socketPath);
  service = new MetadataService({ providers: { cri: { socketPath: runtime.socketPath, pollMs: 200, backoff: { initialMs: 100 } } } });
  sandboxId = String((await kubelet.call('RunPodSandbox', { config: sandboxConfig })).pod_sandbox_id);
});

afterAll(async () => {
  await service?.close();
  if (sandboxId) {
    await kubelet.call('StopPodSandbox', { pod_sandbox_id: sandboxId }).catch(() => undefined);
    await kubelet.call('RemovePodSandbox', { pod_sandbox_id: sandboxId }).catch(() => undefined);
  }
  kubelet?.close();
  await runtime?.stop();
});

async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function createContainer(name: string, security: object, mounts: object[] = []): Promise<string> {
  const res = await kubelet.call('CreateContainer', {
    pod_sandbox_id: sandboxId,
    sandbox_config: sandboxConfig,
    config: {
      metadata: { name, attempt: 0 },
      image: { image: BUSYBOX_IMAGE },
      command: ['/bin/sleep', '60'],
      mounts,
      labels: { ...sandboxConfig.labels, 'io.kubernetes.container.name': name },
      linux: { security_context: security, resources: { memory_limit_in_bytes: 64 * 1024 * 1024 } },
    },
  });
  const id = String(res.container_id);
  await kubelet.call('StartContainer', { container_id: id });
  return id;
}

test('a privileged container with host mounts, as a kubelet creates it', async () => {
  await until(() => service.health().status === 'ok', 10000);
  const id = await createContainer('app', { privileged: true, namespace_options: { network: NODE, pid: 1, ipc: 0 } }, [
    { container_path: '/host/proc', host_path: '/proc', readonly: true },
    { container_path: '/host/etc', host_path: '/etc', readonly: false },
  ]);
  const info = await service.waitForContainer(id, 5000);
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
    etcPropagation: f('container.mount.propagation', '/host/etc'),
    hostNetwork: f('container.host_network'),
    memory: f('container.memory_limit'),
  }).toEqual({
    type: 'containerd',
    id: id.slice(0, 12),
    name: 'app',
    image: BUSYBOX_IMAGE,
    repository: 'docker.io/falco-ts/busybox',
    tag: 'test',
    privileged: true,
    procDest: '/host/proc',
    procRw: 'false',
    etcPropagation: 'rprivate',
    hostNetwork: true,
    memory: 64 * 1024 * 1024,
  });
  // A record first taken while the container was only created gains its start time on start.
  await until(() => typeof containerField(service.lookupContainer(id), 'container.start_ts') === 'bigint', 3000);
  // The kubelet's labels give k8s.* without an API server.
  const k8s = service.k8sForContainer(id);
  expect([k8sField(k8s, 'k8s.pod.name'), k8sField(k8s, 'k8s.ns.name'), k8sField(k8s, 'k8s.pod.uid')]).toEqual([POD.name, POD.namespace, POD.uid]);
  expect(k8sField(k8s, 'k8s.pod.full_sandbox_id')).toBe(sandboxId);
});

test('an unprivileged container running as a user; new containers arrive without a lookup', async () => {
  const seen = new Set<string>();
  const off = service.onContainer((i) => seen.add(i.id));
  const id = await createContainer('worker', { privileged: false, run_as_user: { value: 1000 }, namespace_options: { network: NODE, pid: 1, ipc: 0 } });
  await until(() => seen.has(id), 5000);
  off();
  const info = service.lookupContainer(id);
  expect([containerField(info, 'container.privileged'), containerField(info, 'container.user'), containerField(info, 'container.name')])
    .toEqual([false, '1000:0', 'worker']);
  // Removal is noticed (event stream or list polling) and the record is kept for the grace period.
  await kubelet.call('StopContainer', { container_id: id, timeout: 0 });
  await kubelet.call('RemoveContainer', { container_id: id });
  await until(() => service.lookupContainer(id)?.exitedAt !== undefined, 5000);
  expect(containerField(service.lookupContainer(id), 'container.name')).toBe('worker');
});
