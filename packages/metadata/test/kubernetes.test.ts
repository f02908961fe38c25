// The real @kubernetes/client-node informers against a local server speaking the API's wire
// protocol (test/support/kube-apiserver.ts). No live cluster is used.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MetadataService, k8sField, MetadataConfigError } from '../src';
import { FakeKubeApiServer, RESOURCE_PATHS } from './support/kube-apiserver';

const WEB_NGINX = '5b2e3c4d6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c';
const LEGACY_APP = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
const OTHER_NODE = 'ddeeff00ddeeff00ddeeff00ddeeff00ddeeff00ddeeff00ddeeff00ddeeff00';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'fts-k8s-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kubeconfig(server: string, name = 'kubeconfig'): string {
  const file = path.join(dir, name);
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: local`,
      `  cluster: {server: "${server}"}`,
      'users:',
      '- name: tester',
      '  user: {token: recorded-token}',
      'contexts:',
      '- name: local',
      '  context: {cluster: local, user: tester}',
      'current-context: local',
    ].join('\n'),
  );
  return file;
}

async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const FIELDS = [
  'k8s.pod.name', 'k8s.pod.uid', 'k8s.pod.ip', 'k8s.pod.label[tier]', 'k8s.ns.name', 'k8s.ns.id', 'k8s.ns.label[team]',
  'k8s.rs.name', 'k8s.rs.id', 'k8s.deployment.name', 'k8s.deployment.id', 'k8s.deployment.label[owner]',
  'k8s.rc.name', 'k8s.svc.name', 'k8s.svc.id',
];

function fields(service: MetadataService, containerId: string): Record<string, unknown> {
  const meta = service.k8sForContainer(containerId);
  return Object.fromEntries(FIELDS.map((n) => {
    const m = /^([^[]+)\[(.*)\]$/.exec(n);
    return [n, m ? k8sField(meta, m[1]!, m[2]) : k8sField(meta, n)];
  }));
}

async function startWith(server: FakeKubeApiServer, extra: object = {}): Promise<MetadataService> {
  const service = new MetadataService({
    providers: { kubernetes: { kubeconfig: kubeconfig(server.url), nodeName: 'node-1', backoff: { initialMs: 50, maxMs: 200 }, ...extra } },
  });
  expect(await service.kubernetesSynced(10000)).toBe(true);
  return service;
}

describe('kubernetes informers', () => {
  let server: FakeKubeApiServer;
  let service: MetadataService;

  beforeEach(async () => {
    server = new FakeKubeApiServer();
    await server.start();
  });
  afterEach(async () => {
    await service?.close();
    await server.stop();
  });

  test('maps container ids from pod status to pod, namespace, replica set, deployment and services', async () => {
    service = await startWith(server);
    expect(fields(service, WEB_NGINX)).toEqual({
      'k8s.pod.name': 'web-7d9c6b5f4-x2k8p',
      'k8s.pod.uid': '3f1a9c2e-5b7d-4e8f-9a1b-2c3d4e5f6a7b',
      'k8s.pod.ip': '10.244.1.17',
      'k8s.pod.label[tier]': 'frontend',
      'k8s.ns.name': 'shop',
      'k8s.ns.id': '7c6b5a49-3827-4165-a4b3-c2d1e0f9a8b7',
      'k8s.ns.label[team]': 'payments',
      'k8s.rs.name': 'web-7d9c6b5f4',
      'k8s.rs.id': '8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d',
      'k8s.deployment.name': 'web',
      'k8s.deployment.id': '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
      'k8s.deployment.label[owner]': 'storefront',
      'k8s.rc.name': null,
      // Selector match within the pod's namespace only; `other-ns-web` lives in `default`.
      'k8s.svc.name': 'web, web-internal',
      'k8s.svc.id': '4d5e6f7a-8b9c-4d0e-a1f2-b3c4d5e6f7a8, 5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
    });
    // Memoised: the same answer object until an informer reports a change.
    expect(service.k8sForContainer(WEB_NGINX)).toBe(service.k8sForContainer(WEB_NGINX));
    // Short ids as the cgroup parser produces them resolve as well.
    expect(k8sField(service.k8sForContainer(LEGACY_APP.slice(0, 12)), 'k8s.rc.name')).toBe('legacy-rc');
    expect(k8sField(service.k8sForContainer(LEGACY_APP), 'k8s.deployment.name')).toBeNull();
    expect(k8sField(service.k8sForContainer(LEGACY_APP), 'k8s.svc.name')).toBeNull();
  });

  test('watches only this node\'s pods, with the token from the kubeconfig', async () => {
    service = await startWith(server);
    expect(service.k8sForContainer(OTHER_NODE)).toBeUndefined();
    const podRequests = server.requests.filter((r) => r.path === RESOURCE_PATHS['pods']);
    expect(podRequests.length).toBeGreaterThanOrEqual(2);
    for (const r of podRequests) expect(r.query.get('fieldSelector')).toBe('spec.nodeName=node-1');
    expect(podRequests.some((r) => r.query.get('watch') === 'true')).toBe(true);
    expect(server.requests.every((r) => r.authorization === 'Bearer recorded-token')).toBe(true);
  });

  test('follows the watch stream: added, modified and deleted pods', async () => {
    service = await startWith(server);
    const id = '0123456789ab'.repeat(5) + '0123';
    server.apply('pods', 'ADDED', pod('new-pod', 'node-1', id, { app: 'batch' }));
    await until(() => k8sField(service.k8sForContainer(id), 'k8s.pod.name') === 'new-pod', 5000);
    server.apply('pods', 'MODIFIED', pod('new-pod', 'node-1', id, { app: 'batch', stage: 'two' }));
    await until(() => k8sField(service.k8sForContainer(id), 'k8s.pod.label', 'stage') === 'two', 5000);
    server.apply('pods', 'DELETED', pod('new-pod', 'node-1', id, {}));
    await until(() => service.k8sForContainer(id) === undefined, 5000);
    // A pod scheduled elsewhere never reaches this node's watch.
    const elsewhere = 'fedcba987654'.repeat(5) + 'fedc';
    server.apply('pods', 'ADDED', pod('far-pod', 'node-2', elsewhere, {}));
    server.apply('namespaces', 'MODIFIED', { metadata: { name: 'shop', uid: '7c6b5a49-3827-4165-a4b3-c2d1e0f9a8b7', labels: { team: 'checkout' } } });
    await until(() => k8sField(service.k8sForContainer(WEB_NGINX), 'k8s.ns.label', 'team') === 'checkout', 5000);
    expect(service.k8sForContainer(elsewhere)).toBeUndefined();
  });

  test('relists after 410 Gone when the resource version has expired', async () => {
    service = await startWith(server);
    const added = 'abcdefabcdef'.repeat(5) + 'abcd';
    // Changes while the watch is down, then history compacted: resuming must fail with 410.
    server.closeWatches();
    server.apply('pods', 'ADDED', pod('during-gap', 'node-1', added, {}));
    server.apply('pods', 'DELETED', server.get('pods', 'shop', 'legacy-rc-9qz4m') as never);
    server.compact();
    const listsBefore = server.requests.filter((r) => r.path === RESOURCE_PATHS['pods'] && r.query.get('watch') !== 'true').length;
    await until(() => k8sField(service.k8sForContainer(added), 'k8s.pod.name') === 'during-gap', 5000);
    await until(() => service.k8sForContainer(LEGACY_APP) === undefined, 5000);
    const listsAfter = server.requests.filter((r) => r.path === RESOURCE_PATHS['pods'] && r.query.get('watch') !== 'true').length;
    expect(listsAfter).toBeGreaterThan(listsBefore);
    expect(service.health().status).toBe('ok');
    const pods = service.health().providers[0]?.watches?.find((w) => w.resource === 'pods');
    expect(pods).toMatchObject({ state: 'watching', relists: expect.any(Number) as number });
    expect(pods!.relists).toBeGreaterThanOrEqual(1);
  });

  test('an API server away long enough for its history to be compacted: relisted, with no stale entries', async () => {
    service = await startWith(server);
    expect(service.health().providers[0]?.watches?.map((w) => [w.resource, w.state])).toEqual([
      ['pods', 'watching'], ['namespaces', 'watching'], ['deployments', 'watching'], ['replicasets', 'watching'],
      ['replicationcontrollers', 'watching'], ['services', 'watching'],
    ]);
    const rvBefore = service.health().providers[0]?.watches?.[0]?.resourceVersion;
    expect(rvBefore).toMatch(/^\d+$/);
    await server.stop();
    await until(() => service.health().status === 'degraded', 5000);
    expect(service.health().providers[0]?.watches?.some((w) => w.state === 'failed' && w.lastError !== undefined)).toBe(true);
    // While it is away: a pod and a service are deleted, a deployment relabelled, then the history
    // the watches would resume from is compacted away (as etcd does within minutes).
    server.apply('pods', 'DELETED', server.get('pods', 'shop', 'legacy-rc-9qz4m') as never);
    server.apply('services', 'DELETED', server.get('services', 'shop', 'web-internal') as never);
    const web = server.get('deployments', 'shop', 'web')!;
    server.apply('deployments', 'MODIFIED', { ...web, metadata: { ...web.metadata, labels: { app: 'web', owner: 'checkout' } } });
    server.compact();
    await server.start();
    await until(() => service.health().status === 'ok', 15000);
    await until(() => service.k8sForContainer(LEGACY_APP) === undefined, 10000);
    // Each resource relists on its own watch: the services' relist may land after the pods'.
    await until(() => k8sField(service.k8sForContainer(WEB_NGINX), 'k8s.svc.name') === 'web', 10000);
    const meta = service.k8sForContainer(WEB_NGINX);
    expect(k8sField(meta, 'k8s.svc.name')).toBe('web');
    expect(k8sField(meta, 'k8s.deployment.label', 'owner')).toBe('checkout');
    const watches = service.health().providers[0]!.watches!;
    expect(watches.every((w) => w.state === 'watching')).toBe(true);
    expect(watches.find((w) => w.resource === 'pods')!.relists).toBeGreaterThanOrEqual(1);
    expect(watches.find((w) => w.resource === 'services')!.objects).toBe(3);
  });

  test('list errors degrade health, then recover by themselves', async () => {
    server.failNext(RESOURCE_PATHS['pods']!, 500, 3);
    service = new MetadataService({
      providers: { kubernetes: { kubeconfig: kubeconfig(server.url), nodeName: 'node-1', backoff: { initialMs: 50, maxMs: 200 } } },
    });
    await until(() => service.health().providers[0]?.lastError !== undefined, 5000);
    expect(service.health().status).toBe('degraded');
    expect(await service.kubernetesSynced(10000)).toBe(true);
    await until(() => service.health().status === 'ok', 5000);
    expect(k8sField(service.k8sForContainer(WEB_NGINX), 'k8s.pod.name')).toBe('web-7d9c6b5f4-x2k8p');
  });

  test('an unreachable API server degrades health; changes made while it was away arrive after it returns', async () => {
    service = await startWith(server);
    await server.stop();
    await until(() => service.health().status === 'degraded', 5000);
    expect(service.health().providers[0]?.lastError).toMatch(/kubernetes/);
    // Metadata already known keeps resolving while the server is away.
    expect(k8sField(service.k8sForContainer(WEB_NGINX), 'k8s.pod.name')).toBe('web-7d9c6b5f4-x2k8p');
    const later = '99887766aabb'.repeat(5) + '9988';
    server.apply('pods', 'ADDED', pod('after-outage', 'node-1', later, {}));
    await server.start();
    await until(() => service.health().status === 'ok', 10000);
    await until(() => k8sField(service.k8sForContainer(later), 'k8s.pod.name') === 'after-outage', 10000);
    expect(service.health().providers[0]?.reconnects).toBeGreaterThanOrEqual(1);
  });

  test('in-cluster configuration: service-account token and CA over HTTPS', async () => {
    await server.stop();
    const certDir = path.join(dir, 'tls');
    mkdirSync(certDir, { recursive: true });
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(certDir, 'key.pem'), '-out', path.join(certDir, 'cert.pem'),
    ], { stdio: 'ignore' });
    const cert = readFileSync(path.join(certDir, 'cert.pem'), 'utf8');
    server = new FakeKubeApiServer({ key: readFileSync(path.join(certDir, 'key.pem'), 'utf8'), cert });
    await server.start();
    const root = path.join(dir, 'root');
    const sa = path.join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(sa, { recursive: true });
    writeFileSync(path.join(sa, 'token'), 'in-cluster-token');
    writeFileSync(path.join(sa, 'ca.crt'), cert);
    writeFileSync(path.join(sa, 'namespace'), 'falco');
    const saved = { host: process.env['KUBERNETES_SERVICE_HOST'], port: process.env['KUBERNETES_SERVICE_PORT'] };
    process.env['KUBERNETES_SERVICE_HOST'] = '127.0.0.1';
    process.env['KUBERNETES_SERVICE_PORT'] = String(server.port);
    try {
      service = new MetadataService({ providers: { kubernetes: { inCluster: true, inClusterRoot: root, nodeName: 'node-1' } } });
      expect(await service.kubernetesSynced(10000)).toBe(true);
      expect(k8sField(service.k8sForContainer(WEB_NGINX), 'k8s.deployment.name')).toBe('web');
      expect(server.requests.every((r) => r.authorization === 'Bearer in-cluster-token')).toBe(true);
    } finally {
      process.env['KUBERNETES_SERVICE_HOST'] = saved.host;
      process.env['KUBERNETES_SERVICE_PORT'] = saved.port;
      if (saved.host === undefined) delete process.env['KUBERNETES_SERVICE_HOST'];
      if (saved.port === undefined) delete process.env['KUBERNETES_SERVICE_PORT'];
    }
  });
});

test('a kubeconfig that cannot be read is a configuration error naming the key', () => {
  expect(() => new MetadataService({ providers: { kubernetes: { kubeconfig: '/nonexistent/kubeconfig' } } })).toThrow(MetadataConfigError);
  try {
    new MetadataService({ providers: { kubernetes: { kubeconfig: '/nonexistent/kubeconfig' } } });
  } catch (err) {
    expect((err as MetadataConfigError).context.key).toBe('kubernetes.kubeconfig');
    expect((err as MetadataConfigError).code).toBe('METADATA_CONFIG');
  }
});

function pod(name: string, node: string, containerId: string, labels: Record<string, string>) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', uid: `uid-${name}`, labels },
    spec: { nodeName: node, containers: [{ name: 'main', image: 'busybox:1.36' }] },
    status: { phase: 'Running', podIP: '10.244.1.99', containerStatuses: [{ name: 'main', ready: true, restartCount: 0, image: 'busybox:1.36', imageID: '', containerID: `containerd://${containerId}` }] },
  };
}
