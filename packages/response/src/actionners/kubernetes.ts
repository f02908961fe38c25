/**
 * Kubernetes actions, with Talon's parameters and safeguards: terminate the pod (skipping
 * DaemonSet, StatefulSet and standalone pods unless told otherwise, keeping
 * `min_healthy_replicas`), label or annotate the pod or its node, restrict the pod's egress with
 * a NetworkPolicy (all egress as Talon does, or only the offending destination), cordon or taint
 * its node, delete the resource a Kubernetes audit alert names.
 */
import { fieldString, type ResponseEvent } from '../event';
import type { Json, KubeClient } from '../kube';
import { checkTypes, type ActionContext, type ActionResult, type ActionTarget, type Actionner } from './types';

type Obj = { [k: string]: Json };
const obj = (v: Json | undefined): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {});
const enc = encodeURIComponent;

function kube(ctx: ActionContext): KubeClient {
  if (!ctx.clients.kube) throw new Error('no Kubernetes connection is configured (response.kubernetes)');
  return ctx.clients.kube;
}

function podTarget(event: ResponseEvent): ActionTarget | string {
  const pod = fieldString(event, 'k8s.pod.name', 'ka.target.pod.name');
  const namespace = fieldString(event, 'k8s.ns.name', 'ka.target.namespace');
  if (!pod || !namespace) return "the alert has no 'k8s.pod.name' and 'k8s.ns.name'";
  const containerId = fieldString(event, 'container.id');
  return { pod, namespace, ...(containerId && containerId !== 'host' ? { containerId } : {}) };
}

const podPath = (t: ActionTarget) => `/api/v1/namespaces/${enc(t.namespace!)}/pods/${enc(t.pod!)}`;

async function getPod(ctx: ActionContext): Promise<Obj> {
  return obj(await kube(ctx).get(podPath(ctx.target)));
}

async function nodeOfPod(ctx: ActionContext): Promise<string> {
  const node = obj((await getPod(ctx)).spec).nodeName;
  if (typeof node !== 'string' || node === '') throw new Error(`the pod '${ctx.target.pod}' in the namespace '${ctx.target.namespace}' is not scheduled on a node`);
  return node;
}

export const terminate: Actionner = {
  fullName: 'kubernetes:terminate',
  checkParameters: (p) =>
    checkTypes(p, { grace_period_seconds: 'number', ignore_daemonsets: 'boolean', ignore_statefulsets: 'boolean', ignore_standalone_pods: 'boolean', min_healthy_replicas: 'int-or-percent' }),
  target: podTarget,
  async run(ctx): Promise<ActionResult> {
    const { pod: name, namespace } = ctx.target as { pod: string; namespace: string };
    const p = ctx.parameters;
    const objects = { pod: name, namespace };
    const pod = await getPod(ctx);
    const owners = (obj(pod.metadata).ownerReferences as Obj[] | undefined) ?? [];
    const ownerKind = owners[0]?.kind;
    const ignored = (why: string): ActionResult => ({ output: `the pod '${name}' in the namespace '${namespace}' ${why}`, ignored: true, objects });
    // Safer than Talon's defaults: these pods are only terminated when the rule asks for it.
    if (owners.length === 0 && p.ignore_standalone_pods !== false) return ignored('is a standalone pod and ignore_standalone_pods is true');
    if (ownerKind === 'DaemonSet' && p.ignore_daemonsets !== false) return ignored('belongs to a DaemonSet and ignore_daemonsets is true');
    if (ownerKind === 'StatefulSet' && p.ignore_statefulsets !== false) return ignored('belongs to a StatefulSet and ignore_statefulsets is true');
    if (ownerKind === 'ReplicaSet' && p.min_healthy_replicas !== undefined && p.min_healthy_replicas !== null) {
      const rs = obj(await kube(ctx).get(`/apis/apps/v1/namespaces/${enc(namespace)}/replicasets/${enc(String(owners[0]!.name))}`));
      const status = obj(rs.status);
      const ready = Number(status.readyReplicas ?? 0);
      const replicas = Number(status.replicas ?? 0);
      const wanted = String(p.min_healthy_replicas);
      const enough = wanted.endsWith('%') ? replicas > 0 && Number.parseInt(wanted, 10) <= Math.floor((100 * ready) / replicas) : Number.parseInt(wanted, 10) <= ready;
      if (!enough) throw new Error(`not enough healthy pods in the replicaset of the pod ${name} in namespace ${namespace}`);
    }
    const options: Obj = { apiVersion: 'v1', kind: 'DeleteOptions' };
    if (typeof p.grace_period_seconds === 'number') options.gracePeriodSeconds = p.grace_period_seconds;
    await kube(ctx).delete(podPath(ctx.target), options);
    return { output: `the pod '${name}' in the namespace '${namespace}' has been terminated`, objects };
  },
};

