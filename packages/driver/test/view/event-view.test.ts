import { BatchBuilder, BatchCursor, EventDecodeError, RECORD_PREFIX_SIZE, decodeParam, encode, renderArgs } from '../../src';

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
