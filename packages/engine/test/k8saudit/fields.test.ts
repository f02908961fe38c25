/**
 * The `ka.*` / `json.*` / `jevt.*` fields on real audit events from the shared conformance data,
 * with the k8saudit plugin's conventions: every value a string, a missing value `undefined`
 * (rendered `<NA>`), list fields with an optional index.
 */
import { join } from 'node:path';
import { createK8sAuditSource, readAuditFile, readAuditEvents, type AuditEvent } from '../../src/k8saudit';

const EVENTS = join(__dirname, '../../../../../shared/conformance/falco/k8saudit');
const now = (): bigint => 1n;
const source = createK8sAuditSource();
const field = (name: string, arg?: string) => {
  const def = source.fields.get(name);
  if (!def) throw new Error(`no field ${name}`);
  return (e: AuditEvent) => def.extract(e, arg);
};
const one = (json: object): AuditEvent => readAuditEvents(JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', ...json }), { source: 't', nowNs: now, strict: true })[0]!;

describe('k8s_audit fields', () => {
  const pod = readAuditFile(join(EVENTS, 'create_nginx_pod_privileged_2nd_container.json'), now)[0]!;

  it('extracts request metadata', () => {
    expect(field('ka.verb')(pod)).toBe('create');
    expect(field('ka.target.resource')(pod)).toBe('pods');
    expect(field('ka.stage')(pod)).toBe('ResponseComplete');
    expect(field('ka.auth.decision')(pod)).toBe('allow');
    expect(field('ka.response.code')(pod)).toBe('201');
    // No subresource in the objectRef: missing, printed <NA> by outputs.
    expect(field('ka.target.subresource')(pod)).toBeUndefined();
  });

  it('extracts pod containers with optional indexes', () => {
    expect(field('ka.req.pod.containers.image')(pod)).toEqual(['nginx', 'mysql:latest']);
    expect(field('ka.req.pod.containers.image', '1')(pod)).toEqual(['mysql:latest']);
    expect(field('ka.req.pod.containers.image', '7')(pod)).toBeUndefined();
    expect(field('ka.req.pod.containers.image.repository')(pod)).toEqual(['nginx', 'mysql']);
    expect(field('ka.req.container.image')(pod)).toBe('nginx');
    expect(field('ka.req.pod.containers.privileged')(pod)).toEqual(['false', 'true']);
    expect(field('ka.req.container.privileged')(pod)).toBe('true');
  });

  it('answers host path checks only when the pod has volumes', () => {
    expect(field('ka.req.volume.hostpath', '/etc*')(pod)).toBeUndefined();
    const mount = readAuditFile(join(EVENTS, 'create_nginx_pod_sensitive_mount.json'), now)[0]!;
    expect(field('ka.req.volume.hostpath', '/etc*')(mount)).toBe('true');
    expect(field('ka.req.volume.hostpath', '/etcx')(mount)).toBe('false');
    expect(field('ka.req.pod.volumes.hostpath')(mount)).toContain('/etc');
  });

  it('combines pod and container security contexts for effective ids', () => {
    const e = one({
      requestObject: {
        spec: {
          securityContext: { runAsUser: 1000 },
          containers: [{ image: 'a', securityContext: { runAsUser: 0, capabilities: { add: ['NET_ADMIN'] } } }, { image: 'b:1' }],
          initContainers: [{ name: 'init', image: 'reg.example.com/i:1', securityContext: { privileged: true }, command: ['sh', '-c'] }],
          ephemeralContainers: [{ name: 'dbg', image: 'busybox' }],
        },
      },
    });
    expect(field('ka.req.pod.containers.eff_run_as_user')(e)).toEqual(['0', '1000']);
    expect(field('ka.req.pod.containers.eff_run_as_group')(e)).toEqual(['0', '0']);
    expect(field('ka.req.pod.containers.run_as_user')(e)).toBeUndefined();
    expect(field('ka.req.pod.containers.add_capabilities')(e)).toEqual(['["NET_ADMIN"]']);
    expect(field('ka.req.pod.initContainers.privileged')(e)).toEqual(['true']);
    expect(field('ka.req.pod.initContainers.image.repository')(e)).toEqual(['reg.example.com/i']);
    expect(field('ka.req.pod.initContainers.command')(e)).toEqual(['["sh","-c"]']);
    expect(field('ka.req.pod.ephemeralContainers.image')(e)).toEqual(['busybox']);
    expect(field('ka.req.pod.ephemeralContainers.privileged')(e)).toEqual([]);
    expect(field('ka.req.pod.containers.image')(e)).toEqual(['a', 'b:1']);
  });

  it('extracts users, uri parameters, source IPs, roles and services', () => {
    const e = one({
      user: { username: 'alice', groups: ['system:authenticated', 'dev'] },
      impersonatedUser: { username: 'bob' },
      requestURI: '/api/v1/namespaces/default/pods/p/exec?command=bash&container=c',
      sourceIPs: ['10.0.0.1', '192.168.1.2'],
      userAgent: 'kubectl/v1.29',
      requestObject: { rules: [{ apiGroups: [''], resources: ['*'], verbs: ['get', 'list'] }], spec: { type: 'NodePort', ports: [{ port: 80 }] } },
    });
    expect(field('ka.user.name')(e)).toBe('alice');
    expect(field('ka.user.groups')(e)).toEqual(['system:authenticated', 'dev']);
    expect(field('ka.impuser.name')(e)).toBe('bob');
    expect(field('ka.uri.param', 'command')(e)).toBe('bash');
    expect(field('ka.uri.param', 'nope')(e)).toBeUndefined();
    expect(field('ka.sourceips')(e)).toEqual(['10.0.0.1', '192.168.1.2']);
    expect(field('ka.sourceips', '1')(e)).toEqual(['192.168.1.2']);
    expect(field('ka.useragent')(e)).toBe('kubectl/v1.29');
    expect(field('ka.req.role.rules.resources')(e)).toEqual(['*']);
    expect(field('ka.req.role.rules.verbs')(e)).toEqual(['get', 'list']);
    expect(field('ka.req.service.type')(e)).toBe('NodePort');
    expect(field('ka.req.service.ports')(e)).toEqual(['{"port":80}']);
    expect(field('ka.impuser.name')(one({}))).toBeUndefined();
  });

  it('reads JSON pointers, the whole event and timestamps', () => {
    expect(field('jevt.value', '/stage')(pod)).toBe('ResponseComplete');
    expect(field('json.value', '/annotations/authorization.k8s.io~1decision')(pod)).toBe('allow');
    expect(field('json.value', '/requestObject/spec/containers/1/image')(pod)).toBe('mysql:latest');
    expect(field('json.value', '/no/such')(pod)).toBeUndefined();
    expect(JSON.parse(field('json.obj')(pod) as string)).toEqual(pod.json);
    expect(pod.ts).toBeGreaterThan(1_500_000_000_000_000_000n);
    expect(field('jevt.rawtime')(pod)).toBe(pod.ts);
  });

  it('lists every upstream ka.* field', () => {
    const names = (source.fields as unknown as { names(): string[] }).names();
    for (const n of ['ka.auditid', 'ka.sourceips', 'ka.req.pod.volumes.volume_type', 'ka.req.binding.subject.has_name', 'ka.resp.name', 'ka.req.pod.ephemeralContainers.add_capabilities']) expect(names).toContain(n);
  });
});
