import { execFileSync, spawnSync } from 'node:child_process';
import { basename, join, resolve } from 'node:path';
import { EC, EVENT_TABLE, eventTypesByName, summarizeCapture } from '../../src';
import { conformanceCaptures, countLines, sysdigLines } from '../helpers/captures';

const ROOT = resolve(__dirname, '../../../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const BIN = resolve(__dirname, '../../src/bin/scap.ts');

// Each case spawns the command through tsx, which takes seconds on a busy machine.
jest.setTimeout(90000);

function scap(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(TSX, [BIN, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function hiddenBySysdig(name: string): boolean {
  // sysdig 0.29 does not print internal and meta events (procinfo, container, …).
  return eventTypesByName(name).some((t) => (EVENT_TABLE[t]!.category & (EC.INTERNAL | EC.METAEVENT)) !== 0);
}

describe('scap info', () => {
  it.each(conformanceCaptures().map((f) => [basename(f), f]))('counts exit events of %s by type as sysdig -r does', async (_n, file) => {
    // Every stored exit event is delivered (old layouts are converted, never dropped), while most
    // enter events are folded into their exits here but printed by sysdig 0.29: compare exits.
    const s = await summarizeCapture(file);
    const ours = Object.fromEntries(Object.entries(s.eventsByType).filter(([k]) => k.endsWith(' <') && !hiddenBySysdig(k.slice(0, -2))));
    const theirs = Object.fromEntries(countLines(sysdigLines(file, '%evt.type %evt.dir', 'evt.dir=<')));
    expect(ours).toEqual(theirs);
  });

  it('prints a JSON summary', () => {
    const file = conformanceCaptures().find((f) => f.endsWith('cat_write.scap'))!;
    const r = scap('info', file, '--json');
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout) as { blocks: Record<string, number>; threads: number; fds: number; events: number; storedEvents: number; version: string };
    expect(s.blocks).toEqual({ SHB: 1, MI: 1, IL: 1, UL: 1, PL_V6: 1, FDL: 73, EV: 345 });
    expect(s).toMatchObject({ threads: 73, fds: 384, storedEvents: 345, events: 307, version: '1.0' });
  });
});

describe('scap print', () => {
  it('prints one line per delivered event with number, time, cpu, tid, direction, type and args', () => {
    const file = conformanceCaptures().find((f) => f.endsWith('cat_write.scap'))!;
    const r = scap('print', file);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(307);
    expect(lines.find((l) => / < open /.test(l))).toMatch(/^\d+ 2016-08-04T16:17:57\.\d{9}Z 0 20072 < open fd=3 name=\/etc\/ld\.so\.cache flags=4097\(O_RDONLY\|O_CLOEXEC\) mode=0 dev=<NA> ino=<NA>$/);
  });

  it('fails with the byte offset and block on bad input, and with usage on bad arguments', () => {
    const r = scap('info', '/etc/passwd');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/at byte 0 \(block .* at byte 0\): not a scap capture.*\[SCAP_BAD_MAGIC\]/);
    expect(scap('frobnicate', 'x').status).toBe(2);
    expect(scap('print').status).toBe(2);
  });

  it('keeps sysdig as the oracle available', () => {
    expect(execFileSync('sysdig', ['--version'], { encoding: 'utf8' })).toMatch(/sysdig version/);
  });
});