/** Labels or annotations: a value sets, an empty value removes. */
function metadataActionner(fullName: string, key: 'labels' | 'annotations'): Actionner {
  return {
    fullName,
    checkParameters: (p) => {
      const problems = checkTypes(p, { [key]: 'map', level: 'string' });
      if (p[key] === undefined || Object.keys(obj(p[key] as Json)).length === 0) problems.push(`parameter '${key}' should have at least one ${key.slice(0, -1)}`);
      if (p.level !== undefined && p.level !== 'pod' && p.level !== 'node') problems.push("parameter 'level' must be 'pod' or 'node'");
      return problems;
    },
    target: podTarget,
    async run(ctx): Promise<ActionResult> {
      const wanted = obj(ctx.parameters[key] as Json);
      const patch: Obj = {};
      for (const [k, v] of Object.entries(wanted)) patch[k] = v === null || String(v) === '' ? null : String(v);
      const body = { metadata: { [key]: patch } };
      if (ctx.parameters.level === 'node') {
        const node = await nodeOfPod(ctx);
        await kube(ctx).mergePatch(`/api/v1/nodes/${enc(node)}`, body);
        return { output: `the ${key} of the node '${node}' have been updated`, objects: { node } };
      }
      await kube(ctx).mergePatch(podPath(ctx.target), body);
      return { output: `the ${key} of the pod '${ctx.target.pod}' in the namespace '${ctx.target.namespace}' have been updated`, objects: { pod: ctx.target.pod!, namespace: ctx.target.namespace! } };
    },
  };
}

export const label = metadataActionner('kubernetes:label', 'labels');
export const annotation = metadataActionner('kubernetes:annotation', 'annotations');

/** The remote end of the alert's connection, as a /32 or /128 block. */
function destinationBlock(event: ResponseEvent): string | undefined {
  const ip = fieldString(event, 'fd.rip', 'fd.sip');
  if (!ip) return undefined;
  return ip.includes(':') ? `${ip}/128` : `${ip}/32`;
}

export const networkPolicy: Actionner = {
  fullName: 'kubernetes:networkpolicy',
  checkParameters: (p) => {
    const problems = checkTypes(p, { allow_cidr: 'list', allow_namespaces: 'list', isolate: 'string' });
    if (p.isolate !== undefined && p.isolate !== 'all' && p.isolate !== 'destination') problems.push("parameter 'isolate' must be 'all' or 'destination'");
    return problems;
  },
  target: podTarget,
  async run(ctx) {
    const { pod: name, namespace } = ctx.target as { pod: string; namespace: string };
    const labels = obj(obj((await getPod(ctx)).metadata).labels);
    delete labels['pod-template-hash'];
    if (Object.keys(labels).length === 0) throw new Error(`the pod '${name}' has no labels to select it with`);
    let egress: Json[];
    let what: string;
    if (ctx.parameters.isolate === 'destination') {
      const block = destinationBlock(ctx.event);
      if (!block) throw new Error("the alert has no 'fd.rip' or 'fd.sip' to isolate from");
      const all = block.endsWith('/128') ? '::/0' : '0.0.0.0/0';
      egress = [{ to: [{ ipBlock: { cidr: all, except: [block] } }] }];
      what = `the egress of the pod '${name}' in the namespace '${namespace}' to ${block} is denied`;
    } else {
      const cidrs = ((ctx.parameters.allow_cidr as Json[] | undefined) ?? []).map(String);
      const namespaces = ((ctx.parameters.allow_namespaces as Json[] | undefined) ?? []).map(String);
      const to: Json[] = [
        ...(cidrs.length > 0 ? cidrs : ['127.0.0.1/32']).map((cidr) => ({ ipBlock: { cidr } })),
        ...namespaces.map((ns) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } })),
      ];
      egress = [{ to }];
      what = `the egress of the pod '${name}' in the namespace '${namespace}' is denied`;
    }
    const policyName = `falco-response-${name}`.slice(0, 253);
    const policy: Obj = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: policyName, namespace, labels: { 'app.kubernetes.io/managed-by': 'falco-response' } },
      spec: { podSelector: { matchLabels: labels }, policyTypes: ['Egress'], egress },
    };
    const base = `/apis/networking.k8s.io/v1/namespaces/${enc(namespace)}/networkpolicies`;
    const existing = await kube(ctx).find(`${base}/${enc(policyName)}`);
    if (existing) {
      obj(policy.metadata).resourceVersion = obj(obj(existing).metadata).resourceVersion ?? null;
      await kube(ctx).put(`${base}/${enc(policyName)}`, policy);
    } else {
      await kube(ctx).post(base, policy);
    }
    return { output: what, objects: { networkpolicy: policyName, namespace } };
  },
};

function nodeTarget(event: ResponseEvent): ActionTarget | string {
  const t = podTarget(event);
  if (typeof t !== 'string') return t;
  // A host-level alert (no pod) acts on the node the detector runs on, named by the alert's hostname.
  return event.hostname ? { node: event.hostname } : t;
}

