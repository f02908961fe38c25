import { join } from 'node:path';
import { CONFORMANCE_FALCO, DEFAULT_CONFIG, falco } from './helpers';

const PLUGIN_CONFIG = join(CONFORMANCE_FALCO, 'configs/generated/k8saudit_plugin_config.yaml');

describe('--list with the k8saudit plugin', () => {
  it('lists the ka.*, json.* and jevt.* fields when the plugin is loaded', async () => {
    const r = await falco(['-c', PLUGIN_CONFIG, '--list=k8s_audit', '-N']);
    expect(r.code).toBe(0);
    const names = r.stdout.trim().split('\n');
    expect(names).toEqual(expect.arrayContaining(['ka.auditid', 'ka.sourceips', 'ka.req.pod.initContainers.image', 'json.value', 'jevt.value']));
    const text = await falco(['-c', PLUGIN_CONFIG, '--list=k8s_audit']);
    expect(text.stdout).toContain('Field Class:                  k8saudit (Kubernetes Audit Events)');
  });

  it('does not know the source without the plugin', async () => {
    const r = await falco(['-c', DEFAULT_CONFIG, '--list=k8s_audit']);
    expect(r.code).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(/Unknown event source k8s_audit/);
  });
});
