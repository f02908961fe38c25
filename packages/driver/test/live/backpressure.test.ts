/**
 * Flow control: a consumer that stops pulling batches makes the kernel drop and count events
 * (it never blocks the traced process, and the capture never hangs); the syscall set can be
 * changed while capturing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openCapture } from '../../src/live';
import { collect, cstr, isRoot, run } from './helpers';

const live = isRoot ? describe : describe.skip;

live('live flow control', () => {
  it('counts drops while the consumer is paused and recovers when it resumes', async () => {
    const capture = await openCapture({ syscalls: ['getppid'], bufferBytes: 64 * 1024, batchSlots: 2, batchBytes: 128 * 1024, pollMs: 5 });
    try {
      // Start pulling, then pause: hold the batch and ask for no more.
      const burst = (n: number): Promise<{ code: number | null }> => run('python3', ['-c', `import os\nfor _ in range(${n}): os.getppid()`]);
      void burst(2000);
      const first = await capture.next();
      expect(first).toBeDefined();
      const started = Date.now();
      const r = await burst(200_000); // ~200k events into a 64 KiB ring nobody drains
      expect(r.code).toBe(0);
      expect(Date.now() - started).toBeLessThan(20_000); // the traced process was never blocked
      const paused = capture.stats();
      expect(paused.dropsBufferFull).toBeGreaterThan(0);
      expect(paused.drops).toBe(paused.dropsBufferFull + paused.dropsTooLarge + paused.dropsTailCall);

      // Resume: batches flow again and keep coming for new syscalls.
      const before = capture.stats().deliveredEvents;
      void burst(1000);
      const events = await collect(capture, (v) => v.name === 'syscall', (evs) => evs.length >= 1000, 10_000);
      expect(events.length).toBeGreaterThanOrEqual(1000);
      expect(capture.stats().deliveredEvents).toBeGreaterThan(before);
    } finally {
      capture.close();
    }
    expect(await capture.next()).toBeUndefined();
  });

  it('changes the captured syscalls at run time without reloading', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'driver-set-'));
    const capture = await openCapture({ syscalls: ['mkdir'] });
    try {
      const step = (name: string): Promise<unknown> => run('python3', ['-c', `import os\nos.mkdir(${JSON.stringify(path.join(dir, name))})\nos.rmdir(${JSON.stringify(path.join(dir, name))})`]);
      void step('one');
      const a = await collect(capture, (v) => v.name === 'mkdir' || v.name === 'rmdir', (evs) => evs.some((e) => cstr(e.params[1]).endsWith('/one') && e.name === 'mkdir'));
      expect(a.filter((e) => e.name === 'rmdir')).toHaveLength(0);
      capture.setSyscalls(['rmdir']);
      void step('two');
      const b = await collect(capture, (v) => v.name === 'mkdir' || v.name === 'rmdir', (evs) => evs.some((e) => cstr(e.params[1]).endsWith('/two') && e.name === 'rmdir'));
      expect(b.some((e) => e.name === 'rmdir' && cstr(e.params[1]).endsWith('/two'))).toBe(true);
      expect(b.some((e) => e.name === 'mkdir' && cstr(e.params[1]).endsWith('/two'))).toBe(false);
      // The entry-side dispatcher costs every syscall, so it is attached only while needed.
      expect(capture.stats().enterAttached).toBe(false);
      capture.setSyscalls(['rmdir', 'openat']);
      expect(capture.stats().enterAttached).toBe(true);
      capture.setSyscalls(['rmdir']);
      expect(capture.stats().enterAttached).toBe(false);
    } finally {
      capture.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad options with the option named', async () => {
    await expect(openCapture({ syscalls: ['openat'], bufferBytes: 100_000 })).rejects.toMatchObject({
      name: 'DriverError',
      code: 'BAD_OPTIONS',
      context: { option: 'bufferBytes' },
    });
  });
});
