/**
 * A reload whose configuration changes the output settings rebuilds the outputs: the real
 * command (built bin, child process) runs without a driver, emitting a metrics snapshot alert
 * every 100 ms to a file and stdout; halfway, its configuration is rewritten to send JSON to another
 * file. Every alert is delivered exactly once, in order, with no gap at the hand-over.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(__dirname, '../dist/bin/falco.js');
const RULES = join(__dirname, '../../../rules/falco_rules.yaml');
const INTERVAL_MS = 100;

function config(file: string, json: boolean): string {
  return [
    'engine:',
    '  kind: nodriver',
    'time_format_iso_8601: true',
    `json_output: ${json}`,
    'stdout_output:',
    '  enabled: true',
    'syslog_output:',
    '  enabled: false',
    'file_output:',
    '  enabled: true',
    `  filename: ${file}`,
    'metrics:',
    '  enabled: true',
    `  interval: ${INTERVAL_MS}ms`,
    'watch_config_files: true',
    '',
  ].join('\n');
}

const timeOf = (line: string): number => {
  const iso = line.startsWith('{') ? (JSON.parse(line) as { time: string }).time : line.slice(0, line.indexOf(': '));
  return Date.parse(iso.replace(/(\.\d{3})\d+/, '$1'));
};

describe('reloading changed output settings', () => {
  it('drains the old outputs into their sinks, then the new outputs take every later alert', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falco-reload-outputs-'));
    const cfg = join(dir, 'falco.yaml');
    const before = join(dir, 'before.txt');
    const after = join(dir, 'after.json');
    writeFileSync(cfg, config(before, false));
    const child = spawn(process.execPath, [BIN, '-c', cfg, '-r', RULES, '-M', '3', '-o', 'log_stderr=true'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    // The watcher is installed as event processing starts; the rewrite comes a second after that.
    await new Promise<void>((resolve) =>
      child.stderr.on('data', (b: Buffer) => {
        stderr += b.toString();
        if (stderr.includes('Enabled event source')) resolve();
      }),
    );
    await new Promise((r) => setTimeout(r, 1000));
    writeFileSync(cfg, config(after, true));
    const code = await new Promise((resolve) => child.on('exit', resolve));

    expect(code).toBe(0);
    expect(stderr).toMatch(/falco\.yaml changed: outputs rebuilt for the new output settings \(previous outputs drained\)/);
    const lines = (f: string): string[] => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter((l) => l.includes('metrics snapshot')) : []);
    const old = lines(before);
    const renewed = lines(after);
    expect(old.length).toBeGreaterThanOrEqual(3);
    expect(renewed.length).toBeGreaterThanOrEqual(3);
    expect(old.every((l) => !l.startsWith('{'))).toBe(true); // text before the reload
    expect(renewed.every((l) => l.startsWith('{'))).toBe(true); // JSON after it

    // In order, and no snapshot missing across the hand-over.
    const times = [...old, ...renewed].map(timeOf);
    for (let i = 1; i < times.length; i++) {
      expect(times[i]! - times[i - 1]!).toBeGreaterThan(0);
      expect(times[i]! - times[i - 1]!).toBeLessThan(INTERVAL_MS * 3);
    }
    // stdout was rebuilt too (text, then JSON) and got the same alerts as the two files together.
    const out = stdout.split('\n').filter((l) => l.includes('metrics snapshot'));
    expect(out.length).toBe(old.length + renewed.length);
    expect(out.map(timeOf)).toEqual(times);
  }, 30000);
});
