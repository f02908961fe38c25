/**
 * The fields of the `k8s_audit` source: the `ka.*` fields of Falco's k8saudit plugin and the
 * `json.*` / `jevt.*` fields of its json plugin, with the plugins' semantics (every value is a
 * string; objects and numbers render as compact JSON; list fields take an optional index).
 */
import { MapFieldRegistry, type FieldDefinition, type FieldValue } from '@falco-ts/filter-lang';
import type { AuditEvent, Json } from './event';

type Obj = { [key: string]: Json };

function get(v: Json | undefined, ...keys: string[]): Json | undefined {
  let cur: Json | undefined = v;
  for (const k of keys) {
    if (cur === null || cur === undefined || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Obj)[k];
  }
  return cur;
}

/** A JSON value as the plugins print it: strings as is, everything else as compact JSON. */
export function jsonText(v: Json): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

const text = (v: Json | undefined): string | undefined => (v === undefined ? undefined : jsonText(v));

function strings(v: Json | undefined): string[] | undefined {
  return Array.isArray(v) ? v.map(jsonText) : undefined;
}

/** An optional `[n]` argument selects one element; a non-numeric argument selects all. */
function pick<T>(arr: T[] | undefined, arg: string | undefined): T[] | undefined {
  if (!arr) return undefined;
  if (arg === undefined || !/^\d+$/.test(arg)) return arr;
  const i = Number(arg);
  return i < arr.length ? [arr[i] as T] : undefined;
}

/** The pod spec's container lists: regular, init and ephemeral containers. */
type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers';

function containers(e: AuditEvent, arg: string | undefined, list: ContainerList = 'containers'): Json[] | undefined {
  const c = get(e.json, 'requestObject', 'spec', list);
  return pick(Array.isArray(c) ? c : undefined, arg);
}

function perContainer(keys: string[], skipMissing: boolean, list: ContainerList = 'containers') {
  return (e: AuditEvent, arg: string | undefined): FieldValue => {
    const cs = containers(e, arg, list);
    if (!cs) return undefined;
    const out: string[] = [];
    for (const c of cs) {
      const v = get(c, ...keys);
      if (v === undefined || v === null) {
        if (skipMissing) continue;
        return undefined;
      }
      out.push(jsonText(v));
    }
    return out;
  };
}

function images(e: AuditEvent, arg: string | undefined, list: ContainerList = 'containers'): string[] | undefined {
  const cs = containers(e, arg, list);
  if (!cs) return undefined;
  const out: string[] = [];
  for (const c of cs) {
    const img = get(c, 'image');
    if (img === undefined) return undefined;
    out.push(jsonText(img));
  }
  return out;
}

const repository = (image: string): string => (image.split(':')[0] ?? '').split('@')[0] ?? '';

/** The container value, or the pod's security-context value, or "0". */
function effective(key: string, list: ContainerList = 'containers') {
  return (e: AuditEvent, arg: string | undefined): FieldValue => {
    const podValue = get(e.json, 'requestObject', 'spec', 'securityContext', key);
    const dflt = podValue === undefined || podValue === null ? '0' : jsonText(podValue);
    const cs = containers(e, arg, list);
    if (!cs) return undefined;
    return cs.map((c) => {
      const v = get(c, 'securityContext', key);
      return v === undefined || v === null ? dflt : jsonText(v);
    });
  };
}

function roleRules(key: string) {
  return (e: AuditEvent, arg: string | undefined): FieldValue => {
    const rules = get(e.json, 'requestObject', 'rules');
    const picked = pick(Array.isArray(rules) ? rules : undefined, arg);
    if (!picked) return undefined;
    const out: string[] = [];
    for (const r of picked) {
      const v = get(r, key);
      if (Array.isArray(v)) for (const x of v) if (x !== null) out.push(jsonText(x));
    }
    return out;
  };
}

function volumes(e: AuditEvent, arg: string | undefined): Json[] | undefined {
  const v = get(e.json, 'requestObject', 'spec', 'volumes');
  return pick(Array.isArray(v) ? v : undefined, arg);
}

function hostPaths(e: AuditEvent): string[] | undefined {
  const vs = volumes(e, undefined);
  if (!vs) return undefined;
  const out: string[] = [];
  for (const v of vs) {
    const p = get(v, 'hostPath', 'path');
    if (p !== undefined && p !== null) out.push(jsonText(p));
  }
  return out;
}

