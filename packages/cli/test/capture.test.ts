/**
 * Capture on demand: a rule with `capture: true` fires in a live run and the events around it land
 * in a scap file that this repository's reader and sysdig (the oracle) both open. Replay accepts
 * the option and says it ignores it; a bad `capture.mode` is refused.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchCursor, readScapBuffer } from '@falco-ts/driver';
import { runFalco } from '../src/app';
import { CONFORMANCE_FALCO, falco, withLiveLock } from './helpers';

const canRun = process.getuid?.() === 0;
const maybe = canRun ? it : it.skip;
const quiet = ['-o', 'syslog_output.enabled=false', '-o', 'webserver.enabled=false', '-o', 'json_output=true'];

function rulesFile(dir: string, target: string, other: string): string {
  const rules = join(dir, 'rules.yaml');
  writeFileSync(
    rules,
    [
      '- rule: test_capture_read',
      '  desc: the watched file was opened',
      `  condition: evt.type in (open, openat, openat2) and fd.name = ${target}`,
      '  output: opened (proc=%proc.name file=%fd.name)',
      '  priority: WARNING',
      '  capture: true',
      '  capture_duration: 1000',
      '- rule: test_no_capture_read',
      '  desc: a rule that does not ask for a capture',
      `  condition: evt.type in (open, openat, openat2) and fd.name = ${other}`,
      '  output: opened other (proc=%proc.name file=%fd.name)',
      '  priority: WARNING',
      '',
    ].join('\n'),
  );
  return rules;
}

/** Runs the command live for `seconds`, calling `act` once the driver is attached. */
async function live(argv: string[], seconds: number, act: () => void): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  let attached: () => void = () => undefined;
  const ready = new Promise<void>((r) => (attached = r));
  const run = runFalco(['-c', '/dev/null', ...argv, '-M', String(seconds), ...quiet], {
    stdout: (t) => (stdout += t),
    stderr: (t) => {
      stderr += t;
      if (stderr.includes('Capturing')) attached();
    },
    env: process.env,
    isTty: false,
  });
  await Promise.race([ready, run]);
  await new Promise((r) => setTimeout(r, 300));
  act();
  const code = await run;
  return { code, stdout, stderr };
}

/** The file names the open events of the capture touched, by our own reader. */
function openedFiles(file: string): Set<string> {
  const { batches, state } = readScapBuffer(readFileSync(file));
  // The process table of the moment the capture started: this test process was running then.
  expect(state.threads.get(process.pid)?.comm).toBe(readFileSync('/proc/self/comm', 'utf8').trim());
  const cursor = new BatchCursor();
  const names = new Set<string>();
  for (const batch of batches) {
    cursor.reset(batch);
    while (cursor.next()) {
      const ev = cursor.view;
      if (ev.name === 'openat' && ev.dir === '<') names.add(ev.str(2));
    }
  }
  return names;
}

