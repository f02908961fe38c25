/**
 * Runs the real `falco` command (the CLI package's built entry point) live with the modern eBPF
 * driver and the default rules, JSON alerts to a file, until stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(__dirname, '../../../..');
export const FALCO_BIN = path.join(REPO, 'packages/cli/dist/bin/falco.js');
export const DEFAULT_RULES = path.join(REPO, 'rules/falco_rules.yaml');

export interface JsonAlert {
  readonly time: string;
  readonly rule: string;
  readonly priority: string;
  readonly output: string;
  readonly output_fields: Record<string, string | number | boolean | null>;
}

export interface LiveFalco {
  /** Alerts written so far. */
  alerts(): JsonAlert[];
  stderr(): string;
  /** SIGINT, as a user stops it; resolves to the exit code. */
  stop(): Promise<number | null>;
}

/** The k8smeta plugin entry: the node whose pods are watched, and the kubeconfig or collector to watch them with. */
export interface K8smetaEntry {
  readonly nodeName: string;
  readonly kubeconfig?: string;
  /** A k8s-metacollector's address, instead of the kubeconfig. */
  readonly collector?: { readonly hostname: string; readonly port: number };
}

/**
 * The container plugin as Falco's config.d loads it, pointed at one Docker socket only (the live
 * tests' private dockerd): alerts from its containers then carry name, image, privilege, mounts.
 * With `k8smeta`, the k8smeta entry too, as a Falco user configures it.
 */
function metadataPluginConfig(dockerHost: string, k8smeta?: K8smetaEntry): string[] {
  const socket = dockerHost.replace(/^unix:\/\//, '');
  return [
    `load_plugins: [container${k8smeta ? ', k8smeta' : ''}]`,
    'plugins:',
    '  - name: container',
    '    library_path: libcontainer.so',
    '    init_config:',
    '      engines:',
    '        docker:',
    '          enabled: true',
    `          sockets: ['${socket}']`,
    '        podman: {enabled: false}',
    '        containerd: {enabled: false}',
    '        cri: {enabled: false}',
    ...(k8smeta
      ? [
          '  - name: k8smeta',
          '    library_path: libk8smeta.so',
          '    init_config:',
          `      nodeName: ${k8smeta.nodeName}`,
          ...(k8smeta.kubeconfig ? [`      kubeconfig: ${k8smeta.kubeconfig}`] : []),
          ...(k8smeta.collector ? [`      collectorHostname: ${k8smeta.collector.hostname}`, `      collectorPort: ${k8smeta.collector.port}`] : []),
        ]
      : []),
  ];
}

/**
 * Starts falco and resolves once the driver is capturing. `extraFields` go into every alert's
 * output_fields through `append_output` (the live tests add the marker that identifies a workload);
 * with `dockerHost` (`unix:///path`), the container plugin reads metadata from that engine, and
 * with `k8smeta` the k8smeta entry watches that API server.
 */
export function startFalco(extraFields: readonly string[] = [], timeoutMs = 60000, dockerHost?: string, k8smeta?: K8smetaEntry): Promise<LiveFalco> {
  if (!existsSync(FALCO_BIN)) throw new Error(`${FALCO_BIN} is missing: build the CLI first (pnpm build)`);
  const dir = mkdtempSync('/tmp/falco-eg-live-');
  const alertsFile = path.join(dir, 'alerts.json');
  const config = path.join(dir, 'falco.yaml');
  writeFileSync(
    config,
    [
      'engine:', '  kind: modern_ebpf',
      'json_output: true',
      'stdout_output:', '  enabled: false',
      'syslog_output:', '  enabled: false',
      'webserver:', '  enabled: false',
      'file_output:', '  enabled: true', '  keep_alive: true', `  filename: ${alertsFile}`,
      ...(dockerHost !== undefined ? metadataPluginConfig(dockerHost, k8smeta) : []),
      ...(extraFields.length > 0 ? ['append_output:', '  - extra_fields:', ...extraFields.map((f) => `      - ${f}`)] : []),
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(process.execPath, [FALCO_BIN, '-c', config, '-r', DEFAULT_RULES], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`falco did not start capturing in ${timeoutMs} ms: ${err}`));
    }, timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`falco exited (${code}) before capturing: ${err}`));
    });
    child.stderr!.setEncoding('utf8').on('data', (t: string) => {
      err += t;
      if (err.includes('with the modern eBPF driver')) {
        clearTimeout(timer);
        resolve({
          alerts: () =>
            existsSync(alertsFile)
              ? readFileSync(alertsFile, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as JsonAlert)
              : [],
          stderr: () => err,
          stop: () => {
            child.kill('SIGINT');
            return exited;
          },
        });
      }
    });
  });
}
