import { BLOCK, RECORD_FLAG_STATE_ONLY, BatchCursor, EF, EVENT_TABLE, readScapBuffer } from '../../src';

/** Little-endian byte writer for hand-made blocks in the older layouts the writer never emits. */
class W {
  private parts: number[] = [];
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v).u8(v >> 8);
  }
  u32(v: number): this {
    return this.u16(v & 0xffff).u16(v >>> 16);
  }
  u64(v: number | bigint): this {
    const b = BigInt.asUintN(64, BigInt(v));
    return this.u32(Number(b & 0xffffffffn)).u32(Number(b >> 32n));
  }
  bytes(b: Iterable<number>): this {
    for (const x of b) this.parts.push(x);
    return this;
  }
  str16(s: string): this {
    const b = Buffer.from(s);
    return this.u16(b.length).bytes(b);
  }
  get length(): number {
    return this.parts.length;
  }
  done(): Buffer {
    return Buffer.from(this.parts);
  }
}

function block(type: number, body: Buffer): Buffer {
  const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
  const total = padded.length + 12;
  return Buffer.concat([new W().u32(type).u32(total).done(), padded, new W().u32(total).done()]);
}

const shb = (minor: number): Buffer => block(BLOCK.SHB, new W().u32(0x1a2b3c4d).u16(1).u16(minor).u64(-1n).done());

/** One process entry in the layout of PL version v (1..8). */
function thread(v: number, tid: number, comm: string): Buffer {
  const w = new W().u64(tid).u64(tid).u64(1);
  if (v >= 6) w.u64(tid);
  if (v >= 8) w.u64(tid);
  w.str16(comm).str16(`/bin/${comm}`);
  if (v >= 7) w.str16(`/usr/bin/${comm}`);
  w.str16('a\0b').str16('/').u64(1024).u32(0).u32(1000).u32(100);
  if (v >= 2) w.u32(1).u32(2).u32(3).u64(4).u64(5);
  if (v >= 3) w.str16('HOME=/root\0');
  if (v >= 4) w.u64(7).u64(8).str16('cpu=/\0');
  if (v >= 5) w.str16('/');
  return w.done();
}

const PL_IDS = [BLOCK.PL_V1, BLOCK.PL_V2, BLOCK.PL_V3, BLOCK.PL_V4, BLOCK.PL_V5, BLOCK.PL_V6, BLOCK.PL_V7, BLOCK.PL_V8];

