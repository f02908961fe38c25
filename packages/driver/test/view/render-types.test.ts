import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchBuilder, BatchCursor, EC, EF, EVENT_TABLE, PT, encode, newThread, openScap, renderArgs, writeScapFile } from '../../src';
import { sysdigLines } from '../helpers/captures';

// These tests run sysdig (and the reference checker) as child processes; allow for a busy machine.
jest.setTimeout(90000);

/** A plausible value of each parameter type. */
function sample(pt: number, info: string | null): Uint8Array {
  switch (pt) {
    case PT.INT8:
    case PT.UINT8:
    case PT.FLAGS8:
    case PT.ENUMFLAGS8:
      return encode.u8(1);
    case PT.SIGTYPE:
      return encode.u8(9);
    case PT.INT16:
    case PT.UINT16:
    case PT.FLAGS16:
    case PT.ENUMFLAGS16:
    case PT.PORT:
    case PT.SYSCALLID:
      return encode.u16(1);
    case PT.UID:
      return encode.u32(1000);
    case PT.MODE:
      return encode.u32(0o755);
    case PT.INT32:
    case PT.UINT32:
    case PT.FLAGS32:
    case PT.ENUMFLAGS32:
    case PT.GID:
    case PT.SIGSET:
    case PT.FD32:
    case PT.PID32:
      return encode.u32(1);
    case PT.INT64:
    case PT.UINT64:
    case PT.RELTIME:
    case PT.ABSTIME:
      return encode.u64(123456);
    case PT.ERRNO:
      return encode.i64(-2);
    case PT.FD:
      return encode.i64(3);
    case PT.PID:
      return encode.i64(42);
    case PT.CHARBUF:
    case PT.FSPATH:
      return encode.str('/tmp/x');
    case PT.FSRELPATH:
      return encode.str('rel');
    case PT.SOCKADDR:
      return Uint8Array.of(2, 10, 0, 0, 1, 0x50, 0);
    case PT.SOCKTUPLE:
      return Uint8Array.of(2, 10, 0, 0, 1, 0x10, 0, 10, 0, 0, 2, 0x50, 0);
    case PT.FDLIST:
      return Uint8Array.of(1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0);
    case PT.DYN:
      return Uint8Array.of(info === 'sockopt_dynamic_param' ? 2 : 0, 5, 0, 0, 0, 0, 0, 0, 0);
    default:
      return encode.bytes('hello');
  }
}

// Values sysdig completes from its thread, fd and user tables (`fd=3(<f>/tmp/x)`, `uid=1000(root)`,
// a relative path resolved against its dirfd): a stateless renderer prints the part before `(`.
const STATEFUL = new Set<number>([PT.FD, PT.FD32, PT.PID, PT.PID32, PT.UID, PT.GID, PT.FSRELPATH, PT.ERRNO]);

// Differences between sysdig 0.29's event table (early 2022) and the current one.
const SCHEMA_CHANGES: Record<string, string> = {
  'execve vpgid': 'was named pgid',
  'execveat vpgid': 'was named pgid',
  'setpgid res': 'was not an errno',
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'render-types-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rendering every parameter type', () => {
  it('prints every current syscall exit layout as sysdig does', async () => {
    const b = new BatchBuilder();
    const types: number[] = [];
    for (const e of EVENT_TABLE) {
      if (e.dir !== 'exit' || e.id < 2 || (e.flags & (EF.OLD_VERSION | EF.UNUSED)) !== 0 || (e.category & (EC.INTERNAL | EC.METAEVENT)) !== 0) continue;
      b.push({ ts: 1700000000000000000n + BigInt(types.length), tid: 1, type: e.id, params: e.params.map((p) => sample(p[1], p[3])) });
      types.push(e.id);
    }
    const file = join(dir, 'all.scap');
    const t = newThread(1);
    t.comm = 'x';
    await writeScapFile(file, { threads: [t] }, [b.build()]);
    const r = await openScap(file);
    const ours: string[][] = [];
    const c = new BatchCursor();
    for await (const bt of r.batches()) {
      c.reset(bt);
      while (c.next()) ours.push(renderArgs(c.view).split(' '));
    }
    const lines = sysdigLines(file, '%evt.num ## %evt.args');
    // sysdig skips the event types it does not know yet; it must still print most of them.
    expect(lines.length).toBeGreaterThan(100);
    let compared = 0;
    for (const line of lines) {
      const [n, args] = line.split(' ## ');
      const info = EVENT_TABLE[types[Number(n) - 1]!]!;
      const mine = ours[Number(n) - 1]!;
      (args ?? '').trim().split(' ').filter((x) => x !== '').forEach((theirs, k) => {
        const param = info.params[k]!;
        const ownName = mine[k]!.slice(0, mine[k]!.indexOf('='));
        if (SCHEMA_CHANGES[`${info.name} ${ownName}`]) return;
        let expected = theirs;
        if (STATEFUL.has(param[1]) && !mine[k]!.includes('(') && theirs.startsWith(`${mine[k]}(`)) expected = mine[k]!;
        // fdlists: `fd:` + type character from sysdig's fd table + hex flags; `?` here.
        if (param[1] === PT.FDLIST) expected = theirs.replace(/^(\w+=\d+:)./, '$1?');
        expect(`${info.symbol} ${mine[k]}`).toBe(`${info.symbol} ${expected}`);
        compared++;
      });
    }
    expect(compared).toBeGreaterThan(300);
  });
});
