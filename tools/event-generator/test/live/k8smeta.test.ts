/**
 * End to end [privileged][slow]: the node-frontend deployment rule, live. The real `falco` command
 * (modern eBPF driver, default rules) configured with the container and k8smeta plugin entries; a private
 * real dockerd running a container labelled as a kubelet labels a pod's containers; and a local
 * server speaking the Kubernetes API wire protocol (list and watch, from recorded response shapes:
 * packages/metadata/test/support/kube-apiserver.ts) that describes its pod, replica set, deployment,
 * service and namespace, or a local gRPC server implementing k8s-metacollector's metadata.proto
 * (packages/metadata/test/support/metacollector.ts) sending the same. No live cluster is
 * involved. Needs root and the built CLI (`pnpm build`).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FakeKubeApiServer } from '../../../../packages/metadata/test/support/kube-apiserver';
import { FakeMetacollector } from '../../../../packages/metadata/test/support/metacollector';
import { startTestDocker } from '../support/dockerd';
import { startFalco, type JsonAlert, type K8smetaEntry } from '../support/falco-live';

const privileged = process.getuid?.() === 0 ? describe : describe.skip;

const NODE = 'node-live-1';
const NS = 'storefront';
const POD_UID = '0f4e2a6c-9b1d-4c3e-8a7f-5d6b4c3a2e10';
const RS_UID = '7a1c3e5f-2b4d-4f6a-8c0e-9d1b3f5a7c20';
const DEPLOY_UID = '3c5e7a9b-1d3f-4a5c-8e7b-2d4f6a8c0e30';

/** The docker command, run asynchronously: the API server lives in this process and must keep answering. */
function docker(host: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('docker', ['-H', host, ...args], { encoding: 'utf8', timeout: 60000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`docker ${args[0]}: ${err.message} ${stderr}`)) : resolve(stdout.trim()),
    ),
  );
}

/** The pod's namespace, deployment, replica set and service, as the API server returns them. */
const CLUSTER = {
  namespaces: { kind: 'Namespace', apiVersion: 'v1', metadata: { name: NS, uid: '5b7d9f1a-3c5e-4b7d-9f1a-3c5e7b9d1f40', labels: { team: 'web', 'kubernetes.io/metadata.name': NS } } },
  deployments: {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: { name: 'node-frontend', namespace: NS, uid: DEPLOY_UID, labels: { app: 'node-frontend', tier: 'edge' } },
    spec: { selector: { matchLabels: { app: 'node-frontend' } } },
  },
  replicasets: {
    kind: 'ReplicaSet',
    apiVersion: 'apps/v1',
    metadata: {
      name: 'node-frontend-6b8d4f9c7',
      namespace: NS,
      uid: RS_UID,
      labels: { app: 'node-frontend', 'pod-template-hash': '6b8d4f9c7' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'node-frontend', uid: DEPLOY_UID, controller: true }],
    },
    spec: { selector: { matchLabels: { app: 'node-frontend', 'pod-template-hash': '6b8d4f9c7' } } },
  },
  services: {
    kind: 'Service',
    apiVersion: 'v1',
    metadata: { name: 'node-frontend', namespace: NS, uid: '9d1f3b5c-7e9a-4c1e-8b3d-5f7a9c1e3b50', labels: { exposure: 'public' } },
    spec: { selector: { app: 'node-frontend' } },
  },
} as const;

function pod(containerId: string) {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      name: 'node-frontend-6b8d4f9c7-q2x7z',
      namespace: NS,
      uid: POD_UID,
      labels: { app: 'node-frontend', 'pod-template-hash': '6b8d4f9c7' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'node-frontend-6b8d4f9c7', uid: RS_UID, controller: true }],
    },
    spec: { nodeName: NODE, containers: [{ name: 'frontend', image: 'falco-ts/busybox:test' }] },
    status: { phase: 'Running', podIP: '10.244.1.17', containerStatuses: [{ name: 'frontend', containerID: `docker://${containerId}`, ready: true }] },
  };
}

const RULE = 'Unexpected process in node-frontend workload';

interface Outcome {
  readonly alerts: JsonAlert[];
  readonly stderr: string;
  readonly containerId: string;
}

/**
 * falco with the k8smeta entry `entry` (plus the container entry on a private dockerd); a container
 * labelled as the kubelet labels pod containers; `publishPod` describes its pod 1.5 s after the
 * start, after the runtime's record: the second sleep (at 1 s) is the first event the pod's wait holds.
 */