async function targetNode(ctx: ActionContext): Promise<string> {
  return ctx.target.pod ? nodeOfPod(ctx) : ctx.target.node!;
}

export const cordon: Actionner = {
  fullName: 'kubernetes:cordon',
  checkParameters: () => [],
  target: nodeTarget,
  async run(ctx) {
    const node = await targetNode(ctx);
    await kube(ctx).mergePatch(`/api/v1/nodes/${enc(node)}`, { spec: { unschedulable: true } });
    return { output: `the node '${node}' has been cordoned`, objects: { node } };
  },
};

export const taint: Actionner = {
  fullName: 'kubernetes:taint',
  templated: ['value'],
  checkParameters: (p) => {
    const problems = checkTypes(p, { key: 'string', value: 'string', effect: 'string', cordon: 'boolean' });
    if (p.effect !== undefined && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(String(p.effect))) problems.push("parameter 'effect' must be NoSchedule, PreferNoSchedule or NoExecute");
    return problems;
  },
  target: nodeTarget,
  async run(ctx) {
    const node = await targetNode(ctx);
    const key = String(ctx.parameters.key ?? 'falco.org/compromised');
    // A taint value must be a valid label value (63 characters of [A-Za-z0-9._-]); a templated
    // rule name is made into one.
    const value = String(ctx.parameters.value ?? 'true')
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .slice(0, 63)
      .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
    const effect = String(ctx.parameters.effect ?? 'NoSchedule');
    const current = obj(obj(await kube(ctx).get(`/api/v1/nodes/${enc(node)}`)).spec);
    const taints = ((current.taints as Obj[] | undefined) ?? []).filter((t) => !(t.key === key && t.effect === effect));
    taints.push({ key, value, effect });
    const spec: Obj = { taints };
    if (ctx.parameters.cordon === true) spec.unschedulable = true;
    await kube(ctx).mergePatch(`/api/v1/nodes/${enc(node)}`, { spec });
    return { output: `the node '${node}' has been tainted ${key}=${value}:${effect}${ctx.parameters.cordon === true ? ' and cordoned' : ''}`, objects: { node } };
  },
};

/** Audit resource names (ka.target.resource) → API paths; cluster-scoped ones ignore the namespace. */
const RESOURCES: Record<string, { group: string; namespaced: boolean }> = {
  namespaces: { group: '/api/v1', namespaced: false },
  configmaps: { group: '/api/v1', namespaced: true },
  secrets: { group: '/api/v1', namespaced: true },
  services: { group: '/api/v1', namespaced: true },
  serviceaccounts: { group: '/api/v1', namespaced: true },
  pods: { group: '/api/v1', namespaced: true },
  deployments: { group: '/apis/apps/v1', namespaced: true },
  daemonsets: { group: '/apis/apps/v1', namespaced: true },
  replicasets: { group: '/apis/apps/v1', namespaced: true },
  statefulsets: { group: '/apis/apps/v1', namespaced: true },
  roles: { group: '/apis/rbac.authorization.k8s.io/v1', namespaced: true },
  rolebindings: { group: '/apis/rbac.authorization.k8s.io/v1', namespaced: true },
  clusterroles: { group: '/apis/rbac.authorization.k8s.io/v1', namespaced: false },
  clusterrolebindings: { group: '/apis/rbac.authorization.k8s.io/v1', namespaced: false },
};

export const deleteResource: Actionner = {
  fullName: 'kubernetes:delete',
  checkParameters: () => [],
  target(event) {
    const resource = fieldString(event, 'ka.target.resource');
    const name = fieldString(event, 'ka.target.name');
    if (!resource || !name) return "the alert has no 'ka.target.resource' and 'ka.target.name'";
    const namespace = fieldString(event, 'ka.target.namespace');
    const t: ActionTarget = { resource: `${resource}/${namespace ?? ''}/${name}`, ...(namespace ? { namespace } : {}) };
    return resource === 'namespaces' ? { ...t, namespace: name } : t;
  },
  async run(ctx) {
    const [resource, namespace, name] = ctx.target.resource!.split('/') as [string, string, string];
    const kind = RESOURCES[resource];
    if (!kind) throw new Error(`the resource type '${resource}' is not managed`);
    if (kind.namespaced && namespace === '') throw new Error(`the alert has no 'ka.target.namespace' for the ${resource} '${name}'`);
    const path = kind.namespaced ? `${kind.group}/namespaces/${enc(namespace)}/${resource}/${enc(name)}` : `${kind.group}/${resource}/${enc(name)}`;
    await kube(ctx).delete(path);
    return { output: `the ${resource.replace(/s$/, '')} '${name}'${kind.namespaced ? ` in the namespace '${namespace}'` : ''} has been deleted`, objects: { resource, name, ...(namespace ? { namespace } : {}) } };
  },
};

