/**
 * scap: read + decode throughput of the capture reader, side by side with `sysdig -r FILE
 * "evt.num=0"` (which reads, parses and filters every event and prints none) on the same file in the
 * same run.
 *
 * Both sides run as fresh processes, alternately, and are timed by wall clock, best of five, so process start-up
 * counts for both. "Decode" means every parameter of every delivered event is decoded to a typed
 * value (decodeParam). Two files: the largest conformance capture as it is, and the same capture's
 * events repeated to a few hundred thousand (written by this project's writer), where start-up no
 * longer dominates. Events/s counts the events stored in the file, which both tools read.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openScap, ScapWriter, type EventBatch } from '@falco-ts/driver';
import type { Bench, BenchRow } from '../bench';

const CAPTURES = join(__dirname, '../../../../../shared/conformance/falco/captures');
const TARGET_EVENTS = 300_000;

/** The reader side: a fresh node process that reads and decodes every event, then reports. */
const READER_SCRIPT = `
const d = require(process.argv[1]);
(async () => {
  const r = await d.openScap(process.argv[2]);  // argv[3]: 'decode' or 'read'
  const c = new d.BatchCursor();
  let params = 0;
  for await (const b of r.batches()) {
    c.reset(b);
    while (c.next()) {
      const v = c.view;
      if (process.argv[3] === 'decode') for (let i = 0, n = v.nparams; i < n; i++) { d.decodeParam(v, i); params++; }
    }
  }
  process.stdout.write(JSON.stringify({ stored: r.stats.storedEvents, delivered: r.stats.deliveredEvents, bytes: r.stats.bytes, params }));
})();
`;

interface Timed {
  ms: number;
  stored: number;
  bytes: number;
}

function runReader(file: string, mode: 'decode' | 'read' = 'decode'): Timed {
  const driver = require.resolve('@falco-ts/driver');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-e', READER_SCRIPT, driver, file, mode], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`reader failed on ${file}: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { stored: number; bytes: number };
  return { ms, stored: out.stored, bytes: out.bytes };
}

function runSysdig(file: string): { ms: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('sysdig', ['-r', file, 'evt.num=0'], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`sysdig failed on ${file}: ${r.stderr}`);
  return { ms };
}

async function enlarge(src: string, dest: string): Promise<number> {
  const r = await openScap(src);
  const batches: EventBatch[] = [];
  for await (const b of r.batches()) batches.push(b);
  const per = r.stats.deliveredEvents;
  const copies = Math.max(1, Math.ceil(TARGET_EVENTS / Math.max(1, per)));
  const { writer, done } = ScapWriter.toFile(dest);
  await writer.begin({ machine: r.state.machine, threads: r.state.threads.values(), users: r.state.users, groups: r.state.groups, interfaces: r.state.interfaces });
  for (let k = 0; k < copies; k++) for (const b of batches) await writer.writeBatch(b);
  await writer.end();
  await done;
  return writer.events;
}

function rows(label: string, ours: Timed, peer: { ms: number }, how = 'wall, process start included', what = 'read+decode'): BenchRow[] {
  const evs = (ours.stored / ours.ms) * 1000;
  const peerEvs = (ours.stored / peer.ms) * 1000;
  const mbs = ours.bytes / 1e6 / (ours.ms / 1000);
  const peerMbs = ours.bytes / 1e6 / (peer.ms / 1000);
  const note = `${ours.stored} events, ${(ours.bytes / 1e6).toFixed(2)} MB uncompressed; ours ${ours.ms.toFixed(0)} ms, sysdig ${peer.ms.toFixed(0)} ms (${how})`;
  return [
    { bench: 'scap', metric: `${what} events/s (${label})`, value: evs, unit: 'events/s', peer: { name: 'sysdig -r "evt.num=0"', value: peerEvs }, ratio: evs / peerEvs, note },
    { bench: 'scap', metric: `${what} MB/s (${label})`, value: mbs, unit: 'MB/s', peer: { name: 'sysdig -r "evt.num=0"', value: peerMbs }, ratio: mbs / peerMbs },
  ];
}

export const bench: Bench = {
  name: 'scap',
  async run(): Promise<BenchRow[]> {
    execFileSync('sysdig', ['--version']);
    const largest = readdirSync(CAPTURES)
      .filter((f) => f.endsWith('.scap'))
      .map((f) => join(CAPTURES, f))
      .sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
    const dir = mkdtempSync(join(tmpdir(), 'scap-bench-'));
    try {
      const big = join(dir, 'enlarged.scap');
      await enlarge(largest, big);
      const name = largest.slice(largest.lastIndexOf('/') + 1);
      // Runs alternate between the two tools so a busy machine slows both alike; best of five each.
      let oursSmall: Timed | undefined;
      let oursBig: Timed | undefined;
      let oursBigRead: Timed | undefined;
      let peerSmall: { ms: number } | undefined;
      let peerBig: { ms: number } | undefined;
      const best = <T extends { ms: number }>(a: T | undefined, b: T): T => (a === undefined || b.ms < a.ms ? b : a);
      for (let k = 0; k < 5; k++) {
        oursSmall = best(oursSmall, runReader(largest));
        peerSmall = best(peerSmall, runSysdig(largest));
        oursBig = best(oursBig, runReader(big));
        oursBigRead = best(oursBigRead, runReader(big, 'read'));
        peerBig = best(peerBig, runSysdig(big));
      }
      // Throughput once running: the extra events of the big file over the extra time it took,
      // which cancels process start-up (node's is several times sysdig's) on both sides.
      const net = (a: Timed, b: Timed, pa: { ms: number }, pb: { ms: number }): [Timed, { ms: number }] => [
        { ms: Math.max(1e-3, b.ms - a.ms), stored: b.stored - a.stored, bytes: b.bytes - a.bytes },
        { ms: Math.max(1e-3, pb.ms - pa.ms) },
      ];
      const [oursNet, peerNet] = net(oursSmall!, oursBig!, peerSmall!, peerBig!);
      return [
        ...rows(name, oursSmall!, peerSmall!),
        ...rows(`${name} events repeated`, oursBig!, peerBig!),
        ...rows('steady state: start-up subtracted', oursNet, peerNet, 'big file minus small file'),
        // Where the time goes: the same big file read into batches without decoding parameters.
        ...rows(`${name} events repeated`, oursBigRead!, peerBig!, 'wall, process start included', 'read only').slice(0, 1),
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
