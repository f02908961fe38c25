import { basename } from 'node:path';
import { BatchCursor, EC, EVENT_TABLE, openScap, renderArgs } from '../../src';
import { conformanceCaptures, sysdigLines } from '../helpers/captures';

// These tests run sysdig (and the reference checker) as child processes; allow for a busy machine.
jest.setTimeout(90000);

// sysdig adds names from its thread table to fd and pid values (`fd=3(<f>/etc/passwd)`), which a
// stateless renderer cannot know: those suffixes are removed before comparing.
const STATEFUL = /^([a-z_]*fd|tid|pid|ptid|fd_in|fd_out|dirfd|olddir|newdir|out_fd|in_fd)=(-?\d+)\([^)]*\)$/;

function tokens(args: string): string[] {
  return args
    .trim()
    .split(' ')
    .filter((t) => t !== '')
    .map((t) => t.replace(STATEFUL, '$1=$2'));
}

describe.each(conformanceCaptures().map((f) => [basename(f), f]))('evt.args of %s', (_n, file) => {
  it('renders every event sysdig prints the way sysdig prints it', async () => {
    // Events as stored (sysdig 0.29 does not convert), buffers cut at sysdig's default 80 bytes.
    const r = await openScap(file, { convert: false });
    const ours = new Map<number, string[]>();
    const c = new BatchCursor();
    let num = 0;
    for await (const b of r.batches()) {
      c.reset(b);
      while (c.next()) {
        num++;
        if ((EVENT_TABLE[c.view.type]!.category & (EC.INTERNAL | EC.METAEVENT)) === 0) ours.set(num, tokens(renderArgs(c.view, { maxBufferBytes: 80 })));
      }
    }
    const lines = sysdigLines(file, '%evt.num ## %evt.args');
    for (const line of lines) {
      const [n, args] = line.split(' ## ');
      const theirs = tokens(args ?? '');
      const mine = ours.get(Number(n));
      expect(mine).toBeDefined();
      // sysdig 0.29 prints an empty buffer as nothing where current libsinsp (and this renderer)
      // print NULL; it also knows fewer parameters for some events, so it prints a prefix.
      const comparable = mine!.slice(0, theirs.length).map((t, k) => (t.endsWith('=NULL') && theirs[k] === t.slice(0, -4) ? theirs[k] : t));
      expect([n, ...theirs]).toEqual([n, ...comparable]);
    }
  });
});
