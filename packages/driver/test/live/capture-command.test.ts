/**
 * `scap capture`: a live capture written to a file that sysdig (the independent oracle) and this
 * package's reader both open, and in which `cat /etc/shadow` is found by a sysdig filter.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BatchCursor } from '../../src';
import { parseCaptureArgs, runCapture } from '../../src/live/capture-command';
import { openScap } from '../../src/scap/reader';
import { isRoot, run } from './helpers';

const live = isRoot ? describe : describe.skip;

describe('scap capture arguments', () => {
  it('parses file, duration, buffer size and syscall filters', () => {
    expect(parseCaptureArgs(['-w', 'out.scap', '-M', '2', '--buffer-bytes', '1048576', 'openat,execve', 'connect'])).toEqual({
      file: 'out.scap',
      seconds: 2,
      bufferBytes: 1048576,
      compress: true,
      syscalls: ['openat', 'execve', 'connect'],
    });
  });
  it('names the problem in bad arguments', () => {
    expect(() => parseCaptureArgs(['-M', '2'])).toThrow(/-w FILE is required/);
    expect(() => parseCaptureArgs(['-w', 'x', '-M', 'soon'])).toThrow(/option '-M' needs a positive number, got 'soon'/);
    expect(() => parseCaptureArgs(['-w', 'x', '--frobnicate'])).toThrow(/unknown option '--frobnicate'/);
  });
});

live('scap capture (live)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'driver-capture-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('records a capture that sysdig filters and our reader reads', async () => {
    const file = path.join(dir, 'live.scap.gz');
    const done = runCapture({ file, seconds: 4, compress: true, syscalls: ['openat', 'execve', 'clone', 'clone3', 'fork', 'vfork', 'sched_process_exit'] });
    await new Promise((r) => setTimeout(r, 500));
    const { pid } = await run('cat', ['/etc/shadow']);
    const written = await done;
    expect(written).toBeGreaterThan(0);

    const out = execFileSync('sysdig', ['-r', file, '-p', '%evt.type %evt.dir %proc.pid %fd.name %proc.name', 'evt.type=openat and fd.name=/etc/shadow'], { encoding: 'utf8' });
    const lines = out.trim().split('\n').filter((l) => l.includes(`${pid} /etc/shadow`));
    expect(lines).toContain(`openat < ${pid} /etc/shadow cat`);

    const reader = await openScap(file);
    const cursor = new BatchCursor();
    let seen = 0;
    let total = 0;
    for await (const b of reader.batches()) {
      cursor.reset(b);
      while (cursor.next()) {
        total++;
        const v = cursor.view;
        if (v.tid === pid && v.name === 'openat' && v.str(v.dir === '<' ? 2 : 1) === '/etc/shadow') seen++;
      }
    }
    reader.close();
    expect(seen).toBe(2); // enter and exit
    expect(total).toBe(written);
  });
});
