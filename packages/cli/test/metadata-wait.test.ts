import { containerMetadata, metadataOptions } from '../src/detector/metadata';

// No runtime enabled: no record ever arrives, which is the worst case for the first-sight wait.
const NO_RUNTIMES = { engines: { docker: { enabled: false }, podman: { enabled: false }, containerd: { enabled: false }, cri: { enabled: false } } };

describe('waiting for a container record on first sight', () => {
  it('waits the bounded time once per unknown container, then never again for it', async () => {
    const m = containerMetadata({ container: { initConfig: NO_RUNTIMES } }, '');
    try {
      const started = Date.now();
      const first = m.awaitFirstSight('0123456789ab');
      expect(first).toBeInstanceOf(Promise);
      await first;
      const waited = Date.now() - started;
      // The service's default bound is 100 ms.
      expect(waited).toBeGreaterThanOrEqual(90);
      expect(waited).toBeLessThan(1000);
      expect(m.awaitFirstSight('0123456789ab')).toBeUndefined();
      expect(m.awaitFirstSight('ba9876543210')).toBeInstanceOf(Promise);
      expect(m.service.counters()).toMatchObject({ waits: 2 });
    } finally {
      await m.service.close();
    }
  });
});

describe('metadata options from the loaded entries', () => {
  it('the k8smeta entry adds the kubernetes provider (a collector when one is named); the mesos section adds its pollers', () => {
    expect(metadataOptions({ container: { initConfig: NO_RUNTIMES }, k8smeta: { initConfig: { nodeName: 'n1', kubeconfig: '/etc/kc' } } }).providers).toEqual({ kubernetes: { nodeName: 'n1', kubeconfig: '/etc/kc' } });
    expect(metadataOptions({ k8smeta: { initConfig: { nodeName: 'n1', collectorHostname: 'c', collectorPort: 45000 } } }).providers).toEqual({
      kubernetes: { nodeName: 'n1', collector: { hostname: 'c', port: 45000 } },
    });
    expect(metadataOptions({ mesos: { master_url: 'http://m:5050', marathon_url: 'http://mt:8080', poll_interval_ms: 2000 } }).providers).toEqual({
      mesos: { url: 'http://m:5050', intervalMs: 2000 },
      marathon: { url: 'http://mt:8080', intervalMs: 2000 },
    });
  });
});
