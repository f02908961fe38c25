/**
 * End to end: the real `falco` command (the built bin, as a child process) with the k8saudit
 * plugin's webhook, real audit events from the shared conformance data POSTed over HTTP(S), and the
 * alerts read from its stdout. Bad requests get 4xx, are counted on /metrics, and the detector keeps
 * accepting events afterwards.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFORMANCE_FALCO } from './helpers';

const BIN = join(__dirname, '../dist/bin/falco.js');
const RULES = join(CONFORMANCE_FALCO, 'rules/installed/k8s_audit_rules.yaml');
const events = (name: string): string => readFileSync(join(CONFORMANCE_FALCO, 'k8saudit', name), 'utf8');

interface Detector {
  proc: ChildProcess;
  webhookUrl: string;
  webPort: number;
  alerts: () => { rule: string; source: string; output_fields: Record<string, unknown> }[];
  stop: () => Promise<number | null>;
}

async function startDetector(dir: string, plugin: string): Promise<Detector> {
  const config = join(dir, 'falco.yaml');
  writeFileSync(
    config,
    [
      'json_output: true',
      'stdout_output:',
      '  enabled: true',
      'webserver:',
      '  enabled: true',
      '  listen_address: 127.0.0.1',
      '  listen_port: 0',
      '  prometheus_metrics_enabled: true',
      'plugins:',
      plugin,
      '  - name: json',
      '    library_path: libjson.so',
      'load_plugins: [k8saudit, json]',
      '',
    ].join('\n'),
  );
  const proc = spawn(process.execPath, [BIN, '-c', config, '-r', RULES, '--disable-source', 'syscall', '-o', 'log_stderr=true', '-o', 'log_level=info'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
  const ready = new Promise<{ webhookUrl: string; webPort: number }>((resolve, reject) => {
    let webhookUrl: string | undefined;
    let webPort: number | undefined;
    proc.stderr!.on('data', (b: Buffer) => {
      stderr += b.toString();
      webhookUrl ??= /webhook listening on (\S+)/.exec(stderr)?.[1];
      const p = /listening on port (\d+)/.exec(stderr)?.[1];
      if (p) webPort = Number(p);
      // Without an address in open_params the web server's own endpoint takes the events.
      if (webPort !== undefined && /read from the web server endpoint/.test(stderr)) webhookUrl ??= `http://127.0.0.1:${webPort}/k8s-audit`;
      if (webhookUrl && webPort !== undefined) resolve({ webhookUrl, webPort });
    });
    proc.on('exit', (code) => reject(new Error(`falco exited (${code}) before listening:\n${stderr}`)));
  });
  const { webhookUrl, webPort } = await ready;
  return {
    proc,
    webhookUrl,
    webPort,
    alerts: () => stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as ReturnType<Detector['alerts']>[number]),
    stop: () =>
      new Promise((resolve) => {
        proc.once('exit', (code) => resolve(code));
        proc.kill('SIGTERM');
      }),
  };
}

function post(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, rejectUnauthorized: false });
  return new Promise((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (b: Buffer) => (text += b.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function metrics(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  return res.text();
}

describe('k8s_audit webhook through the falco command', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'falco-k8saudit-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('raises alerts for posted audit events, refuses bad requests with 4xx and keeps running', async () => {
    const plugin = ['  - name: k8saudit', '    library_path: libk8saudit.so', '    open_params: http://127.0.0.1:0/k8s-audit', '    init_config:', '      webhookBearerToken: s3cret', '      webhookMaxBatchSize: 65536'].join('\n');
    const d = await startDetector(dir, plugin);
    const auth = { Authorization: 'Bearer s3cret' };
    try {
      const privileged = events('create_nginx_pod_privileged.json');
      expect((await post(d.webhookUrl, privileged, { Authorization: 'Bearer wrong' })).status).toBe(401);
      expect((await post(d.webhookUrl, privileged)).status).toBe(401);
      const badJson = await post(d.webhookUrl, '{"kind": "EventList", "items": [', auth);
      expect(badJson.status).toBe(400);
      expect(JSON.parse(badJson.body)).toMatchObject({ code: 'bad_json' });
      const notAudit = await post(d.webhookUrl, '{"kind": 0}', auth);
      expect(notAudit.status).toBe(400);
      expect(JSON.parse(notAudit.body)).toMatchObject({ code: 'not_audit_event' });
      expect((await post(d.webhookUrl, 'x'.repeat(70000), auth)).status).toBe(413);
      expect(d.alerts()).toEqual([]);

      const ok = await post(d.webhookUrl, privileged, auth);
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.body)).toMatchObject({ accepted: 1 });
      // 200 means evaluated: the alert is on its way to stdout.
      const list = JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [JSON.parse(events('create_cluster_role_wildcard_verbs.json'))] });
      expect((await post(d.webhookUrl, list, auth)).status).toBe(200);
      for (let i = 0; i < 50 && d.alerts().length < 2; i++) await new Promise((r) => setTimeout(r, 100));
      expect(d.alerts().map((a) => [a.rule, a.source])).toEqual([
        ['Create Privileged Pod', 'k8s_audit'],
        ['ClusterRole With Wildcard Created', 'k8s_audit'],
      ]);
      expect(d.alerts()[0]!.output_fields['ka.req.pod.containers.image']).toBeDefined();

      const m = await metrics(d.webPort);
      expect(m).toMatch(/falcosecurity_falco_k8saudit_webhook_requests_total\{result="unauthorized"\} 2/);
      expect(m).toMatch(/falcosecurity_falco_k8saudit_webhook_requests_total\{result="bad_json"\} 1/);
      expect(m).toMatch(/falcosecurity_falco_k8saudit_webhook_requests_total\{result="not_audit_event"\} 1/);
      expect(m).toMatch(/falcosecurity_falco_k8saudit_webhook_requests_total\{result="too_large"\} 1/);
      expect(m).toMatch(/falcosecurity_falco_k8saudit_webhook_requests_total\{result="accepted"\} 2/);
      expect(m).toMatch(/falcosecurity_falco_k8saudit_webhook_events_total 2/);
      // Falco labels its file info metrics with each loaded file's sha256 (configuration.cpp, metrics).
      const sha = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');
      expect(m).toContain(`falcosecurity_falco_sha256_rules_files_info{file_name="${RULES}",sha256="${sha(RULES)}"} 1`);
      expect(m).toMatch(new RegExp(`falcosecurity_falco_sha256_config_files_info\\{file_name="[^"]*falco\\.yaml",sha256="${sha(join(dir, 'falco.yaml'))}"\\} 1`));
    } finally {
      expect(await d.stop()).toBe(0);
    }
  }, 60000);

  it('serves the webhook over TLS with the init_config certificate', async () => {
    const pem = join(dir, 'falco.pem');
    const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]);
    expect(r.status).toBe(0);
    writeFileSync(pem, readFileSync(join(dir, 'key.pem'), 'utf8') + readFileSync(join(dir, 'cert.pem'), 'utf8'));
    const plugin = ['  - name: k8saudit', '    library_path: libk8saudit.so', '    open_params: https://127.0.0.1:0/k8s-audit', '    init_config:', `      sslCertificate: ${pem}`].join('\n');
    const d = await startDetector(dir, plugin);
    try {
      expect(d.webhookUrl).toMatch(/^https:/);
      expect((await post(d.webhookUrl, events('create_nginx_pod_sensitive_mount.json'))).status).toBe(200);
      for (let i = 0; i < 50 && d.alerts().length < 1; i++) await new Promise((res) => setTimeout(res, 100));
      expect(d.alerts().map((a) => a.rule)).toContain('Create Sensitive Mount Pod');
    } finally {
      expect(await d.stop()).toBe(0);
    }
  }, 60000);

  it('takes events on the web server endpoint when open_params names no address', async () => {
    const d = await startDetector(dir, ['  - name: k8saudit', '    library_path: libk8saudit.so', '    open_params: ""'].join('\n'));
    try {
      expect(d.webhookUrl).toBe(`http://127.0.0.1:${d.webPort}/k8s-audit`);
      expect((await post(d.webhookUrl, '{"kind": 0}')).status).toBe(400);
      expect((await post(d.webhookUrl, events('attach_cluster_admin_role.json'))).status).toBe(200);
      for (let i = 0; i < 50 && d.alerts().length < 1; i++) await new Promise((res) => setTimeout(res, 100));
      expect(d.alerts().map((a) => a.rule)).toEqual(['Attach to cluster-admin Role']);
      expect(await metrics(d.webPort)).toMatch(/falcosecurity_falco_k8saudit_webhook_requests_total\{result="not_audit_event"\} 1/);
    } finally {
      expect(await d.stop()).toBe(0);
    }
  }, 60000);
});
