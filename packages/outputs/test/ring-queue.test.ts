import { RingQueue } from '../src/ring-queue';

describe('RingQueue', () => {
  it('is FIFO across wrap-around and refuses items when full', () => {
    const q = new RingQueue<number>(3);
    expect([q.push(1), q.push(2), q.push(3), q.push(4)]).toEqual([true, true, true, false]);
    expect(q.shift()).toBe(1);
    expect(q.push(5)).toBe(true);
    expect(q.peekMany(10, [])).toEqual([2, 3, 5]);
    expect([q.shift(), q.shift(), q.shift(), q.shift()]).toEqual([2, 3, 5, undefined]);
    expect(q.size).toBe(0);
  });

  it('peekMany copies at most max items without removing them, reusing the output array', () => {
    const q = new RingQueue<string>(4);
    for (const s of ['a', 'b', 'c']) q.push(s);
    const out = ['stale'];
    expect(q.peekMany(2, out)).toBe(out);
    expect(out).toEqual(['a', 'b']);
    expect(q.size).toBe(3);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new RingQueue(0)).toThrow('queue capacity must be a positive integer, got 0');
  });
});
