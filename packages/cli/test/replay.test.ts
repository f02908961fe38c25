import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFORMANCE_FALCO, DEFAULT_CONFIG, falco } from './helpers';

const C = (p: string): string => join(CONFORMANCE_FALCO, p);
const replay = (capture: string): string[] => ['-o', 'engine.kind=replay', '-o', `engine.replay.capture_file=${C(capture)}`];
const quiet = ['-o', 'syslog_output.enabled=false', '-o', 'log_stderr=false'];

interface JsonAlert {
  rule: string;
  priority: string;
  output: string;
  output_fields: Record<string, unknown>;
  source: string;
  tags: string[];
  hostname: string;
  time: string;
}

const alertsOf = (stdout: string): JsonAlert[] =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as JsonAlert);

describe('replaying captures through the rules', () => {
  it('raises JSON alerts with Falco\'s members, enter and exit events of open() both matching', async () => {
    const r = await falco(['-c', DEFAULT_CONFIG, ...quiet, '-o', 'json_output=true', '-r', C('rules/single_rule.yaml'), ...replay('captures/cat_write.scap')], {
      FALCO_HOSTNAME: 'test-host',
    });
    expect(r.code).toBe(0);
    const alerts = alertsOf(r.stdout);
    expect(alerts).toHaveLength(8);
    expect(alerts[0]).toMatchObject({ rule: 'open_from_cat', priority: 'Warning', source: 'syscall', hostname: 'test-host' });
    expect(alerts[0]?.time).toMatch(/^2016-08-04T16:17:57\.\d{9}Z$/);
    expect(alerts[0]?.output_fields).toEqual({ 'evt.time': expect.any(Number), 'proc.cmdline': 'cat /dev/null' });
    expect(r.stdout).toContain('Events detected: 8\nRule counts by severity:\n   WARNING: 8\nTriggered rules by rule name:\n   open_from_cat: 8\n');
  });

  it('writes text alerts to a file output and applies rule selections', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falco-cli-file-'));
    const out = join(dir, 'alerts.txt');
    const r = await falco([
      '-c', DEFAULT_CONFIG, ...quiet, '-o', 'time_format_iso_8601=true', '-o', 'stdout_output.enabled=false',
      '-o', 'file_output.enabled=true', '-o', `file_output.filename=${out}`,
      '-r', C('rules/single_rule.yaml'), ...replay('captures/cat_write.scap'),
    ]);
    expect(r.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(8);
    expect(lines[0]).toBe('2016-08-04T16:17:57.881781397+0000: Warning An open was seen (command=cat /dev/null)');

    const disabled = await falco(['-c', DEFAULT_CONFIG, ...quiet, '-o', 'json_output=true', '-r', C('rules/single_rule.yaml'), '-o', 'rules[].disable.rule=open_*', ...replay('captures/cat_write.scap')]);
    expect(alertsOf(disabled.stdout)).toHaveLength(0);
  });

  it('monitors simulated drops: counts them on event time and raises the internal alert', async () => {
    const r = await falco(['-c', C('configs/drops_alert.yaml'), '-o', 'syslog_output.enabled=false', '-r', C('rules/single_rule.yaml'), ...replay('captures/ping_sendto.scap')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Debug Falco internal: syscall event drop\. 1 system calls dropped in last second\./);
    expect(r.stderr).toMatch(/event drop detected: 9 occurrences\n   - num times actions taken: 9/);
  });

  it('fails with exit code 1 and the loader detail for rules that do not load', async () => {
    const r = await falco(['-c', DEFAULT_CONFIG, ...quiet, '-r', C('rules/invalid_rule_output.yaml'), ...replay('captures/cat_write.scap')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: .*invalid_rule_output.yaml: Invalid/m);
  });

  it('validates rules with -V and prints Falco\'s load-result JSON', async () => {
    const r = await falco(['-c', DEFAULT_CONFIG, ...quiet, '-o', 'json_output=true', '-V', C('rules/invalid_base_rule.yaml'), '-V', C('rules/invalid_overwrite_rule.yaml')]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { falco_load_results: { successful: boolean; errors: { code: string; message: string }[] }[] };
    expect(doc.falco_load_results.map((x) => x.successful)).toEqual([true, false]);
    expect(doc.falco_load_results[1]?.errors[0]).toMatchObject({ code: 'LOAD_ERR_VALIDATE', message: "Undefined macro 'bar' used in filter." });
  });

  it('lists rules with -L', async () => {
    const r = await falco(['-c', DEFAULT_CONFIG, ...quiet, '-L', '-r', C('rules/catchall_order.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Rule +Description\n/);
    expect(r.stdout).toMatch(/\nopen_dev_null +Any open of the file \/dev\/null\n/);
  });
});
