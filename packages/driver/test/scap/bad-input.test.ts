import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CaptureFormatError, openScap, readScapBuffer } from '../../src';
import { conformanceCaptures } from '../helpers/captures';

const files = conformanceCaptures();
const plain = (name: string): Buffer => gunzipSync(readFileSync(files.find((f) => f.endsWith(name))!));
const v1 = plain('cat_write.scap'); // SHB 1.0, EV blocks
const v2 = plain('ping_sendto.scap'); // SHB 1.2, EV_V2 blocks

function captureError(bytes: Uint8Array, opts = {}): CaptureFormatError {
  try {
    readScapBuffer(bytes, opts);
  } catch (e) {
    if (e instanceof CaptureFormatError) return e;
    throw e;
  }
  throw new Error('expected a CaptureFormatError');
}

/** Offsets of every block: [type, offset, total length]. */
function blocks(b: Buffer): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let at = 0; at + 8 <= b.length; ) {
    const total = b.readUInt32LE(at + 4);
    out.push([b.readUInt32LE(at), at, total]);
    at += total;
  }
  return out;
}

const firstBlock = (b: Buffer, type: number): [number, number, number] => blocks(b).find((x) => x[0] === type)!;

describe('bad capture input', () => {
  it('reports a truncated file with the offset and the block it ends in', () => {
    const [, at, total] = firstBlock(v2, 0x216);
    const e = captureError(v2.subarray(0, at + 20));
    expect(e.code).toBe('SCAP_TRUNCATED');
    expect(e.context).toMatchObject({ block: 'EV_V2', blockOffset: at, offset: at + 20 });
    expect(e.message).toBe(`at byte ${at + 20} (block EV_V2 at byte ${at}): input ends inside a block (20 of ${total} bytes)`);
    expect(captureError(new Uint8Array(0)).code).toBe('SCAP_TRUNCATED');
    expect(captureError(v2.subarray(0, 5)).message).toMatch(/inside a block header \(5 of 8 bytes\)/);
  });

  it('rejects bad magic and unsupported versions', () => {
    const b = Buffer.from(v1);
    b.writeUInt32LE(0x1234, 0);
    expect(captureError(b).code).toBe('SCAP_BAD_MAGIC');
    const m = Buffer.from(v1);
    m.writeUInt32LE(0x4d3c2b1a, 8);
    const e = captureError(m);
    expect(e.code).toBe('SCAP_BAD_MAGIC');
    expect(e.context.offset).toBe(8);
    const v = Buffer.from(v2);
    v.writeUInt16LE(2, 12);
    expect(captureError(v).shortMessage).toBe('unsupported capture version 2.2 (this reader knows 1.x)');
  });

  it('rejects wrong block lengths: too short, too large, trailer mismatch', () => {
    const [, at] = firstBlock(v1, 0x201);
    const short = Buffer.from(v1);
    short.writeUInt32LE(4, at + 4);
    expect(captureError(short)).toMatchObject({ code: 'SCAP_BAD_BLOCK_LENGTH', context: { block: 'MI', offset: at + 4 } });
    const huge = Buffer.from(v1);
    huge.writeUInt32LE(0xfffffff0, at + 4);
    expect(captureError(huge).shortMessage).toMatch(/exceeds the limit/);
    const trailer = Buffer.from(v1);
    trailer.writeUInt32LE(196, at + 188);
    expect(captureError(trailer).shortMessage).toBe('block trailer length 196 differs from the header\'s 192');
  });

  it('rejects parameter lengths that overrun the event', () => {
    const [, at] = firstBlock(v2, 0x216);
    const b = Buffer.from(v2);
    b.writeUInt16LE(0xfff0, at + 8 + 2 + 26); // first parameter length of the first event
    const e = captureError(b);
    expect(e.code).toBe('SCAP_BAD_EVENT');
    expect(e.shortMessage).toMatch(/^parameter 0 overruns the event/);
    expect(e.context.block).toBe('EV_V2');
    const len = Buffer.from(v2);
    len.writeUInt32LE(100000, at + 8 + 2 + 16);
    expect(captureError(len).shortMessage).toMatch(/^event length 100000 overruns its block/);
  });

  it('rejects unknown event types, or skips them when asked', () => {
    const [, at] = firstBlock(v2, 0x216);
    const b = Buffer.from(v2);
    b.writeUInt16LE(999, at + 8 + 2 + 20);
    const e = captureError(b);
    expect(e.code).toBe('SCAP_UNKNOWN_EVENT');
    expect(e.context.offset).toBe(at + 8 + 2 + 20);
    const skipped = readScapBuffer(b, { unknownEvents: 'skip' });
    expect(skipped.stats.unknownSkipped).toBe(1);
  });

  it('reports a corrupt gzip stream from the streaming reader', async () => {
    const gz = gzipSync(v2);
    const bad = Buffer.from(gz);
    for (let k = 200; k < 400; k++) bad[k] = bad[k]! ^ 0x5a;
    const path = join(tmpdir(), `bad-${process.pid}.scap`);
    writeFileSync(path, bad);
    const run = async (): Promise<void> => {
      const r = await openScap(path);
      for await (const _ of r.batches());
    };
    await expect(run()).rejects.toBeInstanceOf(CaptureFormatError);
    await expect(run()).rejects.toMatchObject({ code: expect.stringMatching(/SCAP_GZIP|SCAP_BAD|SCAP_TRUNCATED|SCAP_UNKNOWN/) });
    rmSync(path);
  });
});