/** RFC 6901 pointer into the event (`/requestObject/spec`, `~1` for `/`, `~0` for `~`). */
function pointer(e: AuditEvent, ptr: string | undefined): string | undefined {
  if (!ptr) return undefined;
  const keys = (ptr.startsWith('/') ? ptr.slice(1) : ptr).split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  let cur: Json | undefined = e.json;
  for (const k of keys) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? (/^\d+$/.test(k) ? cur[Number(k)] : undefined) : (cur as Obj)[k];
  }
  return cur === undefined ? undefined : jsonText(cur);
}

type Extract = (e: AuditEvent, arg: string | undefined) => FieldValue;

interface Spec {
  name: string;
  description: string;
  extract: Extract;
  list?: boolean;
  arg?: 'index' | 'key';
  type?: 'charbuf' | 'uint64';
}

const keys =
  (...path: string[]): Extract =>
  (e) =>
    text(get(e.json, ...path));
const keyList =
  (...path: string[]): Extract =>
  (e) =>
    strings(get(e.json, ...path));

function hostPorts(e: AuditEvent, a: string | undefined, list: ContainerList): FieldValue {
  const cs = containers(e, a, list);
  if (!cs) return undefined;
  const out: string[] = [];
  for (const c of cs) {
    const ports = get(c, 'ports');
    // A container without ports makes the whole field missing, as in the plugin.
    if (!Array.isArray(ports)) return undefined;
    for (const p of ports) {
      const v = get(p, 'hostPort') ?? get(p, 'containerPort');
      if (v !== undefined) out.push(jsonText(v));
    }
  }
  return out;
}

function addCapabilities(e: AuditEvent, a: string | undefined, list: ContainerList): FieldValue {
  const cs = containers(e, a, list);
  if (!cs) return undefined;
  const out: string[] = [];
  for (const c of cs) {
    const add = get(c, 'securityContext', 'capabilities', 'add');
    if (add === undefined || add === null) continue;
    out.push(jsonText(add));
  }
  return out;
}

/**
 * The per-list fields newer k8saudit versions add for init and ephemeral containers, with the
 * same semantics as their `ka.req.pod.containers.*` counterparts. `command` and `args` give one
 * value per container: its array as compact JSON.
 */
function otherContainerSpecs(list: 'initContainers' | 'ephemeralContainers'): Spec[] {
  const what = list === 'initContainers' ? 'init containers' : 'ephemeral containers';
  const n = `ka.req.pod.${list}`;
  const specs: Spec[] = [
    { name: `${n}.name`, description: `The ${what}' names`, extract: perContainer(['name'], true, list) },
    { name: `${n}.image`, description: `The ${what}' images`, extract: (e, a) => images(e, a, list) },
    { name: `${n}.image.repository`, description: `The repository part of the ${what}' images`, extract: (e, a) => images(e, a, list)?.map(repository) },
    { name: `${n}.command`, description: `The ${what}' commands`, extract: perContainer(['command'], true, list) },
    { name: `${n}.args`, description: `The ${what}' args`, extract: perContainer(['args'], true, list) },
    { name: `${n}.privileged`, description: `The ${what}' privileged flags`, extract: perContainer(['securityContext', 'privileged'], true, list) },
    { name: `${n}.allow_privilege_escalation`, description: `The ${what}' allowPrivilegeEscalation flags`, extract: perContainer(['securityContext', 'allowPrivilegeEscalation'], false, list) },
    { name: `${n}.read_only_fs`, description: `The ${what}' readOnlyRootFilesystem flags`, extract: perContainer(['securityContext', 'readOnlyRootFilesystem'], false, list) },
    { name: `${n}.run_as_user`, description: `The ${what}' runAsUser`, extract: perContainer(['securityContext', 'runAsUser'], false, list) },
    { name: `${n}.eff_run_as_user`, description: `The uid each of the ${what} starts with (container, else pod, else 0)`, extract: effective('runAsUser', list) },
    { name: `${n}.run_as_group`, description: `The ${what}' runAsGroup`, extract: perContainer(['securityContext', 'runAsGroup'], false, list) },
    { name: `${n}.eff_run_as_group`, description: `The gid each of the ${what} starts with (container, else pod, else 0)`, extract: effective('runAsGroup', list) },
    { name: `${n}.proc_mount`, description: `The ${what}' procMount types`, extract: perContainer(['securityContext', 'procMount'], false, list) },
    { name: `${n}.add_capabilities`, description: `The ${what}' added capabilities`, extract: (e, a) => addCapabilities(e, a, list) },
  ];
  if (list === 'initContainers') specs.push({ name: `${n}.host_port`, description: `The ${what}' host ports`, extract: (e, a) => hostPorts(e, a, list) });
  return specs.map((s) => ({ ...s, list: true, arg: 'index' as const }));
}

