/**
 * Enter events reach JavaScript the same way whichever hook carries them: per-syscall
 * syscalls/sys_enter_<name> tracepoints (picked when tracefs is available) or the generic
 * tp_btf/sys_enter dispatcher (forced with enterHook: 'tp_btf', and the fallback without tracefs).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openCapture } from '../../src/live';
import { collect, cstr, isRoot, run } from './helpers';

const live = isRoot ? describe : describe.skip;

const TRACEFS = '/sys/kernel/tracing';
const SYSCALL_EVENTS = `${TRACEFS}/events/syscalls/sys_enter_openat`;

/** Mounts tracefs when the kernel has it but nothing mounted it (fresh CI machines); false if it cannot. */
function ensureTracefs(): boolean {
  if (fs.existsSync(SYSCALL_EVENTS)) return true;
  try {
    execFileSync('mount', ['-t', 'tracefs', 'nodev', TRACEFS], { stdio: 'ignore' });
  } catch {
    return false;
  }
  return fs.existsSync(SYSCALL_EVENTS);
}

live('enter-event hooks', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'driver-enter-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const cases: { hook: 'auto' | 'tp_btf'; expected: () => string }[] = [
    { hook: 'auto', expected: () => (ensureTracefs() ? 'syscall_tracepoints' : 'tp_btf') },
    { hook: 'tp_btf', expected: () => 'tp_btf' },
  ];
  for (const { hook, expected } of cases) {
    it(`delivers openat and creat enter events with enterHook: ${hook}`, async () => {
      const want = expected();
      const capture = await openCapture({ syscalls: ['openat', 'creat', 'mkdir'], enterHook: hook });
      try {
        expect(capture.stats().enterHook).toBe(want);
        expect(capture.stats().enterAttached).toBe(true);
        const target = path.join(dir, `${hook}-file`);
        const script = `import os\nos.close(os.open(${JSON.stringify(target)}, os.O_RDONLY | os.O_CREAT))`;
        void run('python3', ['-c', script]);
        const events = await collect(
          capture,
          (v) => v.name === 'openat' && v.dir === '>',
          (evs) => evs.some((e) => cstr(e.params[1]) === target),
        );
        const enter = events.find((e) => cstr(e.params[1]) === target);
        expect(enter).toBeDefined();
        expect(enter!.params).toHaveLength(4);
        // Hooks follow the set: none while no enter-event syscall is captured.
        capture.setSyscalls(['mkdir']);
        expect(capture.stats()).toMatchObject({ enterHook: 'none', enterAttached: false });
        capture.setSyscalls(['creat']);
        expect(capture.stats().enterHook).toBe(want);
      } finally {
        capture.close();
      }
    });
  }

  it('refuses an unknown enterHook', async () => {
    await expect(openCapture({ syscalls: ['openat'], enterHook: 'fentry' as 'auto' })).rejects.toMatchObject({
      code: 'BAD_OPTIONS',
      context: { option: 'enterHook' },
    });
  });
});
