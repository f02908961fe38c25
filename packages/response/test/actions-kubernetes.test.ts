/**
 * Kubernetes actions against a local server speaking the API's wire protocol, which records every
 * request: what each action sends, Talon's terminate safeguards, destination-only isolation,
 * cordon and taint, delete from an audit alert, Kubernetes events, and dry-run sending nothing.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ContainerRuntimes, KubeClient, ResponseEngine, k8sEventsNotifier, loadRules, slackNotifier, webhookNotifier, type ActionReport, type Notifier, type ResponseEvent } from '@falco-ts/response';
import { KubeApiServer } from './support/kube-api';

const NS = '/api/v1/namespaces/shop';
let api: KubeApiServer;

function pod(name: string, owner: { kind: string; name: string } | undefined, labels: Record<string, string> = { app: name }) {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      name,
      namespace: 'shop',
      uid: `uid-${name}`,
      resourceVersion: '10',
      labels: { ...labels, 'pod-template-hash': '7d9f' },
      ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: `uid-${owner.name}`, controller: true, blockOwnerDeletion: true }] } : {}),
    },
    spec: { nodeName: 'node-1', containers: [{ name: 'main', image: 'busybox' }] },
    status: { phase: 'Running', podIP: '10.1.0.5' },
  };
}

beforeEach(async () => {
  api = new KubeApiServer();
  api.put(`${NS}/pods/web-1`, pod('web-1', { kind: 'ReplicaSet', name: 'web-7d9f' }));
  api.put(`${NS}/pods/agent-1`, pod('agent-1', { kind: 'DaemonSet', name: 'agent' }));
  api.put(`${NS}/pods/db-0`, pod('db-0', { kind: 'StatefulSet', name: 'db' }));
  api.put(`${NS}/pods/lonely`, pod('lonely', undefined));
  api.put('/apis/apps/v1/namespaces/shop/replicasets/web-7d9f', {
    kind: 'ReplicaSet', apiVersion: 'apps/v1', metadata: { name: 'web-7d9f', namespace: 'shop', resourceVersion: '11' }, spec: { replicas: 3 }, status: { replicas: 3, readyReplicas: 3 },
  });
  api.put('/api/v1/nodes/node-1', { kind: 'Node', apiVersion: 'v1', metadata: { name: 'node-1', resourceVersion: '12', labels: {} }, spec: { taints: [{ key: 'existing', effect: 'NoSchedule' }] } });
  api.put(`${NS}/configmaps/backdoor`, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'backdoor', namespace: 'shop', resourceVersion: '13' }, data: {} });
  await api.start();
});

afterEach(() => api.close());

const writes = () => api.requests.filter((r) => r.method !== 'GET');

function alert(rule: string, fields: Record<string, string | number>, source = 'syscall'): ResponseEvent {
  return { rule, priority: 'Critical', output: `${rule} (test)`, time: new Date().toISOString(), hostname: 'node-1', source, tags: [], outputFields: fields };
}

function engine(rules: string, options: { dryRun?: boolean; notifiers?: Map<string, Notifier>; reports?: ActionReport[] } = {}): ResponseEngine {
  const kube = new KubeClient({ server: api.url });
  return new ResponseEngine({
    rules: loadRules([{ name: 'rules.yaml', content: rules }]).rules,
    clients: { runtimes: new ContainerRuntimes([]), kube },
    protect: { system: false },
    dedupWindowMs: 0,
    ...(options.dryRun ? { dryRun: true } : {}),
    ...(options.notifiers ? { notifiers: options.notifiers } : {}),
    onReport: (r) => options.reports?.push(r),
  });
}

const TERMINATE = `
- rule: Terminate
  match: { rules: [Shell] }
  actions:
    - action: Terminate
      actionner: kubernetes:terminate
      parameters:
        grace_period_seconds: 3
        min_healthy_replicas: "66%"
`;

test('terminate deletes a ReplicaSet pod with the grace period, keeping min_healthy_replicas', async () => {
  const reports: ActionReport[] = [];
  await engine(TERMINATE, { reports }).handle(alert('Shell', { 'k8s.ns.name': 'shop', 'k8s.pod.name': 'web-1' }));
  expect(writes()).toEqual([{ method: 'DELETE', path: `${NS}/pods/web-1`, contentType: 'application/json', body: { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 3 } }]);
  expect(reports[0]).toMatchObject({ result: 'success', output: "the pod 'web-1' in the namespace 'shop' has been terminated" });

  // Only one of three replicas ready: 33% < 66%, so the pod stays and the action fails.
  api.put(`${NS}/pods/web-1`, pod('web-1', { kind: 'ReplicaSet', name: 'web-7d9f' }));
  api.put('/apis/apps/v1/namespaces/shop/replicasets/web-7d9f', { kind: 'ReplicaSet', metadata: { name: 'web-7d9f' }, status: { replicas: 3, readyReplicas: 1 } });
  api.requests.length = 0;
  await engine(TERMINATE, { reports }).handle(alert('Shell', { 'k8s.ns.name': 'shop', 'k8s.pod.name': 'web-1' }));
  expect(writes()).toEqual([]);
  expect(reports[1]).toMatchObject({ result: 'failure', output: 'not enough healthy pods in the replicaset of the pod web-1 in namespace shop' });
});

test('terminate skips DaemonSet, StatefulSet and standalone pods unless the rule asks', async () => {
  const reports: ActionReport[] = [];
  const e = engine(TERMINATE, { reports });
  for (const name of ['agent-1', 'db-0', 'lonely']) await e.handle(alert('Shell', { 'k8s.ns.name': 'shop', 'k8s.pod.name': name }));
  expect(writes()).toEqual([]);
  expect(reports.map((r) => r.result)).toEqual(['skipped', 'skipped', 'skipped']);
  await engine(TERMINATE.replace('grace_period_seconds: 3', 'ignore_daemonsets: false')).handle(alert('Shell', { 'k8s.ns.name': 'shop', 'k8s.pod.name': 'agent-1' }));
  expect(writes().map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE ${NS}/pods/agent-1`]);
});

test('label the pod, annotate its node, isolate it from the offending destination only', async () => {
  const rules = `
- rule: Reverse shell
  match: { rules: [Reverse shell] }
  actions:
    - action: Label
      actionner: kubernetes:label
      parameters: { labels: { quarantine: "true", app: "" } }
    - action: Annotate node
      actionner: kubernetes:annotation
      parameters: { level: node, annotations: { falco.org/incident: "reverse shell" } }
    - action: Isolate
      actionner: kubernetes:networkpolicy
      parameters: { isolate: destination }
`;
  const fields = { 'k8s.ns.name': 'shop', 'k8s.pod.name': 'web-1', 'fd.rip': '203.0.113.7', 'fd.rport': 4444 };
  await engine(rules).handle(alert('Reverse shell', fields));
  expect(writes()).toEqual([
    { method: 'PATCH', path: `${NS}/pods/web-1`, contentType: 'application/merge-patch+json', body: { metadata: { labels: { quarantine: 'true', app: null } } } },
    { method: 'PATCH', path: '/api/v1/nodes/node-1', contentType: 'application/merge-patch+json', body: { metadata: { annotations: { 'falco.org/incident': 'reverse shell' } } } },
    {
      method: 'POST',
      path: '/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies',
      contentType: 'application/json',
      body: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'falco-response-web-1', namespace: 'shop', labels: { 'app.kubernetes.io/managed-by': 'falco-response' } },
        spec: { podSelector: { matchLabels: { quarantine: 'true' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['203.0.113.7/32'] } }] }] },
      },
    },
  ]);
  // Again: the policy exists, so it is replaced at its current version.
  api.requests.length = 0;
  await engine(rules).handle(alert('Reverse shell', fields));
  expect(writes().map((r) => r.method)).toEqual(['PATCH', 'PATCH', 'PUT']);
});

test('taint and cordon the node after a kernel module load; delete the resource of an audit alert', async () => {
  const rules = `
- rule: Module
  match: { rules: [Linux Kernel Module Injection Detected] }
  actions:
    - action: Taint
      actionner: kubernetes:taint
      parameters: { key: falco.org/compromised, value: "\${RULE}", effect: NoExecute, cordon: true }
- rule: Audit
  match: { source: k8s_audit, rules: [Create Disallowed Namespace] }
  actions:
    - action: Delete it
      actionner: kubernetes:delete
`;
  const e = engine(rules);
  await e.handle(alert('Linux Kernel Module Injection Detected', { 'proc.name': 'insmod' }));
  await e.handle(alert('Create Disallowed Namespace', { 'ka.target.resource': 'configmaps', 'ka.target.name': 'backdoor', 'ka.target.namespace': 'shop' }, 'k8s_audit'));
  expect(writes()).toEqual([
    {
      method: 'PATCH',
      path: '/api/v1/nodes/node-1',
      contentType: 'application/merge-patch+json',
      body: { spec: { taints: [{ key: 'existing', effect: 'NoSchedule' }, { key: 'falco.org/compromised', value: 'Linux-Kernel-Module-Injection-Detected', effect: 'NoExecute' }], unschedulable: true } },
    },
    { method: 'DELETE', path: `${NS}/configmaps/backdoor`, contentType: undefined, body: undefined },
  ]);
  expect(api.get('/api/v1/nodes/node-1')).toMatchObject({ spec: { unschedulable: true } });
});

test('dry-run sends no request at all; notifiers are told about each action', async () => {
  await engine(TERMINATE, { dryRun: true }).handle(alert('Shell', { 'k8s.ns.name': 'shop', 'k8s.pod.name': 'web-1' }));
  expect(api.requests).toEqual([]);

  const received: { path: string; body: Record<string, unknown> }[] = [];
  const hook = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(text) as Record<string, unknown> });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
  const kube = new KubeClient({ server: api.url });
  const notifiers = new Map<string, Notifier>([
    ['webhook', webhookNotifier(`${base}/hook`)],
    ['slack', slackNotifier({ webhookUrl: `${base}/slack` })],
    ['k8sevents', k8sEventsNotifier(kube)],
  ]);
  const e = engine(TERMINATE.replace('  actions:', '  notifiers: [webhook, slack, k8sevents]\n  actions:'), { notifiers });
  await e.handle(alert('Shell', { 'k8s.ns.name': 'shop', 'k8s.pod.name': 'web-1' }));
  for (let i = 0; i < 50 && (received.length < 2 || !api.requests.some((r) => r.path.endsWith('/events'))); i++) await new Promise((r) => setTimeout(r, 20));
  hook.close();
  expect(received.find((r) => r.path === '/hook')?.body).toMatchObject({ rule: 'Terminate', actionner: 'kubernetes:terminate', status: 'success', objects: { pod: 'web-1', namespace: 'shop' } });
  expect(received.find((r) => r.path === '/slack')?.body).toMatchObject({ attachments: [{ text: "the pod 'web-1' in the namespace 'shop' has been terminated" }] });
  expect(api.requests.find((r) => r.path === `${NS}/events`)?.body).toMatchObject({ kind: 'Event', involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'shop' }, reason: 'falco-response-success' });
});