describe('older block versions', () => {
  it.each(PL_IDS.map((id, k) => [k + 1, id]))('reads process list v%i', (v, id) => {
    const file = Buffer.concat([shb(0), block(id, Buffer.concat([thread(v, 10, 'sh'), thread(v, 11, 'cat')]))]);
    const { state } = readScapBuffer(file);
    expect([...state.threads.keys()]).toEqual([10, 11]);
    const t = state.threads.get(11)!;
    expect(t).toMatchObject({ comm: 'cat', exe: '/bin/cat', args: ['a', 'b'], cwd: '/', fdlimit: 1024, uid: 1000, gid: 100 });
    expect(t.exepath).toBe(v >= 7 ? '/usr/bin/cat' : '');
    expect(t.env).toEqual(v >= 3 ? ['HOME=/root'] : []);
    expect(t.vtid).toBe(v >= 4 ? 7 : -1);
    expect(t.sid).toBe(v >= 6 ? 11 : -1);
    expect(t.vpgid).toBe(v >= 8 ? 11 : -1);
    expect(t.vmrssKb).toBe(v >= 2 ? 2 : 0);
  });

  it('reads the pre-release *_INT ids, FDL v1 entries, IL v1 without link speed and UL v1', () => {
    const fdl = new W()
      .u64(10)
      .u64(3).u64(99).u8(1).str16('/etc/passwd') // file
      .u64(4).u64(0).u8(3).bytes([127, 0, 0, 1]).bytes([10, 0, 0, 2]).u16(40000).u16(80).u8(1) // ipv4 socket
      .u64(5).u64(0).u8(8).u64(1).u64(2).str16('/run/s') // unix socket
      .done();
    const il = new W()
      .u16(3).u16(2).bytes([127, 0, 0, 1]).bytes([255, 0, 0, 0]).bytes([127, 255, 255, 255]).bytes(Buffer.from('lo'))
      .u16(2).u16(4).bytes(Buffer.alloc(15)).u8(1).bytes(Buffer.alloc(16, 0xff)).bytes(Buffer.alloc(16)).u64(1000).bytes(Buffer.from('eth0'))
      .done();
    const ul = new W().u8(0).u32(0).u32(0).str16('root').str16('/root').str16('/bin/sh').u8(1).u32(0).str16('root').done();
    const file = Buffer.concat([
      shb(0),
      block(BLOCK.PL_V1_INT, thread(1, 10, 'sh')),
      block(BLOCK.FDL_INT, fdl),
      block(BLOCK.IL_INT, il),
      block(BLOCK.UL_INT, ul),
      block(0x7777, Buffer.from('unknown blocks are skipped')),
    ]);
    const { state, stats } = readScapBuffer(file);
    expect(Object.fromEntries(stats.blocks)).toEqual({ SHB: 1, PL_V1_INT: 1, FDL_INT: 1, IL_INT: 1, UL_INT: 1, '0x7777': 1 });
    const fds = state.threads.get(10)!.fds;
    expect(fds.map((f) => [f.fd, f.type, f.name])).toEqual([
      [3, 1, '/etc/passwd'],
      [4, 3, ''],
      [5, 8, '/run/s'],
    ]);
    expect(fds[1]).toMatchObject({ sip: '127.0.0.1', dip: '10.0.0.2', sport: 40000, dport: 80, l4proto: 1 });
    expect(state.interfaces).toEqual([
      { family: 'ipv4', name: 'lo', addr: '127.0.0.1', netmask: '255.0.0.0', bcast: '127.255.255.255', linkspeed: 0n },
      { family: 'ipv6', name: 'eth0', addr: '::1', netmask: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', bcast: '::', linkspeed: 1000n },
    ]);
    expect(state.users).toEqual([{ uid: 0, gid: 0, name: 'root', homedir: '/root', shell: '/bin/sh' }]);
    expect(state.groups).toEqual([{ gid: 0, name: 'root' }]);
  });

  it('reads EVF v1 (flags, inferred parameter count) and EVF_V2_LARGE events', () => {
    // close exit in the v1 layout: 22-byte header, one u16 length, res.
    const v1 = new W().u64(1000n).u64(10).u32(22 + 2 + 8).u16(5).u16(8).u64(0).done();
    const evf = Buffer.concat([new W().u16(3).u32(RECORD_FLAG_STATE_ONLY).done(), v1]);
    // async event (large payload: u32 lengths), current layout.
    const info = EVENT_TABLE[402]!;
    expect(info.flags & EF.LARGE_PAYLOAD).not.toBe(0);
    const params = info.params.map((p, k) => (k === info.params.length - 1 ? Buffer.alloc(70000, 0x41) : p[1] === 9 ? Buffer.from('x\0') : Buffer.alloc(4)));
    const ev = new W().u64(2000n).u64(10).u32(26 + 4 * params.length + params.reduce((a, p) => a + p.length, 0)).u16(402).u32(params.length);
    for (const p of params) ev.u32(p.length);
    for (const p of params) ev.bytes(p);
    const large = Buffer.concat([new W().u16(1).u32(0).done(), ev.done()]);
    const file = Buffer.concat([shb(2), block(BLOCK.EVF, evf), block(BLOCK.EVF_V2_LARGE, large)]);
    const res = readScapBuffer(file, { convert: false });
    const c = new BatchCursor();
    const seen: string[] = [];
    for (const b of res.batches) {
      c.reset(b);
      while (c.next()) seen.push(`${c.view.type} ${c.view.cpu} ${c.view.flags} ${c.view.nparams} ${c.view.paramLength(c.view.nparams - 1)}`);
    }
    // close exit v1 with 1 of its 2 parameters; the async event with its 70000-byte payload.
    expect(seen).toEqual(['5 3 1 1 8', `402 1 0 ${params.length} 70000`]);
  });

  it('rejects a large-payload event type in a v1 block, whose lengths could not be laid out', () => {
    const v1 = new W().u64(1n).u64(1).u32(22 + 2 + 2).u16(402).u16(2).bytes([1, 2]).done();
    const file = Buffer.concat([shb(0), block(BLOCK.EV, Buffer.concat([new W().u16(0).done(), v1]))]);
    expect(() => readScapBuffer(file)).toThrow(/large-payload event type 402 in a v1 event block/);
  });
});
