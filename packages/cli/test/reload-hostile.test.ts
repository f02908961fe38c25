/**
 * End to end with the real `falco` command (the built bin, as a child process) and SIGHUP: a
 * reload is prepared in slices while detection goes on, so /healthz answers throughout; one that
 * takes longer than `rule_loading.reload_timeout_ms` is abandoned with an error and the previous
 * rules keep detecting (audit events POSTed to the k8saudit webhook still alert); the hostile
 * macro file of the probe (macros doubling at each level) reloads at once; SIGTERM ends the process
 * within seconds.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFORMANCE_FALCO } from './helpers';

const BIN = join(__dirname, '../dist/bin/falco.js');
const EVENT = readFileSync(join(CONFORMANCE_FALCO, 'k8saudit', 'create_nginx_pod_privileged.json'), 'utf8');

const RULE = [
  '- rule: pod_created',
  '  desc: a pod is created',
  '  condition: ka.verb = create and ka.target.resource = pods',
  '  output: pod created (name=%ka.target.name)',
  '  priority: WARNING',
  '  source: k8s_audit',
  '',
].join('\n');

function doublingMacros(levels: number): string {
  let text = '- macro: m0\n  condition: ka.verb = create\n';
  for (let i = 0; i < levels; i++) text += `- macro: m${i + 1}\n  condition: (m${i} and m${i})\n`;
  return text;
}

/** Many ordinary rules: a file that takes a while to load, but loads. */
function manyRules(n: number): string {
  let text = '';
  for (let i = 0; i < n; i++) {
    text += `- rule: filler_${i}\n  desc: d\n  condition: ka.verb = delete and ka.target.name = n${i}\n  output: deleted %ka.target.name\n  priority: INFO\n  source: k8s_audit\n`;
  }
  return text;
}

function config(timeoutMs: number): string {
  return [
    'json_output: true',
    'webserver:',
    '  enabled: true',
    '  listen_address: 127.0.0.1',
    '  listen_port: 0',
    'plugins:',
    '  - name: k8saudit',
    '    library_path: libk8saudit.so',
    '    open_params: ""',
    '  - name: json',
    '    library_path: libjson.so',
    'load_plugins: [k8saudit, json]',
    'watch_config_files: false',
    'syslog_output:',
    '  enabled: false',
    'rule_loading:',
    `  reload_timeout_ms: ${timeoutMs}`,
    '',
  ].join('\n');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('reloads off the event path (falco process, SIGHUP)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'falco-reload-hostile-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('abandons a reload past its time budget, keeps detecting and answering, and stops on SIGTERM', async () => {
    const configPath = join(dir, 'falco.yaml');
    const rulesPath = join(dir, 'rules.yaml');
    writeFileSync(configPath, config(150));
    writeFileSync(rulesPath, RULE);
    const proc = spawn(process.execPath, [BIN, '-c', configPath, '-r', rulesPath, '--disable-source', 'syscall', '-o', 'log_stderr=true', '-o', 'log_level=info'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
    proc.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    const waitFor = async (re: RegExp, ms = 20_000): Promise<void> => {
      for (const end = Date.now() + ms; !re.test(stderr) && Date.now() < end; ) await sleep(50);
      expect(stderr).toMatch(re);
    };
    const alerts = (): number => stdout.split('\n').filter((l) => l.includes('"rule":"pod_created"')).length;
    try {
      await waitFor(/listening on port (\d+)/);
      const port = Number(/listening on port (\d+)/.exec(stderr)![1]);
      const post = async (): Promise<number> =>
        (await fetch(`http://127.0.0.1:${port}/k8s-audit`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: EVENT })).status;
      const healthz = async (): Promise<number> => {
        const started = Date.now();
        const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5000) });
        await res.text();
        return Date.now() - started;
      };
      expect(await post()).toBe(200);
      for (let i = 0; i < 100 && alerts() < 1; i++) await sleep(50);
      expect(alerts()).toBe(1);

      // A file too slow for a 150 ms budget: abandoned, the previous rules stay, /healthz answers.
      appendFileSync(rulesPath, doublingMacros(28) + manyRules(6000));
      proc.kill('SIGHUP');
      const answers: number[] = [];
      while (!/reload failed/.test(stderr) && answers.length < 400) answers.push(await healthz());
      await waitFor(/SIGHUP received: reload failed, keeping the previous rules: abandoned after \d+ ms \(rule_loading\.reload_timeout_ms\)/);
      expect(answers.length).toBeGreaterThan(0);
      expect(Math.max(...answers)).toBeLessThan(2000);
      expect(await post()).toBe(200);
      for (let i = 0; i < 100 && alerts() < 2; i++) await sleep(50);
      expect(alerts()).toBe(2);

      // The probe's hostile reload (the doubling macros appended to the live file) now just loads.
      writeFileSync(configPath, config(20_000));
      writeFileSync(rulesPath, RULE + doublingMacros(28));
      proc.kill('SIGHUP');
      await waitFor(/SIGHUP received: configuration and 1 rules files reloaded/);
      expect(await post()).toBe(200);
      for (let i = 0; i < 100 && alerts() < 3; i++) await sleep(50);
      expect(alerts()).toBe(3);

      // SIGTERM while a long reload is being prepared still ends the process within seconds.
      appendFileSync(rulesPath, manyRules(20_000));
      proc.kill('SIGHUP');
      await sleep(200);
      const termAt = Date.now();
      proc.kill('SIGTERM');
      const code = await Promise.race([exited, sleep(8000).then(() => 'still running' as const)]);
      expect(code).not.toBe('still running');
      expect(Date.now() - termAt).toBeLessThan(7000);
    } finally {
      proc.kill('SIGKILL');
      proc.stdout!.destroy();
      proc.stderr!.destroy();
    }
  }, 90_000);
});