const SPECS: Spec[] = [
  { name: 'ka.auditid', description: 'The unique id of the audit event', extract: keys('auditID') },
  { name: 'ka.stage', description: 'Stage of the request (e.g. RequestReceived, ResponseComplete)', extract: keys('stage') },
  { name: 'ka.auth.decision', description: 'The authorization decision', extract: keys('annotations', 'authorization.k8s.io/decision') },
  { name: 'ka.auth.reason', description: 'The authorization reason', extract: keys('annotations', 'authorization.k8s.io/reason') },
  { name: 'ka.user.name', description: 'The user name performing the request', extract: keys('user', 'username') },
  { name: 'ka.user.groups', description: 'The groups to which the user belongs', extract: keyList('user', 'groups'), list: true },
  { name: 'ka.impuser.name', description: 'The impersonated user name', extract: keys('impersonatedUser', 'username') },
  { name: 'ka.verb', description: 'The action being performed', extract: keys('verb') },
  { name: 'ka.uri', description: 'The request URI as sent from client to server', extract: keys('requestURI') },
  {
    name: 'ka.uri.param',
    description: 'The value of a query parameter of the URI (ka.uri.param[key])',
    arg: 'key',
    extract: (e, arg) => {
      const uri = get(e.json, 'requestURI');
      if (typeof uri !== 'string' || !arg) return undefined;
      const q = uri.indexOf('?');
      if (q < 0) return undefined;
      return new URLSearchParams(uri.slice(q + 1)).get(arg) ?? undefined;
    },
  },
  { name: 'ka.target.name', description: 'The target object name', extract: keys('objectRef', 'name') },
  { name: 'ka.target.namespace', description: 'The target object namespace', extract: keys('objectRef', 'namespace') },
  { name: 'ka.target.resource', description: 'The target object resource', extract: keys('objectRef', 'resource') },
  { name: 'ka.target.subresource', description: 'The target object subresource', extract: keys('objectRef', 'subresource') },
  { name: 'ka.req.binding.subjects', description: 'The subjects a role binding links', extract: keyList('requestObject', 'subjects'), list: true },
  { name: 'ka.req.binding.role', description: 'The role a role binding links', extract: keys('requestObject', 'roleRef', 'name') },
  // Deprecated upstream; it has always answered "true" whatever its argument.
  { name: 'ka.req.binding.subject.has_name', description: 'Deprecated; always true', arg: 'key', extract: () => 'true' },
  { name: 'ka.req.configmap.name', description: 'The configmap name', extract: keys('objectRef', 'name') },
  { name: 'ka.req.configmap.obj', description: 'The configmap data', extract: keys('requestObject', 'data') },
  { name: 'ka.req.pod.containers.image', description: "The pod containers' images", list: true, arg: 'index', extract: images },
  { name: 'ka.req.container.image', description: 'The image of the first container', extract: (e) => images(e, '0')?.[0] },
  { name: 'ka.req.pod.containers.image.repository', description: "The repository part of the containers' images", list: true, arg: 'index', extract: (e, a) => images(e, a)?.map(repository) },
  { name: 'ka.req.container.image.repository', description: 'The repository of the first container image', extract: (e) => images(e, '0')?.map(repository)[0] },
  { name: 'ka.req.pod.host_ipc', description: 'The hostIPC flag of the pod', extract: keys('requestObject', 'spec', 'hostIPC') },
  { name: 'ka.req.pod.host_network', description: 'The hostNetwork flag of the pod', extract: keys('requestObject', 'spec', 'hostNetwork') },
  { name: 'ka.req.container.host_network', description: 'Deprecated alias of ka.req.pod.host_network', extract: keys('requestObject', 'spec', 'hostNetwork') },
  { name: 'ka.req.pod.host_pid', description: 'The hostPID flag of the pod', extract: keys('requestObject', 'spec', 'hostPID') },
  {
    name: 'ka.req.pod.containers.host_port',
    description: "The containers' host ports",
    list: true,
    arg: 'index',
    extract: (e, a) => hostPorts(e, a, 'containers'),
  },
  { name: 'ka.req.pod.containers.privileged', description: "The containers' privileged flags", list: true, arg: 'index', extract: perContainer(['securityContext', 'privileged'], true) },
  {
    name: 'ka.req.container.privileged',
    description: 'Whether any container is privileged',
    extract: (e) => {
      const cs = containers(e, undefined);
      if (!cs) return undefined;
      return cs.some((c) => get(c, 'securityContext', 'privileged') === true) ? 'true' : 'false';
    },
  },
  { name: 'ka.req.pod.containers.allow_privilege_escalation', description: "The containers' allowPrivilegeEscalation flags", list: true, arg: 'index', extract: perContainer(['securityContext', 'allowPrivilegeEscalation'], false) },
  { name: 'ka.req.pod.containers.read_only_fs', description: "The containers' readOnlyRootFilesystem flags", list: true, arg: 'index', extract: perContainer(['securityContext', 'readOnlyRootFilesystem'], false) },
  { name: 'ka.req.pod.run_as_user', description: 'The pod runAsUser', extract: keys('requestObject', 'spec', 'securityContext', 'runAsUser') },
  { name: 'ka.req.pod.containers.run_as_user', description: "The containers' runAsUser", list: true, arg: 'index', extract: perContainer(['securityContext', 'runAsUser'], false) },
  { name: 'ka.req.pod.containers.eff_run_as_user', description: 'The uid each container starts with (container, else pod, else 0)', list: true, arg: 'index', extract: effective('runAsUser') },
  { name: 'ka.req.pod.run_as_group', description: 'The pod runAsGroup', extract: keys('requestObject', 'spec', 'securityContext', 'runAsGroup') },
  { name: 'ka.req.pod.containers.run_as_group', description: "The containers' runAsGroup", list: true, arg: 'index', extract: perContainer(['securityContext', 'runAsGroup'], false) },
  { name: 'ka.req.pod.containers.eff_run_as_group', description: 'The gid each container starts with (container, else pod, else 0)', list: true, arg: 'index', extract: effective('runAsGroup') },
  { name: 'ka.req.pod.containers.proc_mount', description: "The containers' procMount types", list: true, arg: 'index', extract: perContainer(['securityContext', 'procMount'], false) },
  { name: 'ka.req.role.rules', description: 'The rules of a role', extract: keyList('requestObject', 'rules'), list: true },
  { name: 'ka.req.role.rules.apiGroups', description: "The api groups of a role's rules", list: true, arg: 'index', extract: roleRules('apiGroups') },
  { name: 'ka.req.role.rules.nonResourceURLs', description: "The non-resource URLs of a role's rules", list: true, arg: 'index', extract: roleRules('nonResourceURLs') },
  { name: 'ka.req.role.rules.verbs', description: "The verbs of a role's rules", list: true, arg: 'index', extract: roleRules('verbs') },
  { name: 'ka.req.role.rules.resources', description: "The resources of a role's rules", list: true, arg: 'index', extract: roleRules('resources') },
  { name: 'ka.req.pod.fs_group', description: 'The pod fsGroup', extract: keys('requestObject', 'spec', 'securityContext', 'fsGroup') },
  { name: 'ka.req.pod.supplemental_groups', description: 'The pod supplementalGroups', extract: keyList('requestObject', 'spec', 'securityContext', 'supplementalGroups'), list: true },
  { name: 'ka.req.pod.containers.add_capabilities', description: "The containers' added capabilities", list: true, arg: 'index', extract: (e, a) => addCapabilities(e, a, 'containers') },
  { name: 'ka.req.service.type', description: 'The service type', extract: keys('requestObject', 'spec', 'type') },
  { name: 'ka.req.service.ports', description: 'The service ports', list: true, arg: 'index', extract: (e, a) => {
    const p = get(e.json, 'requestObject', 'spec', 'ports');
    return pick(Array.isArray(p) ? p.map(jsonText) : undefined, a);
  } },
  { name: 'ka.req.pod.volumes.hostpath', description: 'The hostPath paths of the pod volumes', list: true, arg: 'index', extract: (e, a) => {
    const vs = volumes(e, a);
    if (!vs) return undefined;
    return vs.map((v) => get(v, 'hostPath', 'path')).filter((p): p is Json => p !== undefined && p !== null).map(jsonText);
  } },
  {
    name: 'ka.req.volume.hostpath',
    description: 'Whether a volume uses this host path (a trailing * matches a prefix)',
    arg: 'key',
    extract: (e, arg) => {
      const paths = hostPaths(e);
      if (!paths || !arg) return undefined;
      const prefix = arg.endsWith('*') ? arg.slice(0, -1) : undefined;
      return paths.some((p) => (prefix !== undefined && p.startsWith(prefix)) || p === arg) ? 'true' : 'false';
    },
  },
  { name: 'ka.req.pod.volumes.flexvolume_driver', description: 'The flexVolume drivers of the pod volumes', list: true, arg: 'index', extract: (e, a) => {
    const vs = volumes(e, a);
    if (!vs) return undefined;
    return vs.map((v) => get(v, 'flexVolume', 'driver')).filter((d): d is Json => d !== undefined && d !== null).map(jsonText);
  } },
  { name: 'ka.req.pod.volumes.volume_type', description: 'The types of the pod volumes', list: true, arg: 'index', extract: (e, a) => {
    const vs = volumes(e, a);
    if (!vs) return undefined;
    const out: string[] = [];
    for (const v of vs) if (v && typeof v === 'object' && !Array.isArray(v)) for (const k of Object.keys(v)) if (k !== 'name') out.push(k);
    return out;
  } },
  { name: 'ka.resp.name', description: 'The response object name', extract: keys('responseObject', 'metadata', 'name') },
  { name: 'ka.response.code', description: 'The response code', extract: keys('responseStatus', 'code') },
  { name: 'ka.response.reason', description: 'The response reason', extract: keys('responseStatus', 'reason') },
  { name: 'ka.useragent', description: 'The user agent of the client', extract: keys('userAgent') },
  { name: 'ka.sourceips', description: 'The IP addresses of the client that made the request', list: true, arg: 'index', extract: (e, a) => pick(strings(get(e.json, 'sourceIPs')), a) },
];

