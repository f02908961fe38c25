/**
 * Live [privileged][slow]: the real `falco` command with the modern eBPF driver and the default
 * rules, its automated response enabled in falco.yaml. A real container reads /etc/shadow: the
 * response stops it (checked through dockerd). The host reads it: the response taints and cordons
 * the node on a local server speaking the Kubernetes API. Each action comes back as an alert of
 * source `response`. Needs root and the built CLI (`pnpm build`), and runs when
 * FALCO_RESPONSE_LIVE=1: both tests pass here, but stopping the live detector afterwards can
 * outlast jest's hook timeout on a loaded machine.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { KubeApiServer } from './support/kube-api';
import { containerState, removeContainer, runSleeper, socketOf, startTestDocker, type TestDocker } from './support/docker';
import { request } from '../src/http';

const REPO = path.resolve(__dirname, '../../..');
const FALCO_BIN = path.join(REPO, 'packages/cli/dist/bin/falco.js');
const privileged = process.getuid?.() === 0 && existsSync(FALCO_BIN) && process.env.FALCO_RESPONSE_LIVE === '1' ? describe : describe.skip;

interface JsonAlert {
  readonly rule: string;
  readonly source: string;
  readonly output: string;
  readonly output_fields: Record<string, unknown>;
}

const RESPONSE_RULES = `
- rule: Stop the container reading credentials
  match:
    rules: [Read sensitive file untrusted]
    output_fields:
      - container.id!=host
  actions:
    - action: Stop it
      actionner: container:stop
- rule: Taint the host reading credentials
  match:
    rules: [Read sensitive file untrusted]
    output_fields:
      - container.id=host, proc.name=cat
  actions:
    - action: Taint the node
      actionner: kubernetes:taint
      parameters: { key: falco.org/compromised, value: "\${RULE}", effect: NoSchedule, cordon: true }
`;

privileged('automated response from live alerts [privileged][slow]', () => {
  let docker: TestDocker;
  let api: KubeApiServer;
  let falco: ChildProcess;
  let dir: string;
  let alertsFile: string;
  let stderr = '';
  const node = hostname();

  beforeAll(async () => {
    docker = await startTestDocker();
    api = new KubeApiServer();
    api.put(`/api/v1/nodes/${node}`, { kind: 'Node', apiVersion: 'v1', metadata: { name: node, resourceVersion: '1' }, spec: {} });
    await api.start();
    dir = mkdtempSync('/tmp/falco-response-live-');
    alertsFile = path.join(dir, 'alerts.json');
    writeFileSync(path.join(dir, 'response_rules.yaml'), RESPONSE_RULES);
    writeFileSync(
      path.join(dir, 'kubeconfig'),
      `apiVersion: v1\nkind: Config\ncurrent-context: local\ncontexts: [{name: local, context: {cluster: local, user: local}}]\nclusters: [{name: local, cluster: {server: "${api.url}"}}]\nusers: [{name: local, user: {token: test}}]\n`,
    );
    const socket = socketOf(docker.dockerHost);
    writeFileSync(
      path.join(dir, 'falco.yaml'),
      [
        'engine: {kind: modern_ebpf}',
        'json_output: true',
        'stdout_output: {enabled: false}',
        'syslog_output: {enabled: false}',
        'webserver: {enabled: false}',
        `file_output: {enabled: true, keep_alive: true, filename: ${alertsFile}}`,
        'load_plugins: [container]',
        'plugins:',
        '  - name: container',
        '    library_path: libcontainer.so',
        `    init_config: {engines: {docker: {enabled: true, sockets: ['${socket}']}, podman: {enabled: false}, containerd: {enabled: false}, cri: {enabled: false}}}`,
        'response:',
        '  enabled: true',
        `  rules_files: [${path.join(dir, 'response_rules.yaml')}]`,
        `  runtimes: [{name: docker, socket: ${socket}}]`,
        `  kubernetes: {kubeconfig: ${path.join(dir, 'kubeconfig')}}`,
        '',
      ].join('\n'),
    );
    falco = spawn(process.execPath, [FALCO_BIN, '-c', path.join(dir, 'falco.yaml'), '-r', path.join(REPO, 'rules/falco_rules.yaml')], { stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`falco did not start: ${stderr}`)), 90000);
      falco.once('exit', (code) => reject(new Error(`falco exited (${code}): ${stderr}`)));
      falco.stderr!.setEncoding('utf8').on('data', (t: string) => {
        stderr += t;
        if (stderr.includes('with the modern eBPF driver')) {
          clearTimeout(timer);
          falco.removeAllListeners('exit');
          resolve();
        }
      });
    });
  }, 180000);

  afterAll(async () => {
    if (falco && falco.exitCode === null) {
      const exited = new Promise((r) => falco.once('exit', r));
      falco.kill('SIGINT');
      const killer = setTimeout(() => falco.kill('SIGKILL'), 30000);
      await exited;
      clearTimeout(killer);
    }
    await api?.close();
    await Promise.race([docker?.stop(), new Promise((r) => setTimeout(r, 30000))]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120000);

  const alerts = (): JsonAlert[] =>
    existsSync(alertsFile) ? readFileSync(alertsFile, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as JsonAlert) : [];

  async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms = 30000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await check();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; falco said:\n${stderr.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  test('a container that reads /etc/shadow is stopped through its runtime', async () => {
    const socket = socketOf(docker.dockerHost);
    const id = await runSleeper(socket, docker.image, 'reads-shadow');
    try {
      const exec = await request({
        method: 'POST', url: `/containers/${id}/exec`, socketPath: socket, headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ Cmd: ['/bin/sh', '-c', '/bin/busybox mkdir -p /etc && echo x > /etc/shadow && /bin/cat /etc/shadow >/dev/null'] }),
      });
      const execId = (JSON.parse(exec.body) as { Id: string }).Id;
      await request({ method: 'POST', url: `/exec/${execId}/start`, socketPath: socket, headers: { 'Content-Type': 'application/json' }, body: '{"Detach": true}' });
      await until('the container to stop', async () => ((await containerState(socket, id)).Running ? undefined : true));
      const report = await until('the response event', () => alerts().find((a) => a.source === 'response' && a.output_fields['response.actionner'] === 'container:stop'));
      expect(report.output_fields).toMatchObject({ 'response.result': 'success', 'response.alert_rule': 'Read sensitive file untrusted', 'response.target.container': id.slice(0, 12) });
      expect(alerts().some((a) => a.rule === 'Read sensitive file untrusted' && a.output_fields['container.id'] === id.slice(0, 12))).toBe(true);
    } finally {
      await removeContainer(socket, id);
    }
  });

  test('the host reading /etc/shadow gets its node tainted and cordoned', async () => {
    const scratch = path.join(dir, 'shadow-reader');
    spawnSync('/bin/sh', ['-c', `cat /etc/shadow > /dev/null; echo done > ${scratch}`]);
    const node = await until('the node patch', () => api.requests.find((r) => r.method === 'PATCH' && r.path.startsWith('/api/v1/nodes/')));
    expect(node.body).toEqual({ spec: { taints: [{ key: 'falco.org/compromised', value: 'Read-sensitive-file-untrusted', effect: 'NoSchedule' }], unschedulable: true } });
    await until('the response event', () => alerts().find((a) => a.source === 'response' && a.output_fields['response.actionner'] === 'kubernetes:taint'));
  });
});
