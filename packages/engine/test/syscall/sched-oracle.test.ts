/**
 * thread.exectime, thread.totexectime and thread.cpu* on the conformance captures (some hold
 * context-switch and procinfo events), compared with sysdig 0.29 on every event both deliver.
 * sysdig hides internal events such as procinfo unless run with -D, which also prints its own
 * log lines: the field lines are told apart by a marker.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BatchBuilder, encode, eventTypeName, readScapBuffer, writeScapFile } from '@falco-ts/driver';
import { SyscallSource } from '../../src/syscall/source';
import { thread, typeOf } from '../support/synth';

const CAPTURES = resolve(__dirname, '../../../../../shared/conformance/falco/captures');
const FIELDS = ['thread.exectime', 'thread.totexectime', 'thread.cpu', 'thread.cpu.user', 'thread.cpu.system'];
const MARK = '@@';

/** Field values by `ts tid type`, with the event types seen. */
function ours(file: string): Map<string, string[]> {
  const contents = readScapBuffer(new Uint8Array(readFileSync(file)));
  const src = new SyscallSource({ hostname: 'h' });
  src.seedFromCapture(contents.state);
  const defs = FIELDS.map((f) => {
    const d = src.fields.resolve(f, undefined);
    if (d === undefined || 'error' in d) throw new Error(`cannot resolve ${f}`);
    return d;
  });
  const out = new Map<string, string[]>();
  for (const b of contents.batches) {
    src.forEach(b, (e) => {
      const values = defs.map((d) => {
        const v = d.extract(e, undefined);
        // sysdig prints doubles with one decimal.
        return v === undefined ? '<NA>' : typeof v === 'number' ? v.toFixed(1) : String(v);
      });
      out.set(`${e.ts} ${e.view.tid} ${eventTypeName(e.view)}`, values);
    });
  }
  return out;
}

function sysdig(file: string): Map<string, string[]> {
  const format = `*${MARK} %evt.rawtime %thread.tid %evt.type ${FIELDS.map((f) => `%${f}`).join(' ')}`;
  const text = execFileSync('sysdig', ['-D', '-r', file, '-p', format], { encoding: 'latin1', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${MARK} `)) continue;
    const parts = line.slice(MARK.length + 1).split(' ');
    out.set(parts.slice(0, 3).join(' '), parts.slice(3, 3 + FIELDS.length));
  }
  return out;
}

const files = readdirSync(CAPTURES).filter((f) => f.endsWith('.scap'));



/**
 * Context switches on two CPUs and repeated procinfo samples (growth below and above the cap, a
 * first sample of 0, a thread the tables do not know), with syscalls in between.
 */
async function schedCapture(file: string): Promise<void> {
  const sw = typeOf('switch', 'enter');
  const procinfo = typeOf('procinfo', 'enter');
  const getuid = typeOf('getuid', 'exit');
  const b = new BatchBuilder();
  let ts = 1_700_000_000_000_000_000n;
  const at = (delta: bigint): bigint => (ts += delta);
  const swParams = (next: number): Uint8Array[] => [encode.i64(next), encode.u64(0), encode.u64(0), encode.u32(0), encode.u32(0), encode.u32(0)];
  const cpuParams = (usr: number, sys: number): Uint8Array[] => [encode.u64(usr), encode.u64(sys)];
  const events: Array<[number, number, Uint8Array[], number, bigint]> = [
    [procinfo, 100, cpuParams(10, 5), 0, at(1000n)],
    [procinfo, 200, cpuParams(0, 0), 1, at(1000n)],
    [procinfo, 999, cpuParams(7, 7), 1, at(1000n)],
    [sw, 100, swParams(200), 0, at(1000n)],
    [sw, 200, swParams(100), 1, at(2500n)],
    [getuid, 100, [encode.u32(0)], 0, at(300n)],
    [sw, 200, swParams(100), 0, at(7000n)],
    [sw, 100, swParams(200), 0, at(12_345n)],
    [sw, 100, swParams(200), 1, at(4000n)],
    [getuid, 100, [encode.u32(0)], 1, at(300n)],
    [getuid, 200, [encode.u32(0)], 0, at(300n)],
    [procinfo, 100, cpuParams(40, 5), 0, at(1000n)],
    [procinfo, 200, cpuParams(3, 4), 1, at(1000n)],
    [procinfo, 100, cpuParams(400, 9), 0, at(1000n)],
    [procinfo, 200, cpuParams(10, 10), 1, at(1000n)],
    [getuid, 200, [encode.u32(0)], 0, at(300n)],
  ];
  for (const [type, tid, params, cpu, when] of events) b.push({ ts: when, tid, type, params, cpu });
  // sysdig sizes its per-CPU switch times from the machine block (and crashes without one).
  const machine = { numCpus: 2, memorySizeBytes: 1n << 30n, maxPid: 32768n, hostname: 'h', bootTsEpoch: 0n, flags: 0n };
  await writeScapFile(file, { machine, threads: [thread(1, 'init'), thread(100, 'alpha'), thread(200, 'beta')], users: [], groups: [], interfaces: [] }, [b.build()]);
}

describe('scheduler CPU fields against sysdig', () => {
  function compare(file: string): void {
    const mine = ours(file);
    const theirs = sysdig(file);
    const differences: string[] = [];
    let compared = 0;
    for (const [key, values] of theirs) {
      const m = mine.get(key);
      if (m === undefined) continue;
      compared++;
      values.forEach((v, k) => {
        if (m[k] !== v) differences.push(`${key} ${FIELDS[k]!}: ours ${m[k]!}, sysdig ${v}`);
      });
    }
    expect(compared).toBeGreaterThan(0);
    expect(differences.slice(0, 20)).toEqual([]);
  }

  it.each(files)('%s', (name) => compare(`${CAPTURES}/${name}`));

  it('a capture with switches on two CPUs and repeated procinfo samples', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sched-'));
    if (process.env['KEEP_SCHED']) console.log(dir);
    try {
      const file = join(dir, 'sched.scap');
      await schedCapture(file);
      compare(file);
      // The figures themselves, so that a sysdig that printed nothing useful cannot pass.
      const mine = [...ours(file).values()];
      expect(mine.map((v) => v[0])).toEqual(['0', '0', '0', '0', '0', '0', '9800', '12345', '23645', '0', '0', '0', '0', '0', '0', '0']);
      expect(mine.slice(11).map((v) => v.slice(2).join('/'))).toEqual([
        '30.0/30.0/0.0', '0.0/0.0/0.0', '100.0/100.0/4.0', '13.0/7.0/6.0', '<NA>/<NA>/<NA>',
      ]);
      expect(mine[15]![1]).toBe('9800');
    } finally {
      if (!process.env['KEEP_SCHED']) rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the captures include context switches and procinfo samples', () => {
    const types = new Set<string>();
    for (const f of files) for (const key of ours(`${CAPTURES}/${f}`).keys()) types.add(key.split(' ')[2]!);
    expect(types).toContain('switch');
    expect(types).toContain('procinfo');
  });
});
