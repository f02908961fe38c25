import { createServer, get } from 'node:http';
import { internalAlert } from '@falco-ts/alert';
import { FalcoMetrics, metricsRequestHandler } from '@falco-ts/outputs';
import { sampleAlert } from './helpers/alerts';
import { buildOutputs } from './helpers/build';
import { freePort } from './helpers/net';

function scrape(port: number): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    get(`http://127.0.0.1:${port}/metrics`, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    }).on('error', reject);
  });
}

function value(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('FalcoMetrics', () => {
  it('serves Falco-named metrics at /metrics with rule, tag, delivery, drop and resource figures', async () => {
    const metrics = new FalcoMetrics({ version: '0.42.1', hostname: 'test-host', engineName: 'modern_ebpf', sources: ['syscall'], rulesFiles: [{ fileName: 'falco_rules.yaml', sha256: 'ab'.repeat(32) }] });
    metrics.setEventStatsSource(() => ({ nEvts: 1234, nDrops: 7, dropsBuffer: [{ dir: 'exit', drop: 'open', count: 5 }], nDropsScratchMap: 2 }));
    metrics.setWatchSource(() => [
      { provider: 'kubernetes', resource: 'pods', state: 'watching', objects: 12, events: 40, relists: 1 },
      { provider: 'kubernetes', resource: 'services', state: 'failed', objects: 3, events: 3, relists: 0 },
    ]);
    const { outputs } = await buildOutputs({ json_output: true, program_output: { enabled: true, keep_alive: true, program: 'cat > /dev/null' }, outputs_queue: { capacity: 2 } }, { metrics });
    outputs.emit(sampleAlert(0));
    outputs.emit(sampleAlert(1));
    outputs.emit(sampleAlert(2)); // the queue holds 2: this and the next are dropped
    outputs.emit(internalAlert('Falco internal: syscall event drop', 'Debug', 'Falco internal: syscall event drop. 7 system calls dropped in last second.'));
    await outputs.idle();
    outputs.emit(sampleAlert(3, { rule: 'Terminal shell in container', priority: 'Notice', tags: ['shell', 'container'] }));
    await outputs.idle();
    await outputs.shutdown();

    const port = await freePort();
    const srv = createServer(metricsRequestHandler(metrics));
    await new Promise<void>((r) => srv.listen(port, '127.0.0.1', () => r()));
    try {
      const { status, type, body } = await scrape(port);
      expect(status).toBe(200);
      expect(type).toContain('text/plain');
      expect(value(body, 'falcosecurity_falco_metadata_watch_up{provider="kubernetes",resource="pods"}')).toBe(1);
      expect(value(body, 'falcosecurity_falco_metadata_watch_up{provider="kubernetes",resource="services"}')).toBe(0);
      expect(value(body, 'falcosecurity_falco_metadata_watch_objects{provider="kubernetes",resource="pods"}')).toBe(12);
      expect(value(body, 'falcosecurity_falco_metadata_watch_events_total{provider="kubernetes",resource="pods"}')).toBe(40);
      expect(value(body, 'falcosecurity_falco_metadata_watch_relists_total{provider="kubernetes",resource="pods"}')).toBe(1);
      expect(value(body, 'falcosecurity_falco_rules_matches_total{priority="4",rule_name="Read sensitive file untrusted",source="syscall",tags="T1555, filesystem, mitre_credential_access"}')).toBe(3);
      expect(value(body, 'falcosecurity_falco_rules_matches_total{priority="5",rule_name="Terminal shell in container",source="syscall",tags="container, shell"}')).toBe(1);
      // Internal alerts are not rule matches.
      expect(body).not.toContain('rule_name="Falco internal');
      expect(value(body, 'falcosecurity_falco_rules_matches_by_tag_total{tag="filesystem"}')).toBe(3);
      expect(value(body, 'falcosecurity_falco_rules_matches_by_tag_total{tag="container"}')).toBe(1);
      expect(value(body, 'falcosecurity_falco_outputs_queue_num_drops_total')).toBe(2);
      expect(value(body, 'falcosecurity_falco_outputs_drops_total{sink="program",cause="queue_full"}')).toBe(2);
      expect(value(body, 'falcosecurity_falco_outputs_sent_total{sink="program"}')).toBe(3);
      expect(value(body, 'falcosecurity_scap_n_evts_total')).toBe(1234);
      expect(value(body, 'falcosecurity_scap_n_drops_total')).toBe(7);
      expect(value(body, 'falcosecurity_scap_n_drops_buffer_total{dir="exit",drop="open"}')).toBe(5);
      expect(value(body, 'falcosecurity_scap_n_drops_scratch_map_total')).toBe(2);
      expect(value(body, 'falcosecurity_falco_version_info{version="0.42.1"}')).toBe(1);
      expect(value(body, 'falcosecurity_evt_hostname_info{hostname="test-host"}')).toBe(1);
      expect(value(body, 'falcosecurity_scap_engine_name_info{engine_name="modern_ebpf"}')).toBe(1);
      expect(value(body, 'falcosecurity_falco_evt_source_info{evt_source="syscall"}')).toBe(1);
      expect(value(body, `falcosecurity_falco_sha256_rules_files_info{file_name="falco_rules.yaml",sha256="${'ab'.repeat(32)}"}`)).toBe(1);
      expect(value(body, 'falcosecurity_falco_memory_rss_bytes')).toBeGreaterThan(1e6);
      expect(value(body, 'falcosecurity_falco_memory_vsz_bytes')).toBeGreaterThan(1e6);
      expect(value(body, 'falcosecurity_falco_cpu_usage_ratio')).toBeGreaterThanOrEqual(0);
      expect(value(body, 'falcosecurity_falco_host_num_cpus_total')).toBeGreaterThan(0);
      expect(value(body, 'falcosecurity_falco_host_boot_timestamp_nanoseconds')).toBeGreaterThan(1e18);
      expect(value(body, 'falcosecurity_falco_start_timestamp_nanoseconds')).toBeGreaterThan(1e18);
      expect(body).toMatch(/^# TYPE falcosecurity_falco_rules_matches_total counter$/m);
    } finally {
      srv.close();
    }
  });

  it('reports zero drops before anything is counted', async () => {
    const metrics = new FalcoMetrics({ version: '0.1.0' });
    const body = await metrics.render();
    expect(value(body, 'falcosecurity_falco_outputs_queue_num_drops_total')).toBe(0);
  });
});
