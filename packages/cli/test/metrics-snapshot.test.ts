/**
 * `metrics.output_rule`: periodic "Falco internal: metrics snapshot" alerts carrying the metric
 * values, at `metrics.interval`, from the same registry the Prometheus endpoint serves.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMetricsInterval } from '../src/config/falco-config';
import { snapshotFields } from '../src/detector/metrics-snapshot';
import { falco, withLiveLock } from './helpers';

const canRun = process.getuid?.() === 0;
const maybe = canRun ? it : it.skip;

interface JsonAlert {
  rule: string;
  priority: string;
  source: string;
  output: string;
  output_fields: Record<string, unknown>;
}

function rulesFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'falco-metrics-'));
  const file = join(dir, 'rules.yaml');
  writeFileSync(file, '- rule: never\n  desc: d\n  condition: evt.type = openat and fd.name = /nonexistent/metrics-test\n  output: o\n  priority: WARNING\n');
  return file;
}

function snapshots(stdout: string): JsonAlert[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as JsonAlert)
    .filter((a) => a.rule === 'Falco internal: metrics snapshot');
}

const common = ['-c', '/dev/null', '-o', 'json_output=true', '-o', 'syslog_output.enabled=false', '-o', 'webserver.enabled=false'];

describe('metrics snapshot alerts', () => {
  it('parses Falco interval strings and refuses others', () => {
    expect(parseMetricsInterval('1h')).toBe(3_600_000);
    expect(parseMetricsInterval('1m30s')).toBe(90_000);
    expect(parseMetricsInterval('500ms')).toBe(500);
    for (const bad of ['', '10', 'h', '5 m', '1x', '0s']) expect(() => parseMetricsInterval(bad)).toThrow(/metrics.interval/);
  });

  it("names fields in Falco's snapshot style", () => {
    const text = [
      '# HELP falcosecurity_scap_n_evts_total events',
      '# TYPE falcosecurity_scap_n_evts_total counter',
      'falcosecurity_scap_n_evts_total 1234',
      'falcosecurity_falco_version_info{version="0.1.0"} 1',
      'falcosecurity_scap_n_drops_buffer_total{dir="enter",drop="open"} 3',
      'falcosecurity_falco_rules_matches_total{priority="4",rule_name="Read \\"x\\"",source="syscall",tags=""} 2',
      'falcosecurity_falco_cpu_usage_ratio 0.25',
      'process_cpu_seconds_total 9',
      'falcosecurity_falco_memory_rss_bytes NaN',
    ].join('\n');
    expect(snapshotFields(text)).toEqual({
      'scap.n_evts': 1234,
      'falco.version': '0.1.0',
      'scap.n_drops_buffer_enter_open': 3,
      'rules.Read "x"': 2,
      'falco.cpu_usage_ratio': 0.25,
    });
  });

  it('emits snapshots at metrics.interval on the internal source, and none with output_rule false', async () => {
    const on = await falco([...common, '-r', rulesFile(), '-o', 'engine.kind=nodriver', '-M', '2', '-o', 'metrics.enabled=true', '-o', 'metrics.interval=400ms']);
    expect(on.code).toBe(0);
    const got = snapshots(on.stdout);
    // 2 s at 400 ms: four or five ticks, allowing for timer slack on a busy machine.
    expect(got.length).toBeGreaterThanOrEqual(3);
    expect(got.length).toBeLessThanOrEqual(5);
    for (const a of got) {
      expect(a.source).toBe('internal');
      expect(a.priority).toBe('Informational');
      expect(a.output).toContain('Falco metrics snapshot');
      expect(typeof a.output_fields['falco.version']).toBe('string');
      expect(typeof a.output_fields['falco.memory_rss_bytes']).toBe('number');
    }
    const off = await falco([...common, '-r', rulesFile(), '-o', 'engine.kind=nodriver', '-M', '1', '-o', 'metrics.enabled=true', '-o', 'metrics.interval=200ms', '-o', 'metrics.output_rule=false']);
    expect(snapshots(off.stdout)).toEqual([]);
    const disabled = await falco([...common, '-r', rulesFile(), '-o', 'engine.kind=nodriver', '-M', '1', '-o', 'metrics.interval=200ms']);
    expect(snapshots(disabled.stdout)).toEqual([]);
  }, 20000);

  it('refuses a bad metrics.interval before running', async () => {
    const r = await falco([...common, '-r', rulesFile(), '-o', 'engine.kind=nodriver', '-o', 'metrics.enabled=true', '-o', 'metrics.interval=soon']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('metrics.interval "soon" is not a duration');
  });

  maybe(
    'carries the live driver event counters [privileged]',
    () =>
      withLiveLock(async () => {
        const r = await falco([...common, '-r', rulesFile(), '-M', '2', '-o', 'metrics.enabled=true', '-o', 'metrics.interval=500ms']);
        expect(r.code).toBe(0);
        const got = snapshots(r.stdout);
        expect(got.length).toBeGreaterThanOrEqual(2);
        const last = got[got.length - 1]!;
        expect(last.output_fields['scap.n_evts']).toBeGreaterThan(0);
        expect(typeof last.output_fields['scap.n_drops']).toBe('number');
      }),
    30000,
  );
});
