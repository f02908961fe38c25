import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  BatchBuilder,
  BatchCursor,
  EC,
  EVENT_TABLE,
  encode,
  eventTypeName,
  newThread,
  openScap,
  RECORD_FLAG_STATE_ONLY,
  readScapBuffer,
  renderArgs,
  writeScapFile,
  type EventBatch,
} from '../../src';
import { conformanceCaptures, sysdigLines } from '../helpers/captures';

// These tests run sysdig (and the reference checker) as child processes; allow for a busy machine.
jest.setTimeout(90000);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scap-writer-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function records(batches: readonly EventBatch[]): string[] {
  const out: string[] = [];
  const c = new BatchCursor();
  for (const b of batches) {
    c.reset(b);
    while (c.next()) out.push(Buffer.from(c.view.data.subarray(c.view.offset, c.view.offset + c.view.recordSize)).toString('hex'));
  }
  return out;
}

function inet(port: number): Uint8Array {
  const b = new Uint8Array(7);
  b[0] = 2;
  b.set([127, 0, 0, 1], 1);
  new DataView(b.buffer).setUint16(5, port, true);
  return b;
}

function tuple(sport: number, dport: number): Uint8Array {
  const b = new Uint8Array(13);
  const dv = new DataView(b.buffer);
  b[0] = 2;
  b.set([127, 0, 0, 1], 1);
  dv.setUint16(5, sport, true);
  b.set([10, 1, 2, 3], 7);
  dv.setUint16(11, dport, true);
  return b;
}

/** Events in the live driver's batch layout (modern exit layouts plus the kept enter events). */
function liveBatch(): EventBatch {
  const ts = 1700000000123456789n;
  return new BatchBuilder()
    .push({ cpu: 1, ts, tid: 4242, type: 2, params: [encode.str('/etc/passwd'), encode.u32(1), encode.u32(0)] })
    .push({ cpu: 1, ts: ts + 10n, tid: 4242, type: 3, params: [encode.i64(3), encode.str('/etc/passwd'), encode.u32(4097), encode.u32(0o644), encode.u32(0x803), encode.u64(1234)] })
    .push({ cpu: 1, ts: ts + 20n, tid: 4242, type: 7, params: [encode.i64(5), encode.bytes('root:'), encode.i64(3), encode.u32(4096)] })
    .push({ cpu: 0, ts: ts + 30n, tid: 4243, type: 5, params: [encode.i64(-9), encode.i64(77)] })
    .push({ cpu: 0, ts: ts + 40n, tid: 4243, type: 22, params: [encode.i64(4), inet(8080)] })
    .push({ cpu: 0, ts: ts + 50n, tid: 4243, type: 23, params: [encode.i64(-111), tuple(40000, 8080), encode.i64(4), inet(8080)] })
    .push({ cpu: 2, flags: 1, ts: ts + 60n, tid: 4242, type: 9, params: [encode.i64(2), encode.bytes('hi'), encode.i64(1), encode.u32(2)] })
    .build();
}

function liveThreads(): ReturnType<typeof newThread>[] {
  const cat = newThread(4242);
  Object.assign(cat, { pid: 4242, ptid: 1, comm: 'cat', exe: '/bin/cat', args: ['/etc/passwd'], cwd: '/root' });
  cat.fds.push({ fd: 1, ino: 5n, type: 1, name: '/dev/pts/0' });
  const curl = newThread(4243);
  Object.assign(curl, { pid: 4243, ptid: 1, comm: 'curl', exe: '/usr/bin/curl', cwd: '/tmp' });
  return [cat, curl];
}

/** `name=value` pairs of sysdig's evt.args, with the fd/pid names it adds from thread state removed. */
function sysdigArgs(args: string): string[] {
  return args
    .trim()
    .split(' ')
    .filter((a) => a !== '')
    .map((a) => a.replace(/^(fd|tid|pid|ptid)=(-?\d+)\([^)]*\)$/, '$1=$2'));
}

