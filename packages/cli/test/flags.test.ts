/**
 * The flags Falco users script against, run as the real command (the built bin, a child process):
 * `-i`, `-p`/`-pc`/`-pk`, `-P`, `-U` with `buffered_outputs`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFORMANCE_FALCO, DEFAULT_CONFIG } from './helpers';

const BIN = join(__dirname, '../dist/bin/falco.js');
const REFERENCE = join(__dirname, '../../../../shared/reference');
const RULES = join(__dirname, '../../../rules/falco_rules.yaml');
const C = (p: string): string => join(CONFORMANCE_FALCO, p);

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const quiet = ['-o', 'syslog_output.enabled=false', '-o', 'log_stderr=true'];
const replayCatWrite = ['-c', DEFAULT_CONFIG, ...quiet, '-r', C('rules/single_rule.yaml'), '-o', 'engine.kind=replay', '-o', `engine.replay.capture_file=${C('captures/cat_write.scap')}`];

describe('-i', () => {
  it('prints the high-volume I/O syscalls the detector leaves out by default, and exits', () => {
    // Independent of the code under test: the reference event table's I/O read/write categories.
    const events = JSON.parse(readFileSync(join(REFERENCE, 'event_table.json'), 'utf8')) as { id: number; category: string[] }[];
    const syscalls = JSON.parse(readFileSync(join(REFERENCE, 'syscalls_x86_64.json'), 'utf8')) as { syscalls: { name: string; table_exit_event: { id: number } | null }[] };
    const io = new Set(events.filter((e) => e.category.includes('EC_IO_READ') || e.category.includes('EC_IO_WRITE')).map((e) => e.id));
    const expected = syscalls.syscalls.filter((s) => s.table_exit_event !== null && io.has(s.table_exit_event.id)).map((s) => s.name).sort();

    const r = run(['-i']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    // falcosecurity/testing tests/falco/commands_test.go TestFalco_Print_IgnoredEvents; since falco#2509 the heading no longer names I/O.
    expect(lines[0]).toBe('Ignored syscall(s):');
    const listed = lines.filter((l) => l.startsWith('- ')).map((l) => l.slice(2));
    expect(listed).toEqual(expected);
    expect(listed).toEqual(expect.arrayContaining(['read', 'write', 'sendto', 'recvmsg', 'pread64']));
    expect(listed).toHaveLength(15); // libsinsp's io_sc_set on x86_64
    expect(r.stdout.endsWith('\n\n')).toBe(true);
  });
});

describe('-p', () => {
  it('appends a format to every rule output (and to output_fields), with Falco\'s deprecation warning', () => {
    const r = run([...replayCatWrite, '-o', 'json_output=true', '-p', 'pid=%proc.pid user=%user.name']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('The -p/--print option is deprecated and will be removed. Use -o append_output=... instead.');
    const alerts = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { output: string; output_fields: Record<string, unknown> });
    expect(alerts).toHaveLength(8);
    for (const a of alerts) {
      expect(a.output).toMatch(/ pid=\d+ user=\S+$/);
      expect(a.output_fields['proc.pid']).toEqual(expect.any(Number));
    }
  });

  it.each([['-pc'], ['-pk'], ['--print=container'], ['--print=kubernetes']])('%s appends nothing: the container plugin suggests those fields', (flag) => {
    const plain = run(replayCatWrite);
    const r = run([...replayCatWrite, flag]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('-p/--print option is deprecated');
    const outputs = (s: string): string[] => s.split('\n').filter((l) => /Warning/.test(l));
    expect(outputs(r.stdout)).toEqual(outputs(plain.stdout));
    expect(outputs(r.stdout)).toHaveLength(8);
  });
});

describe('-P', () => {
  const dir = mkdtempSync(join(tmpdir(), 'falco-pidfile-'));

  it('writes the process id once the rules are loaded', async () => {
    const pidfile = join(dir, 'falco.pid');
    const child = spawn(process.execPath, [BIN, '-c', '/dev/null', '-r', RULES, ...quiet, '-o', 'engine.kind=nodriver', '-M', '1', '-P', pidfile], { stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(readFileSync(pidfile, 'utf8')).toBe(String(child.pid));
  });

  it('is skipped in --dry-run', () => {
    const pidfile = join(dir, 'dry.pid');
    const r = run(['-c', '/dev/null', '-r', RULES, ...quiet, '--dry-run', '-P', pidfile]);
    expect(r.code).toBe(0);
    expect(existsSync(pidfile)).toBe(false);
  });

  it('fails the run when the file cannot be written', () => {
    const r = run(['-c', '/dev/null', '-r', RULES, ...quiet, '-o', 'engine.kind=nodriver', '-M', '1', '-P', join(dir, 'missing/dir/falco.pid')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Could not write pid to pidfile .*missing\/dir\/falco\.pid/);
  });
});

describe('-U and buffered_outputs', () => {
  /** Lines on the child's stdout (a pipe) 1.2 s into a 3 s run with a metrics snapshot every 200 ms, and at the end. */
  async function snapshots(extra: string[]): Promise<{ early: number; total: number; supportBuffered?: unknown }> {
    const args = ['-c', '/dev/null', '-r', RULES, ...quiet, '-o', 'engine.kind=nodriver', '-o', 'metrics.enabled=true', '-o', 'metrics.interval=200ms', '-M', '3', ...extra];
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const count = (): number => out.split('\n').filter((l) => l.includes('Falco metrics snapshot')).length;
    // Counted from the start of event processing (start-up time varies with the machine's load).
    await new Promise<void>((resolve) => {
      let err = '';
      child.stderr.on('data', (b: Buffer) => {
        err += b.toString();
        if (err.includes('Enabled event source')) resolve();
      });
    });
    await new Promise((r) => setTimeout(r, 1200));
    const early = count();
    await new Promise((resolve) => child.on('exit', resolve));
    return { early, total: count() };
  }

  it('buffered_outputs=true holds short alerts until the run ends; -U writes each at once', async () => {
    const [buffered, unbuffered] = await Promise.all([snapshots(['-o', 'buffered_outputs=true']), snapshots(['-o', 'buffered_outputs=true', '-U'])]);
    expect(buffered.early).toBe(0);
    expect(buffered.total).toBeGreaterThanOrEqual(8);
    expect(unbuffered.early).toBeGreaterThanOrEqual(1); // typically 5; at least one however loaded the machine
    expect(unbuffered.total).toBeGreaterThanOrEqual(8);
  }, 30000);

  it('-U sets buffered_outputs to false in the configuration, as --support shows', () => {
    const r = run(['-c', '/dev/null', '-r', RULES, ...quiet, '-o', 'buffered_outputs=true', '-U', '--support']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { config: Record<string, unknown> }).config['buffered_outputs']).toBe(false);
  });
});
