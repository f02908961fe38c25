import { MetadataConfigError, k8smetaPluginConfig, optionsFromContainerPluginConfig, optionsFromMesosConfig } from '../src';

test('engines map to providers, sockets pass through with %d expanded', () => {
  const uid = process.getuid!();
  expect(optionsFromContainerPluginConfig({
    label_max_len: 100,
    with_size: false,
    engines: {
      docker: { enabled: true, sockets: ['/var/run/docker.sock'] },
      podman: { enabled: true, sockets: ['/run/podman/podman.sock', '/run/user/%d/podman/podman.sock'] },
      containerd: { enabled: false, sockets: ['/run/containerd/containerd.sock'] },
      cri: { enabled: true, sockets: ['/run/crio/crio.sock'] },
      lxc: { enabled: false },
      bpm: { enabled: false },
    },
  })).toEqual({
    providers: {
      docker: { sockets: ['/var/run/docker.sock'] },
      podman: { sockets: ['/run/podman/podman.sock', `/run/user/${uid}/podman/podman.sock`] },
      cri: { sockets: ['/run/crio/crio.sock'] },
    },
    labelMaxLen: 100,
  });
});

test('no init_config enables every runtime with its default sockets', () => {
  expect(optionsFromContainerPluginConfig(undefined)).toEqual({ providers: { docker: {}, podman: {}, containerd: {}, cri: {} } });
  expect(optionsFromContainerPluginConfig('')).toEqual({ providers: { docker: {}, podman: {}, containerd: {}, cri: {} } });
  expect(optionsFromContainerPluginConfig('{"engines":{"docker":{"enabled":false}}}').providers).toEqual({ podman: {}, containerd: {}, cri: {} });
});

test.each([
  [{ engines: { rkt: {} } }, 'plugins[container].init_config.engines.rkt', 'unknown container engine "rkt"; known: docker, podman, containerd, cri, lxc, libvirt_lxc, bpm, static'],
  [{ engines: { docker: { enabled: 'yes' } } }, 'plugins[container].init_config.engines.docker.enabled', 'enabled must be true or false, got "yes"'],
  [{ engines: { cri: { sockets: '/run/crio/crio.sock' } } }, 'plugins[container].init_config.engines.cri.sockets', 'sockets must be a list of socket paths'],
  [{ label_max_len: -1 }, 'plugins[container].init_config.label_max_len', 'label_max_len must be a non-negative integer, got -1'],
  ['{not json', 'plugins[container].init_config', expect.stringContaining('init_config is a string but not JSON')],
  [[1, 2], 'plugins[container].init_config', 'init_config must be a map'],
])('bad init_config %j is a configuration error at its key', (config, key, message) => {
  let error: unknown;
  try {
    optionsFromContainerPluginConfig(config);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(MetadataConfigError);
  expect(error).toMatchObject({ code: 'METADATA_CONFIG', context: { key }, shortMessage: message });
});

test('the k8smeta entry: the plugin keys, ${VAR} in nodeName, a kubeconfig, defaults', () => {
  expect(
    k8smetaPluginConfig(
      { nodeName: '${MY_NODE}', collectorHostname: 'collector.svc', collectorPort: 45000, caPEMBundle: '/etc/ca.pem', verbosity: 'debug', hostProc: '/hostfs' },
      { MY_NODE: 'worker-3' },
    ),
  ).toEqual({ nodeName: 'worker-3', collector: { hostname: 'collector.svc', port: 45000, caPEMBundle: '/etc/ca.pem' }, verbosity: 'debug', hostProc: '/hostfs' });
  expect(k8smetaPluginConfig('{"nodeName":"n1","kubeconfig":"/etc/kc"}', {})).toEqual({ nodeName: 'n1', kubeconfig: '/etc/kc', verbosity: 'info', hostProc: '/host' });
  expect(k8smetaPluginConfig(undefined, {})).toEqual({ verbosity: 'info', hostProc: '/host' });
});

test.each([
  [{ nodename: 'n1' }, 'plugins[k8smeta].init_config.nodename', expect.stringContaining('unknown property "nodename"')],
  [{ collectorPort: '45000', collectorHostname: 'c' }, 'plugins[k8smeta].init_config.collectorPort', 'collectorPort must be a port number, got "45000"'],
  [{ collectorHostname: 'c' }, 'plugins[k8smeta].init_config.collectorPort', 'collectorHostname and collectorPort go together'],
  [{ verbosity: 'loud' }, 'plugins[k8smeta].init_config.verbosity', expect.stringContaining('verbosity must be one of trace, debug')],
  [{ nodeName: '${UNSET_NODE_VAR}' }, 'plugins[k8smeta].init_config.nodeName', expect.stringContaining('is empty once the environment is read')],
  [[1], 'plugins[k8smeta].init_config', 'init_config must be a map'],
])('bad k8smeta init_config %j is a configuration error at its key', (config, key, message) => {
  let error: unknown;
  try {
    k8smetaPluginConfig(config, {});
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(MetadataConfigError);
  expect(error).toMatchObject({ code: 'METADATA_CONFIG', context: { key }, shortMessage: message });
});

test('the mesos section: master and Marathon URLs, credentials and poll interval for both pollers', () => {
  expect(optionsFromMesosConfig({ master_url: 'http://10.0.0.5:5050', marathon_url: 'https://marathon.local:8443', user: 'falco', password: 's3cret', poll_interval_ms: 5000 })).toEqual({
    mesos: { url: 'http://10.0.0.5:5050', intervalMs: 5000, credentials: { user: 'falco', password: 's3cret' } },
    marathon: { url: 'https://marathon.local:8443', intervalMs: 5000, credentials: { user: 'falco', password: 's3cret' } },
  });
  expect(optionsFromMesosConfig(undefined)).toEqual({});
  expect(optionsFromMesosConfig({ master_url: 'http://m:5050' })).toEqual({ mesos: { url: 'http://m:5050' } });
});

test.each([
  [{ master: 'http://m' }, 'mesos.master', expect.stringContaining('unknown key "master"')],
  [{ master_url: 'm:5050' }, 'mesos.master_url', 'master_url must be an http(s) URL, got "m:5050"'],
  [{ poll_interval_ms: '10s' }, 'mesos.poll_interval_ms', 'poll_interval_ms must be a positive number of milliseconds, got "10s"'],
  ['yes', 'mesos', 'mesos must be a map'],
])('bad mesos section %j is a configuration error at its key', (config, key, message) => {
  let error: unknown;
  try {
    optionsFromMesosConfig(config);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(MetadataConfigError);
  expect(error).toMatchObject({ code: 'METADATA_CONFIG', context: { key }, shortMessage: message });
});