/** A small deterministic PRNG so a failing fuzz case can be replayed from its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

function mutate(src: Buffer, rand: () => number): Buffer {
  const b = Buffer.from(src);
  const kind = Math.floor(rand() * 4);
  if (kind === 0) {
    // flip a few bytes anywhere
    for (let k = 0, n = 1 + Math.floor(rand() * 8); k < n; k++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
    return b;
  }
  if (kind === 1) return b.subarray(0, Math.floor(rand() * b.length));
  if (kind === 2) {
    // overwrite a 32-bit field with an extreme value (lengths, counts)
    const at = Math.floor(rand() * (b.length - 4)) & ~1;
    b.writeUInt32LE([0, 1, 0xffff, 0xffffffff, 12, 26][Math.floor(rand() * 6)]!, at);
    return b;
  }
  // splice a random slice of the file somewhere else
  const from = Math.floor(rand() * b.length);
  const to = Math.floor(rand() * b.length);
  return Buffer.concat([b.subarray(0, to), b.subarray(from, from + Math.floor(rand() * 512)), b.subarray(to)]);
}

describe('reader fuzzing (bounded in time)', () => {
  const sources = files.map((f) => gunzipSync(readFileSync(f)));

  it('never throws anything but CaptureFormatError on mutated captures', () => {
    // At least 150 inputs, more while time allows (4 s), never past 25 s on a busy machine.
    const start = Date.now();
    let cases = 0;
    let errors = 0;
    for (let seed = 1; (cases < 150 || Date.now() < start + 4000) && Date.now() < start + 25000; seed++) {
      const rand = rng(seed);
      const input = mutate(sources[seed % sources.length]!, rand);
      const t0 = Date.now();
      try {
        readScapBuffer(input, { maxBlockBytes: 1 << 20 });
      } catch (e) {
        if (!(e instanceof CaptureFormatError)) throw new Error(`seed ${seed}: ${(e as Error).stack}`);
        expect(e.context.offset).toBeGreaterThanOrEqual(0);
        errors++;
      }
      // Generous: the bound is there to catch hangs, on a machine that may be busy.
      expect(Date.now() - t0).toBeLessThan(5000);
      cases++;
    }
    expect(errors).toBeGreaterThan(0);
  }, 60000);

  it('never throws anything but CaptureFormatError on random input, gzip or not', () => {
    const start = Date.now();
    const rand = rng(12345);
    let cases = 0;
    let failures = 0;
    while ((cases < 100 || Date.now() < start + 1500) && Date.now() < start + 15000) {
      const n = Math.floor(rand() * 4096);
      const b = Buffer.alloc(n);
      for (let k = 0; k < n; k++) b[k] = Math.floor(rand() * 256);
      // Half the cases start like a real capture so the parser gets past the first checks.
      if (cases % 2 === 0 && n >= 28) v2.copy(b, 0, 0, 28);
      for (const input of [b, cases % 3 === 0 ? gzipSync(b) : b]) {
        try {
          readScapBuffer(input);
        } catch (e) {
          if (!(e instanceof CaptureFormatError)) throw e;
          failures++;
        }
      }
      cases++;
    }
    expect(failures).toBeGreaterThan(0);
  }, 60000);
});

describe('converter errors', () => {
  it('reports an exit event with more parameters than its layout as a capture error', () => {
    // A 2-parameter EV_V2 event is retyped as PPME_SYSCALL_NEWSELECT_X, whose layout has 1.
    const b = Buffer.from(v2);
    const at = blocks(b).find((x) => x[0] === 0x216 && b.readUInt32LE(x[1] + 8 + 2 + 22) === 2)![1];
    b.writeUInt16LE(85, at + 8 + 2 + 20);
    const e = captureError(b);
    expect(e.code).toBe('SCAP_CONVERSION');
    expect(e.context.block).toBe('EV_V2');
  });
});
