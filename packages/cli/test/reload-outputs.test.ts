/**
 * A reload whose configuration changes the output settings rebuilds the outputs. The real command
 * (built bin, child process) takes Kubernetes audit events on its webhook, one alert per event,
 * while its configuration is rewritten from text alerts in one file to JSON alerts in another:
 * every alert is delivered exactly once, the ones before the hand-over in the old format and file,
 * the later ones in the new, and stdout (rebuilt too) gets them all.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFORMANCE_FALCO } from './helpers';

const BIN = join(__dirname, '../dist/bin/falco.js');
const RULES = join(CONFORMANCE_FALCO, 'rules/installed/k8s_audit_rules.yaml');
const EVENT = readFileSync(join(CONFORMANCE_FALCO, 'k8saudit/create_nginx_pod_privileged.json'), 'utf8');
const POSTS = 60;

function config(file: string, json: boolean): string {
  return [
    `json_output: ${json}`,
    'stdout_output:',
    '  enabled: true',
    'syslog_output:',
    '  enabled: false',
    'file_output:',
    '  enabled: true',
    `  filename: ${file}`,
    'webserver:',
    '  enabled: true',
    '  listen_address: 127.0.0.1',
    '  listen_port: 0',
    'plugins:',
    '  - name: k8saudit',
    '    library_path: libk8saudit.so',
    '  - name: json',
    '    library_path: libjson.so',
    'load_plugins: [k8saudit, json]',
    'watch_config_files: true',
    '',
  ].join('\n');
}

function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const waitFor = async (cond: () => boolean, ms = 20000): Promise<void> => {
  for (const end = Date.now() + ms; !cond() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
};

describe('reloading changed output settings', () => {
  it('drains the old outputs into their sinks, then the new outputs take every later alert', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falco-reload-outputs-'));
    const cfg = join(dir, 'falco.yaml');
    const before = join(dir, 'before.txt');
    const after = join(dir, 'after.json');
    writeFileSync(cfg, config(before, false));
    const child = spawn(process.execPath, [BIN, '-c', cfg, '-r', RULES, '--disable-source', 'syscall', '-o', 'log_stderr=true'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await waitFor(() => /listening on port (\d+)/.test(stderr) && /read from the web server endpoint/.test(stderr));
    const url = `http://127.0.0.1:${/listening on port (\d+)/.exec(stderr)![1]}/k8s-audit`;
    const alerts = (text: string): string[] => text.split('\n').filter((l) => l.includes('Pod started with privileged container'));

    const statuses: number[] = [];
    for (let i = 0; i < POSTS; i++) {
      // A third in: the rewrite. The next third is posted while the reload happens; the last one
      // after the log says the outputs were rebuilt.
      if (i === POSTS / 3) writeFileSync(cfg, config(after, true));
      if (i === (2 * POSTS) / 3) await waitFor(() => stderr.includes('outputs rebuilt'));
      statuses.push(await post(url, EVENT));
    }
    await waitFor(() => alerts(stdout).length >= POSTS);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(stderr).toMatch(/falco\.yaml changed: outputs rebuilt for the new output settings \(previous outputs drained\)/);
    const lines = (f: string): string[] => (existsSync(f) ? alerts(readFileSync(f, 'utf8')) : []);
    const old = lines(before);
    const renewed = lines(after);
    expect(old.length).toBeGreaterThanOrEqual(POSTS / 3);
    expect(renewed.length).toBeGreaterThanOrEqual(POSTS / 3);
    expect(old.length + renewed.length).toBe(POSTS); // none lost, none twice
    expect(old.every((l) => !l.startsWith('{'))).toBe(true); // text before the reload
    expect(renewed.every((l) => l.startsWith('{'))).toBe(true); // JSON after it
    // stdout: the same split, in order (all text lines, then all JSON lines).
    const out = alerts(stdout);
    expect(out).toHaveLength(POSTS);
    expect(out.map((l) => l.startsWith('{'))).toEqual([...old.map(() => false), ...renewed.map(() => true)]);
  }, 60000);
});
