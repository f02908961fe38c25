import { isDeepStrictEqual } from 'node:util';
import { BatchBuilder, BatchCursor, EVENT_TABLE, EVENT_TYPE_COUNT, decodeParam, decodeValue, encode, eventTypesByName, ipv4ToString, openScap, type EventView } from '../../src';
import { conformanceCaptures } from '../helpers/captures';

/**
 * decodeParam reads numbers, strings and socket addresses in place from the batch; decodeValue
 * decodes a parameter's own bytes. The two must agree on every parameter.
 */
function expectAgreement(v: EventView): number {
  const info = EVENT_TABLE[v.type];
  const differ: unknown[] = [];
  for (let i = 0; i < v.nparams; i++) {
    const p = info?.params[i];
    const fromBytes = p === undefined ? (v.paramLength(i) === 0 ? null : v.paramBytes(i)) : decodeValue(p[1], v.paramBytes(i), p[3]);
    const inPlace = decodeParam(v, i);
    if (!isDeepStrictEqual(inPlace, fromBytes)) differ.push({ type: v.type, param: i, inPlace, fromBytes });
  }
  expect(differ).toEqual([]);
  return v.nparams;
}

/** A small deterministic generator, so a failure names a reproducible case. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('decodeParam', () => {
  it('agrees with decodeValue on every parameter of every conformance capture', async () => {
    let checked = 0;
    for (const file of conformanceCaptures()) {
      const r = await openScap(file);
      const c = new BatchCursor();
      for await (const b of r.batches()) {
        c.reset(b);
        while (c.next()) checked += expectAgreement(c.view);
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('agrees with decodeValue on random payloads of every length, for every event type', () => {
    const rand = rng(42);
    const bytes = (n: number, family?: number): Uint8Array => {
      const b = new Uint8Array(n);
      for (let k = 0; k < n; k++) b[k] = rand() < 0.3 ? 0 : Math.floor(rand() * 256);
      // Socket parameters lead with a family byte: aim half of them at the families decoded in place.
      if (n > 0 && family !== undefined) b[0] = family;
      return b;
    };
    const families = [1, 2, 10];
    let checked = 0;
    for (let type = 0; type < EVENT_TYPE_COUNT; type++) {
      const info = EVENT_TABLE[type]!;
      const builder = new BatchBuilder();
      for (let round = 0; round < 8; round++) {
        // One more parameter than the schema has: extra parameters come back as raw bytes.
        const params = Array.from({ length: info.params.length + 1 }, () => {
          const n = [0, 1, 2, 4, 7, 8, 13, 17, 19, 37, 40][Math.floor(rand() * 11)]!;
          return bytes(n, rand() < 0.5 ? families[Math.floor(rand() * 3)] : undefined);
        });
        builder.push({ ts: 1n, tid: 1, type, params });
      }
      const c = new BatchCursor().reset(builder.build());
      while (c.next()) checked += expectAgreement(c.view);
    }
    expect(checked).toBeGreaterThan(EVENT_TYPE_COUNT * 8);
  });

  it('reads unsigned 64-bit values exactly, small ones included', () => {
    // open exit: fd, name, flags, mode, dev, ino (ino is PT_UINT64)
    const openX = eventTypesByName('open').find((t) => t % 2 === 1 && EVENT_TABLE[t]!.params.length === 6)!;
    const values = [0n, 1n, 1023n, 1024n, 0xffffffffn, 0x100000000n, 0x100000001n, 0xffffffffffffffffn];
    const b = new BatchBuilder();
    for (const ino of values) b.push({ ts: 1n, tid: 1, type: openX, params: [encode.i64(3), encode.str('/x'), encode.u32(0), encode.u32(0), encode.u32(0), encode.u64(ino)] });
    const c = new BatchCursor().reset(b.build());
    const got: unknown[] = [];
    while (c.next()) got.push(decodeParam(c.view, 5));
    expect(got).toEqual(values);
  });
});

describe('ipv4ToString', () => {
  it('formats every address right, however often its cache slot changes hands', () => {
    const b = new Uint8Array(4);
    const rand = rng(7);
    for (let round = 0; round < 3; round++) {
      for (let k = 0; k < 2000; k++) {
        // Sequential addresses, then random ones: both fill and evict the cache's slots.
        const v = round === 0 ? k * 257 : Math.floor(rand() * 4294967296);
        b[0] = v >>> 24;
        b[1] = (v >>> 16) & 255;
        b[2] = (v >>> 8) & 255;
        b[3] = v & 255;
        expect(ipv4ToString(b, 0)).toBe(`${b[0]}.${b[1]}.${b[2]}.${b[3]}`);
      }
    }
  });
});
