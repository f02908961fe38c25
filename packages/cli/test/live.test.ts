/**
 * Live detection with the real eBPF driver (root, BTF). The command runs in-process for a few
 * seconds while this test opens a file only it knows about, from a child process.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFalco } from '../src/app';
import { withLiveLock } from './helpers';

const canRun = process.getuid?.() === 0;
const maybe = canRun ? it : it.skip;

describe('live detection (eBPF driver) [privileged]', () => {
  maybe(
    'raises an alert for a file opened while it runs, with process, file and user fields',
    () =>
      withLiveLock(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'falco-live-'));
      const target = join(dir, 'secret.txt');
      writeFileSync(target, 'x');
      const rules = join(dir, 'rules.yaml');
      writeFileSync(
        rules,
        [
          '- rule: test_secret_read',
          '  desc: the test file was opened',
          `  condition: evt.type in (open, openat, openat2) and fd.name = ${target}`,
          '  output: opened (proc=%proc.name cmd=%proc.cmdline file=%fd.name user=%user.name container=%container.id)',
          '  priority: WARNING',
          '',
        ].join('\n'),
      );
      let stdout = '';
      let stderr = '';
      let attached: () => void = () => undefined;
      const ready = new Promise<void>((r) => (attached = r));
      const run = runFalco(
        ['-c', '/dev/null', '-r', rules, '-M', '5', '-o', 'json_output=true', '-o', 'syslog_output.enabled=false', '-o', 'webserver.enabled=false'],
        {
          stdout: (t) => (stdout += t),
          stderr: (t) => {
            stderr += t;
            if (stderr.includes('Capturing')) attached();
          },
          env: process.env,
          isTty: false,
        },
      );
      await Promise.race([ready, run]);
      expect(stderr).toContain('with the modern eBPF driver');
      await new Promise((r) => setTimeout(r, 500));
      expect(spawnSync('cat', [target]).status).toBe(0);
      expect(await run).toBe(0);
      const alerts = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { rule: string; output_fields: Record<string, unknown> });
      expect(alerts.length).toBeGreaterThanOrEqual(1);
      // Falco always adds the time prefix's field (evt.time) to output_fields.
      expect(alerts[0]?.output_fields).toEqual({
        'container.id': 'host',
        'evt.time': expect.any(Number),
        'fd.name': target,
        'proc.cmdline': `cat ${target}`,
        'proc.name': 'cat',
        'user.name': 'root',
      });
      expect(stderr).toContain('Syscall event drop monitoring:');
      }),
    30000,
  );

  maybe(
    'reloads the rules on SIGHUP without stopping the capture',
    () =>
      withLiveLock(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'falco-hup-'));
      const first = join(dir, 'first.txt');
      const second = join(dir, 'second.txt');
      writeFileSync(first, 'x');
      writeFileSync(second, 'x');
      const rules = join(dir, 'rules.yaml');
      const ruleFor = (name: string, file: string): string =>
        [`- rule: ${name}`, '  desc: test', `  condition: evt.type in (open, openat, openat2) and fd.name = ${file}`, '  output: opened %fd.name by %proc.name', '  priority: WARNING', ''].join('\n');
      writeFileSync(rules, ruleFor('first_rule', first));
      let stdout = '';
      let stderr = '';
      const waitFor = async (text: string): Promise<void> => {
        for (let i = 0; i < 100 && !stderr.includes(text); i++) await new Promise((r) => setTimeout(r, 100));
      };
      const run = runFalco(
        ['-c', '/dev/null', '-r', rules, '-M', '6', '-o', 'json_output=true', '-o', 'syslog_output.enabled=false', '-o', 'webserver.enabled=false', '-o', 'watch_config_files=false'],
        { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: process.env, isTty: false },
      );
      await waitFor('with the modern eBPF driver');
      await new Promise((r) => setTimeout(r, 300));
      spawnSync('cat', [first]);
      // Events still in flight when the rules are swapped are evaluated by the new rules.
      await new Promise((r) => setTimeout(r, 500));
      writeFileSync(rules, ruleFor('second_rule', second));
      process.emit('SIGHUP', 'SIGHUP');
      await waitFor('SIGHUP received: configuration and 1 rules files reloaded');
      await new Promise((r) => setTimeout(r, 300));
      spawnSync('cat', [first]);
      spawnSync('cat', [second]);
      expect(await run).toBe(0);
      const rulesFired = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => (JSON.parse(l) as { rule: string }).rule);
      expect(new Set(rulesFired)).toEqual(new Set(['first_rule', 'second_rule']));
      expect(rulesFired.filter((r) => r === 'first_rule').length).toBeLessThanOrEqual(2);
      }),
    30000,
  );
});
