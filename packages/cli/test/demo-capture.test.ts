/**
 * The capture the quick start replays when the live driver cannot be opened
 * (rules/captures/demo-host-behaviours.scap.gz, recorded with this project's driver while the
 * event generator performed every host behaviour; see rules/captures/README.md). Replayed by the
 * real command with the default rules, it raises each behaviour's rule and no other; and it holds
 * nothing of the machine it was recorded on beyond the generator's own processes.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BatchCursor, EVENT_TABLE, readScapBuffer } from '@falco-ts/driver';

const REPO = join(__dirname, '../../..');
const BIN = join(__dirname, '../dist/bin/falco.js');
const CAPTURE = join(REPO, 'rules/captures/demo-host-behaviours.scap.gz');
const EXPECTED = JSON.parse(readFileSync(join(REPO, 'rules/captures/demo-host-behaviours.expected.json'), 'utf8')) as {
  hostname: string;
  behaviours: { name: string; rule: string; alerts: number; alsoRaises?: Record<string, number> }[];
};

describe('the bundled demo capture', () => {
  it('replayed with the default rules as the quick start does, raises exactly the alerts of the host behaviours', () => {
    const r = spawnSync(
      process.execPath,
      [BIN, '-c', '/dev/null', '-r', join(REPO, 'rules/falco_rules.yaml'), '-o', 'syslog_output.enabled=false', '-o', 'json_output=true', '-o', 'engine.kind=replay', '-o', `engine.replay.capture_file=${CAPTURE}`],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(0);
    const alerts = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { rule: string; hostname: string; output_fields: Record<string, unknown> });
    const fired = new Set(alerts.map((a) => a.rule));
    expect(EXPECTED.behaviours.length).toBeGreaterThanOrEqual(16);
    expect(EXPECTED.behaviours.filter((b) => !fired.has(b.rule)).map((b) => b.name)).toEqual([]);
    const expectedRules = new Set(EXPECTED.behaviours.map((b) => b.rule));
    expect([...fired].filter((rule) => !expectedRules.has(rule))).toEqual([]);
    // Exact counts: one alert per occurrence (a connect is one alert, not its enter and exit), and
    // none for the look-alikes each behaviour also performs (devices opened for writing below /dev,
    // a failed connect).
    const expectedCounts: Record<string, number> = {};
    for (const b of EXPECTED.behaviours) {
      for (const [rule, n] of [[b.rule, b.alerts] as const, ...Object.entries(b.alsoRaises ?? {})]) expectedCounts[rule] = (expectedCounts[rule] ?? 0) + n;
    }
    const counts: Record<string, number> = {};
    for (const a of alerts) counts[a.rule] = (counts[a.rule] ?? 0) + 1;
    expect(counts).toEqual(expectedCounts);
    // The command's own summary says the same.
    expect(r.stdout).toContain(`Events detected: ${alerts.length}\n`);
    expect(alerts.every((a) => a.output_fields['user.name'] === undefined || a.output_fields['user.name'] === 'root')).toBe(true);
  });

  it('is small and holds only the generator\'s processes, a neutral host and a clean environment', () => {
    expect(statSync(CAPTURE).size).toBeLessThan(200 * 1024);
    const { state, batches } = readScapBuffer(readFileSync(CAPTURE));
    expect(state.machine?.hostname).toBe(EXPECTED.hostname);
    expect(state.users.map((u) => u.name)).toEqual(['root']);
    expect(state.interfaces).toEqual([]);
    for (const t of state.threads.values()) expect(t.env.every((e) => /^(PATH|HOME|HOSTNAME|PWD|OLDPWD|SHLVL|_)=/.test(e))).toBe(true);

    const allowedEnv = /^(PATH|HOME|HOSTNAME|PWD|OLDPWD|SHLVL|_|LC_CTYPE)=/;
    const cursor = new BatchCursor();
    const badEnv = new Set<string>();
    const badCgroups = new Set<string>();
    let execs = 0;
    for (const batch of batches) {
      cursor.reset(batch);
      while (cursor.next()) {
        const ev = cursor.view;
        const params = EVENT_TABLE[ev.type]?.params ?? [];
        const env = params.findIndex((p) => p[0] === 'env');
        const cgroups = params.findIndex((p) => p[0] === 'cgroups');
        if (env >= 0 && env < ev.nparams && ev.name.startsWith('execve')) {
          execs++;
          for (const e of Buffer.from(ev.paramBytes(env)).toString('utf8').split('\0')) if (e !== '' && !allowedEnv.test(e)) badEnv.add(e);
        }
        if (cgroups >= 0 && cgroups < ev.nparams) {
          for (const c of Buffer.from(ev.paramBytes(cgroups)).toString('utf8').split('\0')) if (c !== '' && !c.endsWith('=/')) badCgroups.add(c);
        }
      }
    }
    expect(execs).toBeGreaterThan(20);

    // The oracle reads it too, and sees the same processes.
    const sysdig = spawnSync('sysdig', ['-r', CAPTURE, '-p', '%proc.name', 'evt.type=execve and evt.dir=<'], { encoding: 'utf8' });
    expect(sysdig.status).toBe(0);
    expect(sysdig.stderr).toBe('');
    expect(sysdig.stdout.split('\n').filter((l) => l !== '')).toHaveLength(execs);
    expect([...badEnv]).toEqual([]);
    expect([...badCgroups]).toEqual([]);
  });
});
