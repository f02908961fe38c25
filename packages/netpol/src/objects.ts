/**
 * Kubernetes API objects (as JSON, from a watch or a file) into the index: the records evaluation
 * reads are taken from the fields the API defines (pod status.podIPs and container ports, Node
 * addresses, Service clusterIPs and ports, EndpointSlice endpoints and their ready condition).
 * Objects of unknown shape are refused with a `NetpolError`, never half-applied.
 */
import { invalidObject } from './errors';
import type { NetpolIndex } from './index-store';
import type { ContainerPort, EndpointSliceRecord, NetworkPolicy, NodeRecord, PodRecord, ServicePort, ServiceRecord } from './types';

/** The resources a cluster watch delivers, by their API plural names. */
export type ObjectResource = 'networkpolicies' | 'pods' | 'namespaces' | 'nodes' | 'services' | 'endpointslices';

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const labelsOf = (meta: Json): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(meta['labels']))) if (typeof v === 'string') out[k] = v;
  return out;
};

function meta(o: unknown, resource: string): { name: string; namespace: string; meta: Json } {
  const m = obj(obj(o)['metadata']);
  const name = str(m['name']);
  if (!name) throw invalidObject(resource, 'metadata.name', 'the object has no name');
  return { name, namespace: str(m['namespace']) ?? '', meta: m };
}

export function podFromObject(o: unknown): PodRecord {
  const { name, namespace, meta: m } = meta(o, 'pod');
  const spec = obj(obj(o)['spec']);
  const status = obj(obj(o)['status']);
  const ips = arr(status['podIPs']).map((p) => str(obj(p)['ip'])).filter((ip): ip is string => !!ip);
  const podIp = str(status['podIP']);
  if (ips.length === 0 && podIp) ips.push(podIp);
  const hostIps = arr(status['hostIPs']).map((p) => str(obj(p)['ip'])).filter((ip): ip is string => !!ip);
  const hostIp = str(status['hostIP']);
  if (hostIps.length === 0 && hostIp) hostIps.push(hostIp);
  const ports: ContainerPort[] = [];
  for (const c of [...arr(spec['containers']), ...arr(spec['initContainers'])]) {
    for (const p of arr(obj(c)['ports'])) {
      const port = obj(p)['containerPort'];
      if (typeof port !== 'number') continue;
      const pname = str(obj(p)['name']);
      const protocol = str(obj(p)['protocol']);
      ports.push({ port, ...(pname ? { name: pname } : {}), ...(protocol ? { protocol } : {}) });
    }
  }
  const nodeName = str(spec['nodeName']);
  return {
    namespace,
    name,
    labels: labelsOf(m),
    ips,
    ...(nodeName ? { nodeName } : {}),
    ...(hostIps.length > 0 ? { hostIPs: hostIps } : {}),
    ...(spec['hostNetwork'] === true ? { hostNetwork: true } : {}),
    ports,
  };
}

export function nodeFromObject(o: unknown): NodeRecord {
  const { name } = meta(o, 'node');
  const addresses = arr(obj(obj(o)['status'])['addresses']);
  const ips = addresses
    .map((a) => obj(a))
    .filter((a) => a['type'] === 'InternalIP' || a['type'] === 'ExternalIP')
    .map((a) => str(a['address']))
    .filter((ip): ip is string => !!ip);
  return { name, ips };
}

export function serviceFromObject(o: unknown): ServiceRecord {
  const { name, namespace } = meta(o, 'service');
  const spec = obj(obj(o)['spec']);
  const clusterIPs = arr(spec['clusterIPs']).map(str).filter((ip): ip is string => !!ip && ip !== 'None');
  const clusterIp = str(spec['clusterIP']);
  if (clusterIPs.length === 0 && clusterIp && clusterIp !== 'None') clusterIPs.push(clusterIp);
  const ports: ServicePort[] = [];
  for (const p of arr(spec['ports'])) {
    const port = obj(p)['port'];
    if (typeof port !== 'number') continue;
    const pname = str(obj(p)['name']);
    const protocol = str(obj(p)['protocol']);
    const target = obj(p)['targetPort'];
    ports.push({
      port,
      ...(pname ? { name: pname } : {}),
      ...(protocol ? { protocol } : {}),
      ...(typeof target === 'number' || typeof target === 'string' ? { targetPort: target } : {}),
    });
  }
  const selector: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(spec['selector']))) if (typeof v === 'string') selector[k] = v;
  return { namespace, name, clusterIPs, ports, ...(Object.keys(selector).length > 0 ? { selector } : {}) };
}

export function endpointSliceFromObject(o: unknown): EndpointSliceRecord {
  const { name, namespace, meta: m } = meta(o, 'endpointslice');
  const service = labelsOf(m)['kubernetes.io/service-name'] ?? '';
  const ports = arr(obj(o)['ports'])
    .map((p) => obj(p))
    .filter((p) => typeof p['port'] === 'number')
    .map((p) => ({ port: p['port'] as number, ...(str(p['name']) ? { name: str(p['name'])! } : {}), ...(str(p['protocol']) ? { protocol: str(p['protocol'])! } : {}) }));
  const endpoints = arr(obj(o)['endpoints']).map((e) => {
    const ep = obj(e);
    const ready = obj(ep['conditions'])['ready'];
    const ref = obj(ep['targetRef']);
    const targetPod = ref['kind'] === 'Pod' && str(ref['name']) ? { namespace: str(ref['namespace']) ?? namespace, name: str(ref['name'])! } : undefined;
    return {
      addresses: arr(ep['addresses']).map(str).filter((a): a is string => !!a),
      ...(typeof ready === 'boolean' ? { ready } : {}),
      ...(targetPod ? { targetPod } : {}),
    };
  });
  return { namespace, name, service, ports, endpoints };
}

/**
 * Applies one watch event to the index. Returns the problem of a policy that does not compile
 * (it is then not in force); throws `NetpolError` for an object without a name.
 */
export function applyObject(index: NetpolIndex, resource: ObjectResource, type: 'add' | 'update' | 'delete', o: unknown): Error | undefined {
  const { name, namespace, meta: m } = meta(o, resource);
  const del = type === 'delete';
  switch (resource) {
    case 'networkpolicies':
      if (del) index.deletePolicy(namespace, name);
      else return index.setPolicy(o as NetworkPolicy);
      return undefined;
    case 'pods':
      if (del) index.deletePod(namespace, name);
      else index.setPod(podFromObject(o));
      return undefined;
    case 'namespaces':
      if (del) index.deleteNamespace(name);
      else index.setNamespace({ name, labels: labelsOf(m) });
      return undefined;
    case 'nodes':
      if (del) index.deleteNode(name);
      else index.setNode(nodeFromObject(o));
      return undefined;
    case 'services':
      if (del) index.deleteService(namespace, name);
      else index.setService(serviceFromObject(o));
      return undefined;
    case 'endpointslices':
      if (del) index.deleteEndpointSlice(namespace, name);
      else index.setEndpointSlice(endpointSliceFromObject(o));
      return undefined;
  }
}
