/** SIGTERM drains within the deadline and SIGHUP re-opens files, in a real child process. */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, tempDir, waitFor } from './helpers/net';

const ROOT = join(__dirname, '..', '..', '..');
const CHILD = join(__dirname, 'fixtures', 'signal-child.ts');

const children: Child[] = [];

class Child {
  out = '';
  err = '';
  readonly proc: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;
  constructor(config: object) {
    // node itself (with tsx's loader), not the tsx CLI, so signals reach the process under test.
    this.proc = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(config)], { stdio: 'pipe', cwd: ROOT });
    this.proc.stdout.on('data', (d: Buffer) => (this.out += d.toString()));
    this.proc.stderr.on('data', (d: Buffer) => (this.err += d.toString()));
    this.exited = new Promise((r) => this.proc.once('exit', (code) => r(code)));
    children.push(this);
  }
  async send(line: string, expect: string): Promise<void> {
    this.proc.stdin.write(`${line}\n`);
    await waitFor(() => this.out.includes(expect), `${expect} (stdout: ${this.out}; stderr: ${this.err})`, 20000);
  }
  lastJson(): { results: { sink: string; undelivered: number; spooled: number }[]; stats: Record<string, { sent: number; dropped: Record<string, number> }> } {
    const lines = this.out.trim().split('\n');
    return JSON.parse(lines[lines.length - 1]);
  }
}

describe('signals', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => {
    // A failed test must not leave its child running (and jest waiting on its pipes).
    for (const c of children.splice(0)) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
    tmp.cleanup();
  });

  it('SIGTERM delivers everything queued before the process exits', async () => {
    let received = 0;
    // A slow receiver: 5 ms per alert, so alerts are still queued when SIGTERM arrives.
    const srv = createServer((req, res) => {
      req.resume();
      req.on('end', () =>
        setTimeout(() => {
          received++;
          res.end();
        }, 5),
      );
    });
    const port = await freePort();
    await new Promise<void>((r) => srv.listen(port, '127.0.0.1', () => r()));
    try {
      const child = new Child({ json_output: true, stdout_output: { enabled: false }, syslog_output: { enabled: false }, http_output: { enabled: true, url: `http://127.0.0.1:${port}/`, keep_alive: true }, outputs_queue: { drain_deadline_ms: 15000 } });
      await waitFor(() => child.out.includes('ready'), 'child ready', 20000);
      await child.send('emit 200', 'emitted 200');
      child.proc.kill('SIGTERM');
      expect(await child.exited).toBe(0);
      expect(received).toBe(200);
      expect(child.lastJson().results).toEqual([{ sink: 'http', undelivered: 0, spooled: 0 }]);
    } finally {
      srv.close();
    }
  }, 40000);

  it('SIGTERM stops at the deadline and leaves the rest in the spool', async () => {
    const port = await freePort(); // nothing listens: the receiver is down
    const child = new Child({
      json_output: true,
      stdout_output: { enabled: false },
      syslog_output: { enabled: false },
      http_output: { enabled: true, url: `http://127.0.0.1:${port}/`, spool_dir: join(tmp.dir, 'spool') },
      outputs_queue: { drain_deadline_ms: 300 },
    });
    await waitFor(() => child.out.includes('ready'), 'child ready', 20000);
    await child.send('emit 30', 'emitted 30');
    const t0 = Date.now();
    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(child.lastJson().results).toEqual([{ sink: 'http', undelivered: 30, spooled: 30 }]);
    expect(readFileSync(join(tmp.dir, 'spool', 'alerts.jsonl'), 'utf8').trim().split('\n')).toHaveLength(30);
  }, 40000);

  it('SIGHUP re-opens the output file so rotation works', async () => {
    const file = join(tmp.dir, 'events.txt');
    const child = new Child({ stdout_output: { enabled: false }, syslog_output: { enabled: false }, file_output: { enabled: true, keep_alive: true, filename: file } });
    await waitFor(() => child.out.includes('ready'), 'child ready', 20000);
    await child.send('emit 2', 'emitted 2');
    await waitFor(() => existsSync(file) && readFileSync(file, 'utf8').split('\n').length === 3, 'two lines written');
    renameSync(file, `${file}.1`);
    child.proc.kill('SIGHUP');
    await new Promise((r) => setTimeout(r, 300));
    await child.send('emit 1', 'emitted 3');
    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    expect(readFileSync(`${file}.1`, 'utf8').trim().split('\n')).toHaveLength(2);
    expect(readFileSync(file, 'utf8')).toMatch(/Notice alert seq=2\)\n$/);
  }, 40000);
});
