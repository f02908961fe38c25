/**
 * The repository's `rules/k8s_audit_rules.yaml`: loads with no errors or warnings against the
 * k8s_audit source, and each rule fires on the real audit events that show its behaviour (shared
 * conformance data) and stays quiet on their benign counterparts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../src/engine';
import { createK8sAuditSource, readAuditEvents, readAuditFile, K8S_AUDIT_SOURCE, type AuditEvent } from '../../src/k8saudit';

const RULES = join(__dirname, '../../../../rules/k8s_audit_rules.yaml');
const EVENTS = join(__dirname, '../../../../../shared/conformance/falco/k8saudit');
const now = (): bigint => 1n;

const engine = new Engine([createK8sAuditSource() as never]);
const result = engine.loadRules(readFileSync(RULES, 'utf8'), 'k8s_audit_rules.yaml');

function fired(events: readonly AuditEvent[]): string[] {
  const names = new Set<string>();
  for (const ev of events) for (const r of engine.processEvent(K8S_AUDIT_SOURCE, ev, { matching: 'all' })) names.add(r.name);
  return [...names].sort();
}
const fromFile = (name: string): string[] => fired(readAuditFile(join(EVENTS, name), now));

/** A completed, allowed request, for behaviours the shared data has no event for. */
function request(over: Record<string, unknown>): string[] {
  const ev = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    auditID: 'a1',
    stage: 'ResponseComplete',
    verb: 'create',
    user: { username: 'alice', groups: ['system:authenticated'] },
    annotations: { 'authorization.k8s.io/decision': 'allow' },
    responseStatus: { code: 201 },
    ...over,
  };
  return fired(readAuditEvents(JSON.stringify(ev), { source: 't', nowNs: now, strict: true }));
}

describe('rules/k8s_audit_rules.yaml', () => {
  it('loads with no errors and no warnings', () => {
    expect(result.errors.map((e) => e.message)).toEqual([]);
    expect(result.warnings.map((w) => `${w.code}: ${w.message}`)).toEqual([]);
    expect(engine.rules().length).toBeGreaterThanOrEqual(17);
  });

  it.each([
    ['create_nginx_pod_privileged.json', 'K8s Pod With Privileged Container'],
    ['create_nginx_pod_privileged_2nd_container.json', 'K8s Pod With Privileged Container'],
    ['create_nginx_pod_sensitive_mount.json', 'K8s Pod Mounting Sensitive Host Path'],
    ['create_nginx_pod_sensitive_mount_2nd_container.json', 'K8s Pod Mounting Sensitive Host Path'],
    ['create_nginx_pod_hostnetwork.json', 'K8s Pod Sharing Host Namespaces'],
    ['create_pod_kube_system_namespace.json', 'K8s Pod Created In System Namespace'],
    ['exec_pod.json', 'K8s Exec Or Attach Into Pod'],
    ['attach_pod.json', 'K8s Exec Or Attach Into Pod'],
    ['attach_cluster_admin_role.json', 'K8s Binding To Cluster Admin'],
    ['create_cluster_role_wildcard_verbs.json', 'K8s Role With Wildcards'],
    ['create_cluster_role_wildcard_resources.json', 'K8s Role With Wildcards'],
    ['create_cluster_role_pod_exec.json', 'K8s Role Granting Pod Exec'],
    ['create_secret.json', 'K8s Secret Created Or Deleted'],
    ['anonymous_creates_namespace_foo.json', 'K8s Anonymous Request Allowed'],
    ['some-user_creates_namespace_foo.json', 'K8s Namespace Created Or Deleted'],
    ['delete_namespace_foo.json', 'K8s Namespace Created Or Deleted'],
    ['create_nginx_service_nodeport.json', 'K8s Service Exposed On Node Ports'],
    ['create_service.json', 'K8s Service Created Or Deleted'],
    ['create_configmap_sensitive_values.json', 'K8s ConfigMap With Credentials'],
  ])('%s raises %s', (file, rule) => {
    expect(fromFile(file)).toContain(rule);
  });

  it.each([
    ['create_nginx_pod_unprivileged.json', 'K8s Pod With Privileged Container'],
    ['create_nginx_pod_unsensitive_mount.json', 'K8s Pod Mounting Sensitive Host Path'],
    ['create_nginx_pod_nohostnetwork.json', 'K8s Pod Sharing Host Namespaces'],
    ['create_nginx_service_nonodeport.json', 'K8s Service Exposed On Node Ports'],
    ['create_configmap_no_sensitive_values.json', 'K8s ConfigMap With Credentials'],
    ['create_clusterrolebinding.json', 'K8s Binding To Cluster Admin'],
    ['create_service_account_token_secret.json', 'K8s Secret Created Or Deleted'],
  ])('%s does not raise %s', (file, rule) => {
    expect(fromFile(file)).not.toContain(rule);
  });

  it('watches secret reads, capabilities, impersonation and ephemeral containers', () => {
    const read = { verb: 'get', objectRef: { resource: 'secrets', namespace: 'prod', name: 'db' }, responseStatus: { code: 200 } };
    expect(request(read)).toContain('K8s Secret Read By Unexpected User');
    expect(request({ ...read, user: { username: 'system:serviceaccount:kube-system:coredns' } })).not.toContain('K8s Secret Read By Unexpected User');
    const pod = (caps: string[]) => ({ objectRef: { resource: 'pods', namespace: 'default', name: 'p' }, requestObject: { spec: { containers: [{ image: 'x', securityContext: { capabilities: { add: caps } } }] } } });
    expect(request(pod(['SYS_ADMIN']))).toContain('K8s Pod Adding Dangerous Capabilities');
    expect(request(pod(['CHOWN']))).not.toContain('K8s Pod Adding Dangerous Capabilities');
    expect(request({ impersonatedUser: { username: 'bob' }, objectRef: { resource: 'pods' }, verb: 'list', responseStatus: { code: 200 } })).toContain('K8s Impersonated Request');
    const debug = { verb: 'patch', objectRef: { resource: 'pods', subresource: 'ephemeralcontainers', name: 'p' }, requestObject: { spec: { ephemeralContainers: [{ image: 'busybox' }] } }, responseStatus: { code: 200 } };
    expect(request(debug)).toContain('K8s Ephemeral Debug Container Added');
    // Denied requests raise nothing of the above.
    expect(request({ ...read, annotations: { 'authorization.k8s.io/decision': 'forbid' }, responseStatus: { code: 403 } })).toEqual([]);
  });
});
