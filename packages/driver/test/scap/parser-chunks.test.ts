import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { ScapParser, readScapBuffer, type EventBatch } from '../../src';
import { conformanceCaptures } from '../helpers/captures';

/** Every record of the batches, back to back (the batch boundaries are not part of the contract). */
function records(batches: readonly EventBatch[]): Buffer {
  return Buffer.concat(batches.map((b) => b.data.subarray(0, b.byteLength)));
}

describe('ScapParser input chunking and batch sizes', () => {
  // The parser moves events from its input region into the batch being built inside one buffer;
  // chunks that split blocks anywhere, and batches smaller than one event (so the batch region
  // grows while a block is being parsed), must deliver the same records as one whole-file read.
  it.each(conformanceCaptures().map((f) => [f.slice(f.lastIndexOf('/') + 1), f]))('%s: same records for any chunking', (_name, file) => {
    const raw = readFileSync(file);
    // The parser takes the decompressed block stream.
    const bytes = new Uint8Array(raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw);
    const whole = readScapBuffer(bytes);
    let seed = 7;
    const next = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return 1 + (seed % n);
    };
    for (const [maxChunk, batchBytes] of [
      [7, 1 << 20],
      [5000, 64],
      [100_000, 4096],
    ] as const) {
      const got: EventBatch[] = [];
      const p = new ScapParser((b) => got.push(b), { batchBytes });
      for (let at = 0; at < bytes.length; ) {
        const n = Math.min(next(maxChunk), bytes.length - at);
        p.push(bytes.subarray(at, at + n));
        at += n;
      }
      p.finish();
      expect(got.reduce((n, b) => n + b.count, 0)).toBe(whole.stats.deliveredEvents);
      expect(records(got).equals(records(whole.batches))).toBe(true);
      expect(p.stats.bytes).toBe(bytes.length);
      // Each batch is its own exactly sized buffer: later parsing does not change a batch handed out.
      for (const b of got) expect(b.data.length).toBe(b.byteLength);
    }
  });
});
