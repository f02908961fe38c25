import type * as Driver from '../src';
import type * as Lazy from '../src/live/lazy';

// Importing the package must not load the live capture code (native addon loader, /proc
// snapshot, capture command parser): readers of capture files should not pay for it.
const LIVE_ONLY = ['../src/live/capture', '../src/live/capture-command', '../src/live/proc-snapshot', '../src/native/load'];

describe('live capture is loaded lazily', () => {
  it('the package entry point does not load the live modules; the first live call does', () => {
    const loaded: string[] = [];
    jest.isolateModules(() => {
      // A factory runs only when its module is first required: it records the load.
      for (const m of LIVE_ONLY) {
        jest.doMock(m, () => {
          loaded.push(m);
          return jest.requireActual(m);
        });
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const driver = require('../src') as typeof Driver;
      expect(typeof driver.ScapReader).toBe('function');
      expect(driver.STATE_SYSCALLS.length).toBeGreaterThan(0);
      expect(loaded).toEqual([]);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { parseCaptureArgs } = require('../src/live/lazy') as typeof Lazy;
      expect(parseCaptureArgs(['-w', 'out.scap'])).toMatchObject({ file: 'out.scap', compress: true });
      expect(loaded).toContain('../src/live/capture-command');
    });
  });
});
