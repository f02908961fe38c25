/**
 * The default rules library (rules/falco_rules.yaml): it loads without errors or warnings, and,
 * live with the real driver (root), each host behaviour it promises to catch raises its rule.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runFalco } from '../src/app';
import { falco, withLiveLock } from './helpers';

const RULES = join(__dirname, '../../../rules/falco_rules.yaml');
const BEHAVIOURS = join(__dirname, 'fixtures/behaviours.sh');

describe('default rules library', () => {
  it('loads with no error and no warning', async () => {
    const r = await falco(['-c', '/dev/null', '-o', 'json_output=true', '-o', 'log_stderr=false', '-V', RULES]);
    const doc = JSON.parse(r.stdout) as { falco_load_results: { successful: boolean; errors: unknown[]; warnings: unknown[] }[] };
    expect(doc.falco_load_results[0]).toMatchObject({ successful: true, errors: [], warnings: [] });
    expect(r.code).toBe(0);
  });

  it('gives every rule a priority, MITRE tags and a description', async () => {
    const r = await falco(['-c', '/dev/null', '-o', 'json_output=true', '-o', 'log_stderr=false', '-L', '-r', RULES]);
    const d = JSON.parse(r.stdout) as { rules: { info: { name: string; tags: string[]; description: string; priority: string } }[] };
    expect(d.rules.length).toBeGreaterThanOrEqual(20);
    for (const rule of d.rules) {
      expect(rule.info.description.length).toBeGreaterThan(10);
      expect(rule.info.tags.some((t) => t.startsWith('mitre_'))).toBe(true);
      expect(rule.info.tags.some((t) => /^T\d{4}/.test(t))).toBe(true);
    }
  });

  const maybe = process.getuid?.() === 0 ? it : it.skip;
  maybe(
    'catches each host behaviour live [privileged]',
    () =>
      withLiveLock(async () => {
      let stdout = '';
      let stderr = '';
      let attached: () => void = () => undefined;
      const ready = new Promise<void>((r) => (attached = r));
      const run = runFalco(['-c', '/dev/null', '-r', RULES, '-M', '8', '-o', 'json_output=true', '-o', 'syslog_output.enabled=false', '-o', 'webserver.enabled=false'], {
        stdout: (t) => (stdout += t),
        stderr: (t) => {
          stderr += t;
          if (stderr.includes('with the modern eBPF driver')) attached();
        },
        env: process.env,
        isTty: false,
      });
      await Promise.race([ready, run]);
      await new Promise((r) => setTimeout(r, 500));
      const gen = spawnSync('bash', [BEHAVIOURS], { encoding: 'utf8' });
      expect(gen.status).toBe(0);
      expect(await run).toBe(0);
      const alerts = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { rule: string; output_fields: Record<string, unknown> });
      const fired = new Set(alerts.map((a) => a.rule));
      for (const rule of [
        'Read sensitive file untrusted',
        'Create files below dev',
        'Write below etc',
        'Write below binary dir',
        'Symlink over sensitive files',
        'Drop and execute from tmp',
        'Search for credentials',
        'Clear log activities',
        'Packet socket created',
        'Fileless execution via memfd',
      ]) {
        expect([rule, fired.has(rule)]).toEqual([rule, true]);
      }
      const shadow = alerts.find((a) => a.rule === 'Read sensitive file untrusted');
      expect(shadow?.output_fields).toMatchObject({ 'fd.name': '/etc/shadow', 'proc.name': 'head', 'user.name': 'root', 'container.id': 'host' });
      }),
    40000,
  );
});
