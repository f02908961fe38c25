/**
 * The deployment files in deploy/: the Kubernetes manifest and the Helm chart's rendered output are
 * validated against the Kubernetes object schemas (kubernetes-models, generated from the
 * Kubernetes OpenAPI spec; the prometheus-operator CRD schema for the ServiceMonitor), then checked
 * for what a node agent needs; the image recipe is checked against the repository.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { TemplateError, renderChart, renderTemplate } from '../src';

const REPO = path.resolve(__dirname, '../../..');
const DEPLOY = path.join(REPO, 'deploy');
const CHART = path.join(DEPLOY, 'helm/falco-ts');

type Obj = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string } };
interface Validatable { validate(): void }
const MODELS: Record<string, new (o: never) => Validatable> = {
  'v1/Namespace': Namespace as never,
  'v1/ServiceAccount': ServiceAccount as never,
  'v1/ConfigMap': ConfigMap as never,
  'v1/Service': Service as never,
  'apps/v1/DaemonSet': DaemonSet as never,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole as never,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding as never,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor as never,
};

/** Validates an object against the schema of its apiVersion/kind; throws with the schema's complaints. */
function validate(o: Obj): void {
  const Model = MODELS[`${o.apiVersion}/${o.kind}`];
  if (Model === undefined) throw new Error(`no schema for ${o.apiVersion} ${o.kind}`);
  new Model(o as never).validate();
}

/** The node-agent requirements every rendering of the DaemonSet must meet. */
function checkAgent(objects: readonly Obj[]): void {
  const kinds = objects.map((o) => o.kind);
  expect(kinds).toEqual(expect.arrayContaining(['DaemonSet', 'ConfigMap', 'Service', 'ServiceAccount', 'ClusterRole']));
  // ServiceMonitor is off by default: without prometheus-operator's CRDs it would fail the install.
  expect(kinds).not.toContain('ServiceMonitor');
  const ds = objects.find((o) => o.kind === 'DaemonSet') as unknown as {
    spec: { template: { spec: { hostPID: boolean; tolerations: { operator: string }[]; containers: Record<string, never>[]; volumes: { name: string; hostPath?: { path: string }; configMap?: { name: string } }[] } } };
  };
  const pod = ds.spec.template.spec;
  const c = pod.containers[0] as unknown as {
    securityContext: { privileged: boolean };
    ports: { name: string; containerPort: number }[];
    resources: { requests: Record<string, string>; limits: Record<string, string> };
    livenessProbe: { httpGet: { path: string; port: string | number } };
    readinessProbe: { httpGet: { path: string; port: string | number } };
    volumeMounts: { name: string; mountPath: string }[];
  };
  expect(pod.hostPID).toBe(true);
  expect(c.securityContext.privileged).toBe(true);
  expect(pod.tolerations.some((t) => t.operator === 'Exists')).toBe(true);
  expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
  expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
  expect(c.livenessProbe.httpGet.path).toBe('/healthz');
  expect(c.readinessProbe.httpGet.path).toBe('/healthz');
  const hostPaths = pod.volumes.filter((v) => v.hostPath).map((v) => v.hostPath!.path);
  expect(hostPaths.sort()).toEqual(['/etc', '/proc', '/run/containerd', '/sys/kernel', '/var/run']);
  // The host's root under HOST_ROOT, as the detector reads it (/proc, /etc, runtime sockets).
  expect(c.volumeMounts.map((m) => m.mountPath).sort()).toEqual(['/etc/falco/falco.yaml', '/host/etc', '/host/proc', '/host/run/containerd', '/host/var/run', '/sys/kernel']);
  expect((c as unknown as { env: { name: string; value?: string }[] }).env).toEqual(expect.arrayContaining([{ name: 'HOST_ROOT', value: '/host' }]));
  checkRbac(objects);
  for (const m of c.volumeMounts) expect(pod.volumes.map((v) => v.name)).toContain(m.name);

  // The configuration the pod mounts must serve /healthz on the port the probes and the Service use.
  const cm = objects.find((o) => o.kind === 'ConfigMap') as unknown as { metadata: { name: string }; data: Record<string, string> };
  expect(pod.volumes.find((v) => v.configMap)?.configMap?.name).toBe(cm.metadata.name);
  const falco = parse(cm.data['falco.yaml']!) as {
    webserver: { enabled: boolean; listen_port: number; k8s_healthz_endpoint: string };
    engine: { kind: string };
    load_plugins: string[];
    plugins: { name: string }[];
  };
  expect(falco.webserver).toMatchObject({ enabled: true, k8s_healthz_endpoint: '/healthz' });
  expect(falco.engine.kind).toBe('modern_ebpf');
  // Container metadata on, as the image's config.d (which this falco.yaml replaces) has it.
  expect(falco.load_plugins).toEqual(['container']);
  expect(falco.plugins.map((p) => p.name)).toEqual(['container']);
  const port = c.ports.find((p) => p.name === 'http')!;
  expect(port.containerPort).toBe(falco.webserver.listen_port);
  const svc = objects.find((o) => o.kind === 'Service') as unknown as { spec: { ports: { name: string; port: number }[] } };
  expect(svc.spec.ports[0]).toMatchObject({ name: 'http', port: falco.webserver.listen_port });
}

