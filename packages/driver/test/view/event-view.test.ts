import { BatchBuilder, BatchCursor, EventDecodeError, RECORD_PREFIX_SIZE, decodeParam, encode, renderArgs } from '../../src';
import { textAt } from '../../src/view/event-view';

function sockaddrInet(ip: number[], port: number): Uint8Array {
  const b = new Uint8Array(7);
  b[0] = 2;
  b.set(ip, 1);
  new DataView(b.buffer).setUint16(5, port, true);
  return b;
}

describe('EventView over a batch', () => {
  const b = new BatchBuilder(16);
  // open exit: fd, name, flags, mode, dev, ino
  b.push({ cpu: 3, flags: 1, ts: 1700000000123456789n, tid: 4242, type: 3, params: [encode.i64(3), encode.str('/etc/passwd'), encode.u32(4097), encode.u32(0o644), encode.u32(0), encode.u64(77)] });
  // connect enter: fd, addr
  b.push({ ts: 1700000000123456999n, tid: 4243, type: 22, params: [encode.i64(5), sockaddrInet([127, 0, 0, 1], 8080)] });
  // close exit: res, fd
  b.push({ ts: 1700000000123457000n, tid: 4243, type: 5, params: [encode.i64(-9), encode.i64(5)] });
  const batch = b.build();

  it('walks records without losing place', () => {
    const c = new BatchCursor().reset(batch);
    const seen: string[] = [];
    let bytes = 0;
    while (c.next()) {
      seen.push(`${c.view.name}${c.view.dir}${c.view.tid}`);
      bytes += c.view.recordSize;
    }
    expect(seen).toEqual(['open<4242', 'connect>4243', 'close<4243']);
    expect(bytes).toBe(batch.byteLength);
  });

  it('reads header fields, raw params and typed values', () => {
    const c = new BatchCursor().reset(batch);
    c.next();
    const v = c.view;
    expect(v.cpu).toBe(3);
    expect(v.flags).toBe(1);
    expect(v.ts).toBe(1700000000123456789n);
    expect(v.type).toBe(3);
    expect(v.nparams).toBe(6);
    expect(v.len + RECORD_PREFIX_SIZE).toBe(v.recordSize);
    expect(v.int(0)).toBe(3);
    expect(v.str(1)).toBe('/etc/passwd');
    expect(v.paramLength(1)).toBe(12);
    expect(v.bigint(5)).toBe(77n);
    expect(decodeParam(v, 2)).toBe(4097);
    expect(renderArgs(v)).toBe('fd=3 name=/etc/passwd flags=4097(O_RDONLY|O_CLOEXEC) mode=0644 dev=0 ino=77');
  });

  it('decodes sockaddr and errno', () => {
    const c = new BatchCursor().reset(batch);
    c.next();
    c.next();
    expect(decodeParam(c.view, 1)).toEqual({ family: 'inet', addr: '127.0.0.1', port: 8080 });
    expect(renderArgs(c.view)).toBe('fd=5 addr=127.0.0.1:8080');
    c.next();
    expect(renderArgs(c.view)).toBe('res=-9(EBADF) fd=5');
  });

  it('rejects out-of-range parameters with a typed error', () => {
    const c = new BatchCursor().reset(batch);
    c.next();
    expect(() => c.view.int(6)).toThrow(EventDecodeError);
  });
});

describe('textAt', () => {
  /** What the bytes say: up to the first NUL (or the end), as UTF-8. */
  const reference = (d: Uint8Array, start: number, end: number): string => {
    const nul = d.subarray(start, end).indexOf(0);
    return Buffer.from(d.subarray(start, nul < 0 ? end : start + nul)).toString('utf8');
  };

  it('returns what the bytes say, however the cache of recent strings is hit, missed or overwritten', () => {
    let seed = 99;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed % n;
    };
    // Few distinct strings (cache hits), same-length strings differing in one byte, strings longer
    // than the cache keeps, non-ASCII ones, and ones without a NUL.
    const pool = ['/etc/passwd', '/etc/passwe', '/lib/x86_64-linux-gnu/libc.so.6', 'a', '', 'ünïcödé', 'x'.repeat(64), 'y'.repeat(65), '/tmp/' + 'z'.repeat(300)];
    const d = new Uint8Array(4096);
    const differ: string[] = [];
    for (let k = 0; k < 20000; k++) {
      const s = k % 3 === 0 ? `/proc/${rand(5000)}/status` : pool[rand(pool.length)]!;
      const bytes = Buffer.from(s, 'utf8');
      const start = rand(64);
      d.set(bytes, start);
      const terminated = rand(4) !== 0;
      d[start + bytes.length] = terminated ? 0 : 0x41;
      const end = start + bytes.length + (terminated ? 1 : rand(2));
      const got = textAt(d, start, end);
      if (got !== reference(d, start, end)) differ.push(`${JSON.stringify(got)} != ${JSON.stringify(reference(d, start, end))}`);
    }
    expect(differ).toEqual([]);
  });
});
