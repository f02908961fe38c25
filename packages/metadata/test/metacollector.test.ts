// The k8s-metacollector client against a local gRPC server implementing the collector's
// metadata.proto (test/support/metacollector.ts). No live collector or cluster is used.
import { MetadataService, k8sField } from '../src';
import { FakeMetacollector, loadFixtureObjects } from './support/metacollector';

const WEB_NGINX = '5b2e3c4d6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c';
const LEGACY_APP = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
const OTHER_NODE = 'ddeeff00ddeeff00ddeeff00ddeeff00ddeeff00ddeeff00ddeeff00ddeeff00';

async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('k8s-metacollector client', () => {
  let collector: FakeMetacollector;
  let service: MetadataService | undefined;

  beforeEach(async () => {
    collector = new FakeMetacollector();
    await collector.start();
  });
  afterEach(async () => {
    await service?.close();
    service = undefined;
    await collector.stop();
  });

  const connect = async (): Promise<MetadataService> => {
    const s = new MetadataService({
      providers: { kubernetes: { nodeName: 'node-1', collector: { hostname: '127.0.0.1', port: collector.port }, backoff: { initialMs: 50, maxMs: 200 } } },
    });
    expect(await s.kubernetesSynced(10000)).toBe(true);
    // Both pods of the node (the stream sends them one after the other).
    await until(() => k8sField(s.k8sForContainer(WEB_NGINX), 'k8s.pod.name') !== null && k8sField(s.k8sForContainer(LEGACY_APP), 'k8s.rc.name') !== null, 5000);
    return s;
  };

  test('watches this node with the kinds the plugin asks for; resolves pod, namespace, controllers and services', async () => {
    service = await connect();
    expect(collector.selectors[0]).toEqual({
      nodeName: 'node-1',
      resourceKinds: { Pod: 'true', Namespace: 'true', Deployment: 'true', Service: 'true', ReplicaSet: 'true', ReplicaController: 'true' },
    });
    const meta = service.k8sForContainer(WEB_NGINX);
    expect({
      pod: k8sField(meta, 'k8s.pod.name'), ip: k8sField(meta, 'k8s.pod.ip'), tier: k8sField(meta, 'k8s.pod.label', 'tier'),
      ns: k8sField(meta, 'k8s.ns.name'), team: k8sField(meta, 'k8s.ns.label', 'team'), rs: k8sField(meta, 'k8s.rs.name'),
      deployment: k8sField(meta, 'k8s.deployment.name'), owner: k8sField(meta, 'k8s.deployment.label', 'owner'), svc: k8sField(meta, 'k8s.svc.name'),
    }).toEqual({
      pod: 'web-7d9c6b5f4-x2k8p', ip: '10.244.1.17', tier: 'frontend', ns: 'shop', team: 'payments', rs: 'web-7d9c6b5f4',
      deployment: 'web', owner: 'storefront', svc: 'web, web-internal',
    });
    expect(k8sField(service.k8sForContainer(LEGACY_APP), 'k8s.rc.name')).toBe('legacy-rc');
    // Pods of other nodes are not sent.
    expect(service.k8sForContainer(OTHER_NODE)).toBeUndefined();
    expect(service.health().providers[0]).toMatchObject({ name: 'kubernetes', state: 'connected', watches: [{ resource: 'collector stream', state: 'watching' }] });
  });

  test('updates and deletes on the stream apply', async () => {
    service = await connect();
    const deployment = loadFixtureObjects().find((o) => o.kind === 'Deployment')!;
    collector.upsert({ ...deployment, metadata: { ...deployment.metadata, labels: { app: 'web', owner: 'checkout' } } });
    await until(() => k8sField(service!.k8sForContainer(WEB_NGINX), 'k8s.deployment.label', 'owner') === 'checkout', 5000);
    collector.remove('5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9'); // the web-internal service
    await until(() => k8sField(service!.k8sForContainer(WEB_NGINX), 'k8s.svc.name') === 'web', 5000);
  });

  test('a collector away and back: reconnects, and its new view replaces the old (no stale entries)', async () => {
    service = await connect();
    const port = collector.port;
    await collector.stop();
    await until(() => service!.health().status === 'degraded', 5000);
    expect(service.health().providers[0]?.lastError).toMatch(/k8s-metacollector at 127\.0\.0\.1/);
    // Known metadata keeps answering while the collector is away.
    expect(k8sField(service.k8sForContainer(WEB_NGINX), 'k8s.pod.name')).toBe('web-7d9c6b5f4-x2k8p');
    collector.forget('6d5c4b3a-2f1e-4d0c-8b9a-7f6e5d4c3b2a'); // the legacy pod went away meanwhile
    await collector.start(port);
    await until(() => service!.health().status === 'ok', 10000);
    await until(() => service!.k8sForContainer(LEGACY_APP) === undefined, 5000);
    expect(k8sField(service.k8sForContainer(WEB_NGINX), 'k8s.deployment.name')).toBe('web');
    expect(service.health().providers[0]?.watches?.[0]?.relists).toBeGreaterThanOrEqual(1);
  });
});
