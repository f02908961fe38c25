import { BatchBuilder, BatchCursor, EVENT_TABLE, EVENT_TYPE_COUNT, decodeParam, decodeValue, openScap, type EventView } from '../../src';
import { conformanceCaptures } from '../helpers/captures';

/**
 * decodeParam reads numbers, strings and socket addresses in place from the batch; decodeValue
 * decodes a parameter's own bytes. The two must agree on every parameter.
 */
function expectAgreement(v: EventView): number {
  const info = EVENT_TABLE[v.type];
  for (let i = 0; i < v.nparams; i++) {
    const p = info?.params[i];
    const fromBytes = p === undefined ? (v.paramLength(i) === 0 ? null : v.paramBytes(i)) : decodeValue(p[1], v.paramBytes(i), p[3]);
    expect([v.type, i, decodeParam(v, i)]).toEqual([v.type, i, fromBytes]);
  }
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
});
