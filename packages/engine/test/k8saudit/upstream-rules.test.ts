/**
 * falcosecurity/plugins k8saudit rules v0.16.0 and v0.18.0 (shared conformance data) load with
 * zero errors against the k8s_audit source, and raise their rules on real audit events.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../src/engine';
import { createK8sAuditSource, readAuditFile, K8S_AUDIT_SOURCE } from '../../src/k8saudit';

const SHARED = join(__dirname, '../../../../../shared/conformance');
const rulesFile = (v: string): string => join(SHARED, `rules/k8saudit-${v}/plugins/k8saudit/rules/k8s_audit_rules.yaml`);
const now = (): bigint => 1n;

function engineWith(file: string): Engine {
  const engine = new Engine([createK8sAuditSource() as never]);
  const result = engine.loadRules(readFileSync(file, 'utf8'), file);
  expect(result.errors.map((e) => e.message)).toEqual([]);
  expect(result.successful).toBe(true);
  return engine;
}

function matched(engine: Engine, eventsFile: string): string[] {
  const names: string[] = [];
  for (const ev of readAuditFile(join(SHARED, 'falco/k8saudit', eventsFile), now)) {
    for (const r of engine.processEvent(K8S_AUDIT_SOURCE, ev)) names.push(r.name);
  }
  return names;
}

describe.each(['v0.16.0', 'v0.18.0'])('k8saudit rules %s', (version) => {
  const engine = engineWith(rulesFile(version));

  it('loads every rule with no errors', () => {
    expect(engine.rules().length).toBeGreaterThan(40);
    expect(engine.rules().every((r) => r.source === K8S_AUDIT_SOURCE)).toBe(true);
  });

  it('raises the expected rules on real audit events', () => {
    expect(matched(engine, 'create_nginx_pod_privileged.json')).toContain('Create Privileged Pod');
    expect(matched(engine, 'create_nginx_pod_sensitive_mount.json')).toContain('Create Sensitive Mount Pod');
    expect(matched(engine, 'create_cluster_role_wildcard_verbs.json')).toContain('ClusterRole With Wildcard Created');
    expect(matched(engine, 'create_nginx_pod_unprivileged.json')).not.toContain('Create Privileged Pod');
  });
});
