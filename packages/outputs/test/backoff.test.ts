import { Waker, backoffDelay } from '../src/backoff';

describe('backoffDelay', () => {
  const opts = { initialMs: 100, maxMs: 1000 };

  it('doubles per attempt up to the maximum, with jitter in the upper half', () => {
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, opts, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect([0, 1, 2, 3, 4].map((a) => backoffDelay(a, opts, () => 0))).toEqual([50, 100, 200, 400, 500]);
  });
});

describe('Waker', () => {
  it('wakes a waiter early, or lets the timeout end the wait', async () => {
    const w = new Waker();
    const t0 = Date.now();
    const p = w.wait(5000);
    w.wake();
    await p;
    expect(Date.now() - t0).toBeLessThan(1000);
    const t1 = Date.now();
    await w.wait(30);
    expect(Date.now() - t1).toBeGreaterThanOrEqual(25);
  });
});