/**
 * Every Kubernetes collection the metadata provider lists and watches (the API paths in its
 * source), granted get/list/watch by the ClusterRole.
 */
function watchedResources(): { group: string; resource: string }[] {
  const dir = path.join(REPO, 'packages/metadata/src');
  const out = new Map<string, { group: string; resource: string }>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (e.name.endsWith('.ts')) {
        for (const m of readFileSync(path.join(d, e.name), 'utf8').matchAll(/['`]\/(?:api\/v1|apis\/([a-z0-9.]+)\/v1)\/([a-z]+)['`]/g)) {
          out.set(`${m[1] ?? ''}/${m[2]}`, { group: m[1] ?? '', resource: m[2]! });
        }
      }
    }
  };
  walk(dir);
  return [...out.values()];
}

function checkRbac(objects: readonly Obj[]): void {
  const role = objects.find((o) => o.kind === 'ClusterRole') as unknown as { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] };
  const watched = watchedResources();
  expect(watched.map((w) => w.resource)).toEqual(expect.arrayContaining(['pods', 'namespaces', 'replicasets', 'deployments']));
  const granted = (group: string, resource: string): boolean =>
    role.rules.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && ['get', 'list', 'watch'].every((v) => r.verbs.includes(v)));
  expect(watched.filter((w) => !granted(w.group, w.resource))).toEqual([]);
  expect(granted('', 'nodes')).toBe(true);
  // read-only: nothing beyond get, list and watch
  expect(role.rules.flatMap((r) => r.verbs).filter((v) => !['get', 'list', 'watch'].includes(v))).toEqual([]);
}

describe('Kubernetes manifest (deploy/kubernetes/falco-ts.yaml)', () => {
  const docs = parseAllDocuments(readFileSync(path.join(DEPLOY, 'kubernetes/falco-ts.yaml'), 'utf8'));
  const objects = docs.map((d) => d.toJS() as Obj);

  it('parses as YAML without errors', () => {
    expect(docs.flatMap((d) => d.errors.map((e) => e.message))).toEqual([]);
  });

  it.each(objects.map((o) => [`${o.kind} ${o.metadata.name}`, o] as const))('%s is valid against its schema', (_n, o) => {
    expect(() => validate(o)).not.toThrow();
  });

  it('runs a privileged, probed, resource-bounded agent on every node, with the read-only RBAC its metadata watches need', () => {
    checkAgent(objects);
  });

  it('ships the ServiceMonitor apart (deploy/kubernetes/servicemonitor.yaml), valid against its schema', () => {
    const [sm] = parseAllDocuments(readFileSync(path.join(DEPLOY, 'kubernetes/servicemonitor.yaml'), 'utf8')).map((d) => d.toJS() as Obj & { spec: { endpoints: { port: string; path: string }[] } });
    expect(() => validate(sm!)).not.toThrow();
    expect(sm!.spec.endpoints[0]).toMatchObject({ port: 'http', path: '/metrics' });
  });

  it('the schema check rejects a broken DaemonSet (no selector, a numeric container name)', () => {
    const ds = structuredClone(objects.find((o) => o.kind === 'DaemonSet')!) as Obj & { spec: Record<string, unknown> };
    delete ds.spec.selector;
    (ds.spec as { template: { spec: { containers: { name: unknown }[] } } }).template.spec.containers[0]!.name = 3;
    expect(() => validate(ds)).toThrow(/must have required property 'selector'|must have required property selector/);
  });
});

describe('Helm chart (deploy/helm/falco-ts), rendered by the repository renderer', () => {
  const release = { name: 'sec', namespace: 'security' };

  it.each(renderChart(CHART, release).objects.map((o) => [`${(o as Obj).kind} ${(o as Obj).metadata.name}`, o as Obj] as const))(
    '%s is valid against its schema',
    (_n, o) => {
      expect(() => validate(o)).not.toThrow();
      expect((o.metadata as { namespace?: string }).namespace ?? 'security').toBe('security');
    },
  );

  it('renders a privileged, probed, resource-bounded agent, with the same mounts as the plain manifest and no ServiceMonitor by default', () => {
    const { objects } = renderChart(CHART, release);
    checkAgent(objects as Obj[]);
    const ds = objects.find((o) => o.kind === 'DaemonSet') as { spec: { template: { spec: { containers: { image: string }[] } } } };
    expect(ds.spec.template.spec.containers[0]!.image).toBe('falco-ts:0.1.0');
  });

  it('follows the values: image, port, ServiceMonitor switched on, node selector', () => {
    const { objects } = renderChart(CHART, release, {
      image: { repository: 'registry.local/falco-ts', tag: '9.9.9' },
      config: { webserver: { listen_port: 9000 } },
      serviceMonitor: { enabled: true },
      nodeSelector: { 'kubernetes.io/os': 'linux' },
    });
    for (const o of objects) validate(o as Obj);
    const sm = objects.find((o) => o.kind === 'ServiceMonitor') as unknown as { spec: { endpoints: { port: string; path: string }[] } };
    expect(sm.spec.endpoints[0]).toMatchObject({ port: 'http', path: '/metrics' });
    const ds = objects.find((o) => o.kind === 'DaemonSet') as {
      spec: { template: { spec: { nodeSelector: Record<string, string>; containers: { image: string; ports: { containerPort: number }[] }[] } } };
    };
    expect(ds.spec.template.spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(ds.spec.template.spec.containers[0]).toMatchObject({ image: 'registry.local/falco-ts:9.9.9', ports: [{ containerPort: 9000 }] });
    const cm = objects.find((o) => o.kind === 'ConfigMap') as { data: Record<string, string> };
    expect((parse(cm.data['falco.yaml']!) as { webserver: { listen_port: number } }).webserver.listen_port).toBe(9000);
  });
});

describe('template renderer subset', () => {
  const scope = { Values: { a: { b: 'x' }, list: [1, 2], off: false, empty: {} }, Release: { Name: 'r', Namespace: 'n' }, Chart: { Name: 'c' } };

  it('renders values, pipelines, conditionals and whitespace trimming as Helm does', () => {
    expect(renderTemplate('v: {{ .Values.a.b | quote }}\n', scope)).toBe('v: "x"\n');
    expect(renderTemplate('l:\n  {{- toYaml .Values.list | nindent 2 }}\n', scope)).toBe('l:\n  - 1\n  - 2\n');
    expect(renderTemplate('{{- if .Values.off }}yes{{ else }}no{{ end }}', scope)).toBe('no');
    expect(renderTemplate('{{ if .Values.empty }}yes{{ end }}|{{ .Values.missing | default "d" }}', scope)).toBe('|d');
    expect(renderTemplate('{{ .Release.Name }}-{{ .Chart.Name }}', scope)).toBe('r-c');
  });

  it('rejects what it does not support, with the template position', () => {
    expect(() => renderTemplate('a: 1\nb: {{ include "x" . }}\n', scope, 't.yaml')).toThrow(TemplateError);
    expect(() => renderTemplate('a: 1\nb: {{ include "x" . }}\n', scope, 't.yaml')).toThrow(/^t\.yaml:2:4: unsupported function or value "include"/);
    expect(() => renderTemplate('{{ if .Values.a }}x', scope, 't.yaml')).toThrow(/t\.yaml:1:1: "if" without "end"/);
    expect(() => renderTemplate('{{ end }}', scope, 't.yaml')).toThrow(/"end" without "if"/);
  });
});

describe('container image recipe (deploy/docker/Dockerfile)', () => {
  const text = readFileSync(path.join(DEPLOY, 'docker/Dockerfile'), 'utf8');
  // Instructions with their arguments, continuation lines joined, comments dropped.
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('#'))
    .map((l) => { const m = /^\s*([A-Z]+)\s+(.*)$/.exec(l); return { op: m?.[1] ?? '', args: m?.[2] ?? l }; });

  it('uses only known instructions and starts with FROM', () => {
    const known = ['FROM', 'RUN', 'COPY', 'ADD', 'WORKDIR', 'ENV', 'ARG', 'EXPOSE', 'ENTRYPOINT', 'CMD', 'HEALTHCHECK', 'USER', 'LABEL', 'VOLUME'];
    expect(instructions.filter((i) => !known.includes(i.op))).toEqual([]);
    expect(instructions[0]!.op).toBe('FROM');
  });

  it('copies files that exist into the image and runs the built falco command', () => {
    for (const c of instructions.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))) {
      const src = c.args.split(/\s+/)[0]!;
      expect([src, existsSync(path.join(REPO, src))]).toEqual([src, true]);
    }
    const entry = JSON.parse(instructions.find((i) => i.op === 'ENTRYPOINT')!.args) as string[];
    const bin = (JSON.parse(readFileSync(path.join(REPO, 'packages/cli/package.json'), 'utf8')) as { bin: Record<string, string> }).bin.falco!;
    expect(entry).toEqual(['node', path.posix.join('/app', bin)]);
    expect(JSON.parse(instructions.find((i) => i.op === 'CMD')!.args)).toEqual(['-c', '/etc/falco/falco.yaml']);
  });

  it('bakes a configuration whose config.d turns container metadata on, as Falco\'s image does', () => {
    const conf = parse(readFileSync(path.join(DEPLOY, 'docker/falco.yaml'), 'utf8')) as { config_files: string[] };
    expect(conf.config_files).toEqual(['/etc/falco/config.d']);
    expect(instructions.some((i) => i.op === 'COPY' && i.args === 'deploy/docker/config.d /etc/falco/config.d')).toBe(true);
    const plugin = parse(readFileSync(path.join(DEPLOY, 'docker/config.d/falco.container_plugin.yaml'), 'utf8')) as { load_plugins: string[]; plugins: { name: string }[] };
    expect(plugin.load_plugins).toEqual(['container']);
    expect(plugin.plugins.map((p) => p.name)).toEqual(['container']);
  });

  it('bakes a configuration that serves /healthz on the exposed port', () => {
    const conf = parse(readFileSync(path.join(DEPLOY, 'docker/falco.yaml'), 'utf8')) as { webserver: { listen_port: number; k8s_healthz_endpoint: string } };
    expect(conf.webserver.k8s_healthz_endpoint).toBe('/healthz');
    expect(instructions.find((i) => i.op === 'EXPOSE')!.args).toBe(String(conf.webserver.listen_port));
  });
});