describe('scap writer', () => {
  it('writes a batch that reads back byte for byte, with state, gzip or plain', async () => {
    for (const compress of [true, false]) {
      const file = join(dir, `live-${compress}.scap`);
      const batch = liveBatch();
      expect(await writeScapFile(file, { threads: liveThreads() }, [batch], { compress })).toBe(7);
      const back = readScapBuffer(readFileSync(file));
      expect(back.compressed).toBe(compress);
      expect(records(back.batches)).toEqual(records([batch]));
      expect(Object.fromEntries(back.stats.blocks)).toEqual({ SHB: 1, IL_V2: 1, UL_V2: 1, PL_V9: 1, FDL_V2: 1, EV_V2: 6, EVF_V2: 1 });
      expect(back.state.threads.get(4242)?.comm).toBe('cat');
      expect(back.state.threads.get(4242)?.fds[0]?.name).toBe('/dev/pts/0');
      expect(back.state.header).toEqual({ major: 1, minor: 2 });
    }
  });

  it('live-format batch → file → `sysdig -r`: same events, parameters and process names', async () => {
    const file = join(dir, 'live-sysdig.scap');
    await writeScapFile(file, { threads: liveThreads() }, [liveBatch()]);
    const r = await openScap(file);
    const ours: string[][] = [];
    const c = new BatchCursor();
    for await (const b of r.batches()) {
      c.reset(b);
      while (c.next()) {
        const v = c.view;
        // sysdig does not show events kept only for state (EVF flag SCAP_DF_STATE_ONLY).
        if ((v.flags & RECORD_FLAG_STATE_ONLY) !== 0) continue;
        ours.push([`${v.ts} ${v.cpu} ${r.state.threads.get(v.tid)?.comm} ${v.tid} ${v.dir} ${eventTypeName(v)}`, ...renderArgs(v).split(' ')]);
      }
    }
    const theirs = sysdigLines(file, '%evt.rawtime %evt.cpu %proc.name %thread.tid %evt.dir %evt.type ## %evt.args').map((l) => {
      const [head, args] = l.split(' ## ');
      return [head!, ...sysdigArgs(args ?? '')];
    });
    expect(theirs.map((t) => t[0])).toEqual(ours.map((o) => o[0]));
    // sysdig 0.29 predates the parameters newer layouts append (e.g. open's ino, read's fd and size),
    // so it prints a prefix of them; every parameter it prints must match ours.
    theirs.forEach((t, k) => {
      expect(t.length).toBeGreaterThan(1);
      expect(t.slice(1)).toEqual(ours[k]!.slice(1, t.length));
    });
  });

  it.each(conformanceCaptures().map((f) => [basename(f), f]))('rewrites %s so that both this reader and sysdig read the same events', async (_n, src) => {
    const r = await openScap(src);
    const batches: EventBatch[] = [];
    for await (const b of r.batches()) batches.push(b);
    const file = join(dir, basename(src));
    await writeScapFile(file, { machine: r.state.machine, threads: r.state.threads.values(), users: r.state.users, groups: r.state.groups, interfaces: r.state.interfaces }, batches);
    const back = readScapBuffer(readFileSync(file));
    expect(records(back.batches)).toEqual(records(batches));
    expect(back.state.threads.size).toBe(r.state.threads.size);
    expect(back.state.users).toEqual(r.state.users);
    expect(back.state.interfaces).toEqual(r.state.interfaces);
    expect(back.state.machine).toEqual(r.state.machine);
    // sysdig hides internal and meta events (procinfo, container); every other event must appear
    // with the same number, type and direction.
    const ours: string[] = [];
    let num = 0;
    const c = new BatchCursor();
    for (const b of back.batches) {
      c.reset(b);
      while (c.next()) {
        num++;
        if ((EVENT_TABLE[c.view.type]!.category & (EC.INTERNAL | EC.METAEVENT)) === 0) ours.push(`${num} ${eventTypeName(c.view)} ${c.view.dir}`);
      }
    }
    expect(sysdigLines(file, '%evt.num %evt.type %evt.dir')).toEqual(ours);
  });
});