async function runScenario(entry: K8smetaEntry, publishPod: (containerId: string) => void): Promise<Outcome> {
  const engine = await startTestDocker();
  try {
    const falco = await startFalco(['k8smeta.deployment.name', 'k8smeta.svc.name', 'k8smeta.ns.label[team]'], 60000, engine.dockerHost, entry);
    let containerId = '';
    try {
      containerId = await docker(engine.dockerHost, [
        'create',
        '--label', 'io.kubernetes.pod.name=node-frontend-6b8d4f9c7-q2x7z',
        '--label', `io.kubernetes.pod.namespace=${NS}`,
        '--label', `io.kubernetes.pod.uid=${POD_UID}`,
        '--label', 'io.kubernetes.container.name=frontend',
        engine.image, 'sh', '-c', 'sleep 1; sleep 2',
      ]);
      await docker(engine.dockerHost, ['start', containerId]);
      await new Promise((r) => setTimeout(r, 1500));
      publishPod(containerId);
      await docker(engine.dockerHost, ['wait', containerId]);
      // On a loaded machine the detector can lag the workload by seconds: give it until the
      // second sleep's alert is written (or 30 s) before stopping it.
      const deadline = Date.now() + 30000;
      const done = (): boolean =>
        falco.alerts().some((a) => a.rule === RULE && a.output_fields['container.id'] === containerId.slice(0, 12) && /^(exe|sleep) 2$/.test(String(a.output_fields['proc.cmdline'])));
      while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      await falco.stop();
    }
    return { alerts: falco.alerts(), stderr: falco.stderr(), containerId };
  } finally {
    await engine.stop();
  }
}


function expectExampleAlerts(o: Outcome): void {
  const mine = o.alerts.filter((a) => a.rule === RULE && a.output_fields['container.id'] === o.containerId.slice(0, 12));
  if (mine.length === 0) throw new Error(`no alert for the node-frontend pod; falco said:\n${o.stderr}`);
  expect(mine[0]!.output_fields).toMatchObject({
    'k8s.pod.name': 'node-frontend-6b8d4f9c7-q2x7z',
    'k8s.deployment.name': 'node-frontend',
    'k8s.deployment.labels': 'app:node-frontend,tier:edge',
    'k8s.rs.name': 'node-frontend-6b8d4f9c7',
    'k8s.rs.labels': 'app:node-frontend,pod-template-hash:6b8d4f9c7',
    'k8s.svc.name': 'node-frontend',
    'k8s.svc.labels': 'exposure:public',
    'k8s.ns.name': NS,
    'k8s.ns.labels': `team:web,kubernetes.io/metadata.name:${NS}`,
    'k8smeta.deployment.name': 'node-frontend',
    'k8smeta.svc.name': '(node-frontend)',
    'k8smeta.ns.label[team]': 'web',
  });
  // `sleep 2` runs 1 s after the start, 0.5 s before the pod is described; without the wait the
  // deployment label would read <NA> and the rule would not match.
  const second = mine.find((a) => /^(exe|sleep) 2$/.test(String(a.output_fields['proc.cmdline'])));
  expect(second?.output_fields['k8s.deployment.name']).toBe('node-frontend');
}

privileged('the k8smeta entry with a kubeconfig: a node-frontend deployment pod runs a process other than node [privileged][slow]', () => {
  let api: FakeKubeApiServer;
  let dir: string;
  let outcome: Outcome;

  beforeAll(async () => {
    dir = mkdtempSync('/tmp/falco-eg-k8s-');
    api = new FakeKubeApiServer();
    await api.start();
    for (const [resource, object] of Object.entries(CLUSTER)) api.apply(resource as keyof typeof CLUSTER, 'ADDED', object as never);
    const kubeconfig = path.join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1', 'kind: Config',
        'clusters:', '- name: local', `  cluster: {server: "${api.url}"}`,
        'users:', '- name: falco', '  user: {token: recorded-token}',
        'contexts:', '- name: local', '  context: {cluster: local, user: falco}',
        'current-context: local', '',
      ].join('\n'),
    );
    outcome = await runScenario({ nodeName: NODE, kubeconfig }, (id) => api.apply('pods', 'ADDED', pod(id)));
  }, 240000);

  afterAll(async () => {
    await api?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('alerts with the deployment, replica set, service and namespace and their labels, also for a process run before the pod was described', () => {
    expectExampleAlerts(outcome);
  });

  it('watches only the pods of its node, through the kubeconfig token', () => {
    const podWatches = api.requests.filter((r) => r.path === '/api/v1/pods');
    expect(podWatches.length).toBeGreaterThan(0);
    for (const r of podWatches) expect(r.query.get('fieldSelector')).toBe(`spec.nodeName=${NODE}`);
    expect(api.requests.every((r) => r.authorization === 'Bearer recorded-token')).toBe(true);
  });
});

privileged('the k8smeta entry with a collector: the same through k8s-metacollector\'s gRPC API [privileged][slow]', () => {
  let collector: FakeMetacollector;
  let outcome: Outcome;

  beforeAll(async () => {
    collector = new FakeMetacollector(Object.values(CLUSTER) as never);
    await collector.start();
    outcome = await runScenario({ nodeName: NODE, collector: { hostname: '127.0.0.1', port: collector.port } }, (id) => collector.upsert(pod(id) as never));
  }, 240000);

  afterAll(async () => {
    await collector?.stop();
  });

  it('alerts with the deployment, replica set, service and namespace and their labels', () => {
    expectExampleAlerts(outcome);
    expect(collector.selectors[0]?.nodeName).toBe(NODE);
  });
});
