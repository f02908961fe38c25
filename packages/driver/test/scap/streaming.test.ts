import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchCursor, ScapWriter, openScap, type EventBatch } from '../../src';
import { conformanceCaptures } from '../helpers/captures';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scap-stream-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('streaming reader', () => {
  it('reads a large capture in bounded memory, whatever its size', async () => {
    // The largest conformance capture's events repeated to about 150,000 (≈9 MB uncompressed).
    const src = conformanceCaptures().sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
    const r = await openScap(src);
    const batches: EventBatch[] = [];
    for await (const b of r.batches()) batches.push(b);
    const file = join(dir, 'large.scap');
    const { writer, done } = ScapWriter.toFile(file);
    await writer.begin({ threads: r.state.threads.values() });
    for (let k = 0; k < 100; k++) for (const b of batches) await writer.writeBatch(b);
    await writer.end();
    await done;

    const big = await openScap(file, { batchBytes: 64 * 1024 });
    const c = new BatchCursor();
    let events = 0;
    for await (const b of big.batches()) {
      c.reset(b);
      while (c.next()) events++;
    }
    expect(events).toBe(100 * r.stats.deliveredEvents);
    expect(big.stats.bytes).toBeGreaterThan(8_000_000);
    // One decompressed chunk (256 KiB) plus the largest block, not the file.
    expect(big.memory.bufferBytes).toBeLessThanOrEqual(1 << 20);
    // A chunk yields a few 64 KiB batches at most; they are handed out before the next read.
    expect(big.memory.maxQueuedBatches).toBeLessThanOrEqual(8);
  }, 60000);

  it('stops early without leaking the file handle or an unhandled read', async () => {
    // A plain capture large enough that a read is still ahead when the consumer stops.
    const src = conformanceCaptures().sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
    const r = await openScap(src);
    const batches: EventBatch[] = [];
    for await (const b of r.batches()) batches.push(b);
    const file = join(dir, 'early.scap');
    const { writer, done } = ScapWriter.toFile(file, { compress: false });
    await writer.begin({ threads: r.state.threads.values() });
    for (let k = 0; k < 50; k++) for (const b of batches) await writer.writeBatch(b);
    await writer.end();
    await done;

    const openFds = (): number => readdirSync('/proc/self/fd').length;
    const before = openFds();
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown): void => {
      unhandled.push(e);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      for (let round = 0; round < 5; round++) {
        const early = await openScap(file, { batchBytes: 16 * 1024 });
        for await (const b of early.batches()) {
          expect(b.count).toBeGreaterThan(0);
          break;
        }
      }
      // The handles close once the reads in flight finish.
      for (let wait = 0; wait < 100 && openFds() > before; wait++) await new Promise((res) => setTimeout(res, 10));
      expect(openFds()).toBe(before);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