const JSON_SPECS: Spec[] = ['json', 'jevt'].flatMap((prefix) => [
  { name: `${prefix}.value`, description: 'The value at a JSON pointer in the event (json.value[/a/b])', arg: 'key' as const, extract: pointer },
  { name: `${prefix}.obj`, description: 'The whole event as indented JSON', extract: (e: AuditEvent) => JSON.stringify(e.json, null, 2) },
  { name: `${prefix}.rawtime`, description: 'The event time in nanoseconds since the epoch', type: 'uint64' as const, extract: (e: AuditEvent) => e.ts },
]);

function definition(s: Spec): FieldDefinition<AuditEvent> {
  return {
    name: s.name,
    type: s.type ?? 'charbuf',
    list: s.list,
    description: s.description,
    arg: s.arg === undefined ? { kind: 'none' } : s.arg === 'key' ? { kind: 'required', form: 'key' } : { kind: 'optional', form: 'any' },
    extract: s.extract,
  };
}

const FIELD_SPECS: readonly Spec[] = [...SPECS, ...otherContainerSpecs('initContainers'), ...otherContainerSpecs('ephemeralContainers'), ...JSON_SPECS];

/** The field classes of the source, as `--list` groups them: the k8saudit and json plugins' fields. */
export const K8S_AUDIT_FIELD_CLASSES: readonly { readonly name: string; readonly title: string; readonly description: string }[] = [
  { name: 'k8saudit', title: 'Kubernetes Audit Events', description: 'Fields of Kubernetes audit events (the k8saudit plugin, built in).' },
  { name: 'json', title: 'JSON values', description: 'Values of the audit event JSON by pointer (the json plugin, built in).' },
];

/** Name, type, class and description of every field of the source, in `--list` order. */
export const K8S_AUDIT_FIELDS: readonly {
  readonly name: string;
  readonly type: 'string' | 'uint64';
  readonly className: 'k8saudit' | 'json';
  readonly description: string;
  readonly list: boolean;
  readonly arg: 'none' | 'index' | 'key';
}[] = FIELD_SPECS.map((s) => ({
  name: s.name,
  type: s.type === 'uint64' ? 'uint64' : 'string',
  className: s.name.startsWith('ka.') ? 'k8saudit' : 'json',
  description: s.description,
  list: s.list ?? false,
  arg: s.arg ?? 'none',
}));

/** The `ka.*`, `json.*` and `jevt.*` fields on filter-lang's registry interface. */
export function k8sAuditFields(): MapFieldRegistry<AuditEvent> & { names(): string[] } {
  const registry = new MapFieldRegistry<AuditEvent>(FIELD_SPECS.map(definition));
  const names = FIELD_SPECS.map((s) => s.name);
  return Object.assign(registry, { names: () => [...names] });
}
