/**
 * response (needs root): latency of the automated response inside the detector, measured from the
 * kernel timestamp of the offending event to the container being stopped.
 *
 * The real `falco` command runs live (modern eBPF driver, default rules) with its `response:`
 * section enabled and one Talon rule: "Read sensitive file untrusted" in a container →
 * `container:stop`. A private dockerd (the metadata package's test engine) runs one real busybox
 * container per sample; each reads /etc/shadow through `docker exec`. The detector reports each
 * stop as an event of source `response` whose `response.latency_ms` is the time from the event's
 * kernel timestamp to dockerd answering the stop (after the container is dead), all in-process:
 * no network hop between detection and response. Samples run one at a time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join, resolve } from 'node:path';
import type { Bench, BenchRow } from '../bench';

const REPO = resolve(__dirname, '../../../..');
const FALCO_BIN = join(REPO, 'packages/cli/dist/bin/falco.js');
const DOCKERD_SUPPORT = join(REPO, 'packages/metadata/test/support/dockerd.ts');
const TSX = join(REPO, 'node_modules/.bin/tsx');
const IMAGE = 'falco-ts/busybox:test';
const SAMPLES = Number(process.env.FALCO_BENCH_RESPONSE_SAMPLES ?? 30);

function api(socketPath: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolveReq, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request({ socketPath, method, path, headers: { 'Content-Type': 'application/json', ...(text ? { 'Content-Length': Buffer.byteLength(text) } : {}) }, timeout: 60000 }, (res) => {
      let out = '';
      res.on('data', (c: Buffer) => (out += c.toString()));
      res.on('end', () => resolveReq({ status: res.statusCode ?? 0, json: out.startsWith('{') ? (JSON.parse(out) as Record<string, unknown>) : {} }));
    });
    req.on('error', reject);
    if (text) req.write(text);
    req.end();
  });
}

function waitForLine(child: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((res, rej) => {
    let text = '';
    const timer = setTimeout(() => rej(new Error(`timed out waiting for ${pattern}: ${text.slice(-1000)}`)), timeoutMs);
    child[stream]!.setEncoding('utf8').on('data', (t: string) => {
      text += t;
      if (pattern.test(text)) {
        clearTimeout(timer);
        res(text);
      }
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const bench: Bench = {
  name: 'response',
  async run(): Promise<BenchRow[]> {
    if (process.getuid?.() !== 0 || !existsSync(FALCO_BIN)) {
      return [{ bench: 'response', metric: 'skipped', value: 0, unit: '', note: 'needs root and the built CLI' }];
    }
    const dir = mkdtempSync('/tmp/falco-bench-response-');
    const dockerd = spawn(TSX, [DOCKERD_SUPPORT, 'start', join(dir, 'dockerd')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let falco: ChildProcess | undefined;
    try {
      const started = await waitForLine(dockerd, 'stdout', /IMAGE=/, 120000);
      const socket = /DOCKER_HOST=unix:\/\/(\S+)/.exec(started)![1]!;
      const alerts = join(dir, 'alerts.json');
      writeFileSync(
        join(dir, 'response_rules.yaml'),
        [
          '- rule: Stop',
          '  match: {rules: [Read sensitive file untrusted], output_fields: ["container.id!=host, proc.name=cat"]}',
          '  actions: [{action: Stop, actionner: container:stop}]',
          '- rule: Freeze',
          '  match: {rules: [Read sensitive file untrusted], output_fields: ["container.id!=host, proc.name=busybox"]}',
          '  actions: [{action: Freeze, actionner: container:pause}]',
          '',
        ].join('\n'),
      );
      writeFileSync(
        join(dir, 'falco.yaml'),
        [
          'engine: {kind: modern_ebpf}',
          'json_output: true',
          'stdout_output: {enabled: false}',
          'syslog_output: {enabled: false}',
          'webserver: {enabled: false}',
          `file_output: {enabled: true, keep_alive: true, filename: ${alerts}}`,
          'load_plugins: [container]',
          'plugins:',
          '  - name: container',
          '    library_path: libcontainer.so',
          `    init_config: {engines: {docker: {enabled: true, sockets: ['${socket}']}, podman: {enabled: false}, containerd: {enabled: false}, cri: {enabled: false}}}`,
          'response:',
          '  enabled: true',
          `  rules_files: [${join(dir, 'response_rules.yaml')}]`,
          `  runtimes: [{name: docker, socket: ${socket}}]`,
          '  rate_limit: {max: 0}',
          '',
        ].join('\n'),
      );
      falco = spawn(process.execPath, [FALCO_BIN, '-c', join(dir, 'falco.yaml'), '-r', join(REPO, 'rules/falco_rules.yaml')], { stdio: ['ignore', 'ignore', 'pipe'] });
      await waitForLine(falco, 'stderr', /with the modern eBPF driver/, 120000);
      const samples = { stop: { latencies: [] as number[], durations: [] as number[] }, pause: { latencies: [] as number[], durations: [] as number[] } };
      for (let i = 0; i < 2 * SAMPLES; i++) {
        const kind = i % 2 === 0 ? 'stop' : 'pause';
        const reader = kind === 'stop' ? '/bin/cat' : '/bin/busybox head';
        const created = await api(socket, 'POST', `/containers/create?name=bench-${i}`, { Image: IMAGE, Cmd: ['sleep', '600'], HostConfig: { NetworkMode: 'none' } });
        const id = String(created.json.Id);
        await api(socket, 'POST', `/containers/${id}/start`);
        const exec = await api(socket, 'POST', `/containers/${id}/exec`, { Cmd: ['/bin/sh', '-c', `/bin/busybox mkdir -p /etc && echo x > /etc/shadow && ${reader} /etc/shadow > /dev/null`] });
        await api(socket, 'POST', `/exec/${String(exec.json.Id)}/start`, { Detach: true });
        const deadline = Date.now() + 30000;
        let latency: number | undefined;
        while (latency === undefined && Date.now() < deadline) {
          await sleep(100);
          if (!existsSync(alerts)) continue;
          const found = readFileSync(alerts, 'utf8')
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l) as { source: string; output_fields: Record<string, unknown> })
            .find((a) => a.source === 'response' && a.output_fields['response.target.container'] === id.slice(0, 12) && a.output_fields['response.result'] === 'success');
          if (found) {
            latency = Number(found.output_fields['response.latency_ms']);
            samples[kind].durations.push(Number(found.output_fields['response.duration_ms']));
          }
        }
        if (latency === undefined) throw new Error(`no response event for sample ${i}`);
        samples[kind].latencies.push(latency);
        await api(socket, 'DELETE', `/containers/${id}?force=true`);
      }
      const rows: BenchRow[] = [];
      const note = `${SAMPLES} real containers each, one at a time; from the kernel timestamp of the open of /etc/shadow to dockerd's answer`;
      for (const [kind, what] of [['pause', 'frozen (container:pause)'], ['stop', 'stopped (container:stop, SIGKILL, container dead)']] as const) {
        const sorted = [...samples[kind].latencies].sort((a, b) => a - b);
        const calls = [...samples[kind].durations].sort((a, b) => a - b);
        rows.push(
          { bench: 'response', metric: `event → container ${what}, p50`, value: percentile(sorted, 50), unit: 'ms', note },
          { bench: 'response', metric: `event → container ${what}, p99`, value: percentile(sorted, 99), unit: 'ms', note: 'target < 100 ms' },
          { bench: 'response', metric: `  of which the runtime call (${kind}), p50`, value: percentile(calls, 50), unit: 'ms', note: 'inspect + the Engine API call' },
        );
      }
      return rows;
    } finally {
      if (falco && falco.exitCode === null) {
        const exited = new Promise((r) => falco!.once('exit', r));
        falco.kill('SIGINT');
        const killer = setTimeout(() => falco!.kill('SIGKILL'), 30000);
        await exited;
        clearTimeout(killer);
      }
      const gone = new Promise((r) => dockerd.once('exit', r));
      dockerd.kill('SIGTERM');
      await gone;
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