describe('capture on demand', () => {
  maybe(
    'writes the events after a capture rule fires to a scap file that sysdig reads [privileged]',
    () =>
      withLiveLock(async () => {
        const dir = mkdtempSync(join(tmpdir(), 'falco-capture-'));
        const target = join(dir, 'watched.txt');
        const other = join(dir, 'other.txt');
        const after = join(dir, 'after.txt');
        for (const f of [target, other, after]) writeFileSync(f, 'x');
        const prefix = join(dir, 'cap');
        const r = await live(['-r', rulesFile(dir, target, other), '-o', 'capture.enabled=true', '-o', `capture.path_prefix=${prefix}`, '-o', 'engine.modern_ebpf.buf_size_preset=5'], 4, () => {
          expect(spawnSync('cat', [other]).status).toBe(0); // no capture: the rule does not ask for one
          expect(spawnSync('cat', [target]).status).toBe(0);
          expect(spawnSync('cat', [after]).status).toBe(0); // inside the 1 s that follow
        });
        expect(r.code).toBe(0);
        expect(r.stderr).toContain('with the modern eBPF driver (ring buffer 16 MiB)');
        expect(r.stdout).toContain('"rule":"test_capture_read"');
        expect(r.stdout).toContain('"rule":"test_no_capture_read"');
        const files = readdirSync(dir).filter((f) => f.startsWith('cap_') && f.endsWith('.scap'));
        expect(files).toHaveLength(1);
        const file = join(dir, files[0]!);
        expect(r.stderr).toMatch(new RegExp(`Capture written to ${file}: \\d+ events \\(rules: test_capture_read\\)`));
        const opened = openedFiles(file);
        expect(opened.has(target)).toBe(true);
        expect(opened.has(after)).toBe(true);
        const sysdig = spawnSync('sysdig', ['-r', file, `fd.name=${after}`], { encoding: 'utf8' });
        expect(sysdig.status).toBe(0);
        expect(sysdig.stdout).toContain(after);
      }),
    30000,
  );

  maybe(
    'in all_rules mode every rule starts a capture, with the default duration [privileged]',
    () =>
      withLiveLock(async () => {
        const dir = mkdtempSync(join(tmpdir(), 'falco-capture-all-'));
        const target = join(dir, 'watched.txt');
        const other = join(dir, 'other.txt');
        for (const f of [target, other]) writeFileSync(f, 'x');
        const prefix = join(dir, 'all');
        const r = await live(
          ['-r', rulesFile(dir, target, other), '-o', 'capture.enabled=true', '-o', 'capture.mode=all_rules', '-o', 'capture.default_duration=500', '-o', `capture.path_prefix=${prefix}`],
          3,
          () => expect(spawnSync('cat', [other]).status).toBe(0),
        );
        expect(r.code).toBe(0);
        expect(r.stderr).toContain('for 500 ms (rule "test_no_capture_read")');
        expect(r.stderr).toContain('with the modern eBPF driver (ring buffer 8 MiB)');
        const files = readdirSync(dir).filter((f) => f.startsWith('all_'));
        expect(files).toHaveLength(1);
        expect(openedFiles(join(dir, files[0]!)).has(other)).toBe(true);
      }),
    30000,
  );

  maybe(
    'reports a capture it cannot write and keeps detecting [privileged]',
    () =>
      withLiveLock(async () => {
        const dir = mkdtempSync(join(tmpdir(), 'falco-capture-bad-'));
        const target = join(dir, 'watched.txt');
        const other = join(dir, 'other.txt');
        for (const f of [target, other]) writeFileSync(f, 'x');
        const prefix = join(dir, 'missing-dir', 'cap');
        const r = await live(['-r', rulesFile(dir, target, other), '-o', 'capture.enabled=true', '-o', `capture.path_prefix=${prefix}`], 3, () => {
          expect(spawnSync('cat', [target]).status).toBe(0);
          expect(spawnSync('cat', [other]).status).toBe(0);
        });
        expect(r.code).toBe(0);
        expect(r.stderr).toContain('Could not start the capture for rule "test_capture_read": ENOENT');
        expect(r.stdout).toContain('"rule":"test_no_capture_read"'); // detection went on after it
      }),
    30000,
  );

  it('is accepted and ignored when replaying a capture', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falco-capture-replay-'));
    const prefix = join(dir, 'never');
    const r = await falco([
      '-c', '/dev/null',
      '-r', anyWriteRule(dir),
      '-o', 'engine.kind=replay',
      '-o', `engine.replay.capture_file=${join(CONFORMANCE_FALCO, 'captures', firstCapture())}`,
      '-o', 'capture.enabled=true', '-o', 'capture.mode=all_rules', '-o', `capture.path_prefix=${prefix}`,
      '-o', 'syslog_output.enabled=false',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('capture.enabled is ignored when replaying a capture file');
    expect(r.stdout).toContain('wrote (proc='); // the capture rule did fire
    expect(readdirSync(dir).filter((f) => f.startsWith('never'))).toEqual([]);
  });

  it('refuses an unknown capture.mode, a non-positive default duration and a buffer preset out of range', async () => {
    const bad = await falco(['-c', '/dev/null', '-o', 'capture.mode=some', '--version']);
    const zero = await falco(['-c', '/dev/null', '-o', 'capture.default_duration=0', '--version']);
    const preset = await falco(['-c', '/dev/null', '-o', 'engine.modern_ebpf.buf_size_preset=11', '--version']);
    for (const r of [bad, zero, preset]) expect(r.code).not.toBe(0);
    expect(preset.stderr).toContain('buf_size_preset must be an integer from 1 (1 MiB) to 10 (512 MiB), got 11');
    // Falco 0.44's wording (falco_configuration.cpp, capture.mode check).
    expect(bad.stderr).toContain("capture.mode 'some' is not a valid mode.");
    expect(zero.stderr).toContain('capture.default_duration must be a positive number');
  });
});

function anyWriteRule(dir: string): string {
  const rules = join(dir, 'write.yaml');
  writeFileSync(rules, '- rule: any_open\n  desc: d\n  condition: evt.type = open\n  output: wrote (proc=%proc.name)\n  priority: WARNING\n  capture: true\n');
  return rules;
}

function firstCapture(): string {
  const dir = join(CONFORMANCE_FALCO, 'captures');
  const name = existsSync(dir) ? readdirSync(dir).find((f) => f === 'cat_write.scap') : undefined;
  if (name === undefined) throw new Error(`no .scap capture under ${dir}`);
  return name;
}
