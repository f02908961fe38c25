import { join } from 'node:path';
import { createK8sAuditSource, parseAuditBody, readAuditFile } from '@falco-ts/engine';
import { CONFORMANCE_FALCO, falco } from './helpers';

const now = (): bigint => 1n;
const source = createK8sAuditSource();
const field = (name: string, arg?: string) => {
  const def = source.fields.get(name);
  if (!def) throw new Error(`no field ${name}`);
  return (e: Parameters<typeof def.extract>[0]) => def.extract(e, arg);
};

describe('k8s_audit source', () => {
  const pod = readAuditFile(join(CONFORMANCE_FALCO, 'k8saudit/create_nginx_pod_privileged_2nd_container.json'), now)[0]!;

  it('extracts ka.* fields with the plugin semantics', () => {
    expect(field('ka.verb')(pod)).toBe('create');
    expect(field('ka.target.resource')(pod)).toBe('pods');
    expect(field('ka.req.pod.containers.image')(pod)).toEqual(['nginx', 'mysql:latest']);
    expect(field('ka.req.pod.containers.image', '1')(pod)).toEqual(['mysql:latest']);
    expect(field('ka.req.pod.containers.image.repository')(pod)).toEqual(['nginx', 'mysql']);
    expect(field('ka.req.pod.containers.privileged')(pod)).toEqual(['false', 'true']);
    expect(field('ka.req.container.privileged')(pod)).toBe('true');
    // No volumes at all: the field is missing, as in the plugin.
    expect(field('ka.req.volume.hostpath', '/etc*')(pod)).toBeUndefined();
    const mount = readAuditFile(join(CONFORMANCE_FALCO, 'k8saudit/create_nginx_pod_sensitive_mount.json'), now)[0]!;
    expect(field('ka.req.volume.hostpath', '/etc*')(mount)).toBe('true');
    expect(field('ka.req.volume.hostpath', '/etcx')(mount)).toBe('false');
    expect(field('ka.response.code')(pod)).toBe('201');
    expect(field('ka.target.subresource')(pod)).toBeUndefined();
  });

  it('reads JSON pointers and timestamps', () => {
    expect(field('jevt.value', '/stage')(pod)).toBe('ResponseComplete');
    expect(field('json.value', '/annotations/authorization.k8s.io~1decision')(pod)).toBe('allow');
    expect(pod.ts).toBeGreaterThan(1_500_000_000_000_000_000n);
  });

  it('splits bodies into events and rejects broken lines with their position', () => {
    const list = JSON.stringify({ kind: 'EventList', items: [{ kind: 'Event', verb: 'get' }, { kind: 'Event', verb: 'list' }] });
    expect(parseAuditBody(list, 'x', 0, now).map((e) => e.json['verb'])).toEqual(['get', 'list']);
    expect(parseAuditBody('{"kind": 0}\n', 'x', 0, now)).toEqual([]);
    expect(() => parseAuditBody('{"kind":"Event"}\n{oops\n', 'f.json', 0, now)).toThrow(/f.json:2: not a JSON document/);
  });

  it('raises the k8s audit rules end to end through the command', async () => {
    const dir = CONFORMANCE_FALCO;
    const r = await falco(
      [
        '--enable-source', 'k8s_audit', '-c', join(dir, 'configs/generated/k8saudit_plugin_config.yaml'),
        '-o', 'json_output=true', '-o', 'log_stderr=false', '-o', 'stdout_output.enabled=true',
        '-r', join(dir, 'rules/installed/k8s_audit_rules.yaml'),
      ],
      { K8SAUDIT_EVENTS: join(dir, 'k8saudit/create_nginx_pod_privileged.json') },
    );
    expect(r.code).toBe(0);
    const alerts = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { rule: string; source: string });
    expect(alerts.map((a) => [a.rule, a.source])).toEqual([['Create Privileged Pod', 'k8s_audit']]);
    expect(r.stdout).toContain('Events detected: 1');
  });
});
