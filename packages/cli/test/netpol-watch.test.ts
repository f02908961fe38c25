/**
 * NetworkPolicy verdicts from the cluster: the detector's watch lists and watches NetworkPolicies,
 * pods, namespaces, nodes, Services and EndpointSlices from a local server speaking the
 * Kubernetes API wire protocol (list + watch streams, from recorded-shape responses; no live
 * cluster), and the verdicts follow every change.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Engine, SyscallSource } from '@falco-ts/engine';
import { FakeKubeApiServer } from '../../metadata/test/support/kube-apiserver';
import { networkPolicies, rulesUseNetpol, type NetworkPolicies } from '../src/detector/netpol';

jest.setTimeout(90000);

const dir = mkdtempSync(path.join(tmpdir(), 'netpol-watch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kubeconfig(server: string): string {
  const file = path.join(dir, 'kubeconfig');
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: local',
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

async function until<T>(what: string, fn: () => T | undefined | false, timeoutMs = 20000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const DB_POD = {
  metadata: { name: 'db-0', namespace: 'shop', uid: 'd0d0d0d0-1111-4222-8333-444444444444', labels: { app: 'db' } },
  spec: { nodeName: 'node-1', containers: [{ name: 'postgres', image: 'postgres:16', ports: [{ name: 'pg', containerPort: 5432, protocol: 'TCP' }] }] },
  status: { phase: 'Running', hostIP: '192.168.49.2', podIP: '10.244.1.30', podIPs: [{ ip: '10.244.1.30' }] },
};

const DB_SERVICE = {
  metadata: { name: 'db', namespace: 'shop', uid: 'd1d1d1d1-1111-4222-8333-444444444444' },
  spec: { clusterIP: '10.96.14.9', clusterIPs: ['10.96.14.9'], ports: [{ name: 'pg', port: 5432, protocol: 'TCP', targetPort: 'pg' }], selector: { app: 'db' } },
};

describe('NetworkPolicy watch', () => {
  let server: FakeKubeApiServer;
  let np: NetworkPolicies;

  beforeAll(async () => {
    server = new FakeKubeApiServer();
    await server.start();
    np = networkPolicies({ kubeconfig: kubeconfig(server.url), backoff: { initialMs: 50, maxMs: 200 } });
    await until('the first lists', () => np.watch.synced());
  });

  afterAll(async () => {
    await np.close();
    await server.stop();
  });

  const verdict = (sourceIp: string, destinationIp: string, port = 5432) =>
    np.provider.evaluate({ sourceIp, destinationIp, port, protocol: 'TCP' });

  it('lists every resource cluster-wide, not only this node’s pods', () => {
    const paths = new Set(server.requests.filter((r) => r.query.get('watch') !== 'true').map((r) => r.path));
    for (const p of ['/apis/networking.k8s.io/v1/networkpolicies', '/api/v1/pods', '/api/v1/namespaces', '/api/v1/nodes', '/api/v1/services', '/apis/discovery.k8s.io/v1/endpointslices']) {
      expect(paths).toContain(p);
    }
    const podLists = server.requests.filter((r) => r.path === '/api/v1/pods');
    expect(podLists.every((r) => r.query.get('fieldSelector') === null)).toBe(true);
    expect(np.index.resolve({ ip: '10.244.2.5' })).toMatchObject({ kind: 'pod', identity: 'shop/elsewhere-0' });
    expect(np.index.resolve({ ip: '192.168.49.2' })).toMatchObject({ kind: 'node', identity: 'node-1' });
  });

  it('follows pods, Services and policy updates and deletes', async () => {
    server.apply('pods', 'ADDED', DB_POD);
    await until('the db pod', () => np.index.resolve({ ip: '10.244.1.30' }).kind === 'pod');
    expect(verdict('10.244.1.17', '10.244.1.30')).toMatchObject({ verdict: 'allowed', ingress: { policies: ['shop/db-from-web'] } });
    expect(verdict('10.244.1.23', '10.244.1.30')).toMatchObject({ verdict: 'denied', ingress: { reason: 'no-rule-matches' } });
    // Its own node reaches it whatever the policies say.
    expect(verdict('192.168.49.2', '10.244.1.30')?.ingress.reason).toBe('own-node');

    server.apply('services', 'ADDED', DB_SERVICE);
    await until('the db Service', () => np.index.resolve({ ip: '10.96.14.9' }).kind === 'service');
    expect(verdict('10.244.1.23', '10.96.14.9')).toMatchObject({ verdict: 'denied', destination: { kind: 'service', identity: 'shop/db' } });

    const policy = server.get('networkpolicies', 'shop', 'db-from-web')!;
    server.apply('networkpolicies', 'MODIFIED', {
      ...policy,
      spec: { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'legacy' } } }] }], policyTypes: ['Ingress'] },
    });
    await until('the updated policy', () => verdict('10.244.1.23', '10.244.1.30')?.verdict === 'allowed');
    expect(verdict('10.244.1.17', '10.244.1.30')?.verdict).toBe('denied');

    server.apply('networkpolicies', 'DELETED', server.get('networkpolicies', 'shop', 'db-from-web')!);
    await until('the deleted policy', () => verdict('10.244.1.17', '10.244.1.30')?.ingress.reason === 'not-isolated');
  });

  it('a policy the API server would refuse is reported and not in force', async () => {
    const logged: string[] = [];
    const np2 = networkPolicies({ kubeconfig: kubeconfig(server.url), backoff: { initialMs: 50, maxMs: 200 } }, (m) => logged.push(m));
    try {
      await until('the first lists', () => np2.watch.synced());
      server.apply('networkpolicies', 'ADDED', {
        metadata: { name: 'broken', namespace: 'shop' },
        spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/40' } }] }] },
      });
      await until('the report', () => logged.length > 0);
      expect(logged).toEqual(['NetworkPolicy not in force: shop/broken spec.ingress[0].from[0].ipBlock.cidr: "10.0.0.0/40" is not a CIDR']);
      expect(np2.index.problems()).toHaveLength(1);
    } finally {
      await np2.close();
      server.apply('networkpolicies', 'DELETED', { metadata: { name: 'broken', namespace: 'shop' } });
    }
  });
});

describe('rulesUseNetpol', () => {
  it('is true only when a loaded rule reads a netpol.* field', () => {
    const engine = new Engine();
    engine.addSource(new SyscallSource({ hostname: 'test' }));
    engine.loadRulesOrThrow('- rule: plain\n  desc: d\n  condition: evt.type = open\n  output: "%proc.name"\n  priority: INFO\n', 'a.yaml');
    expect(rulesUseNetpol(engine.rules())).toBe(false);
    engine.loadRulesOrThrow(readFileSync(path.join(__dirname, '../../../rules/netpol_rules.yaml'), 'utf8'), 'netpol_rules.yaml');
    expect(rulesUseNetpol(engine.rules())).toBe(true);
  });
});
