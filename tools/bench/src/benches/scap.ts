/**
 * scap: read + decode throughput of the capture reader, side by side with `sysdig -r FILE
 * "evt.num=0"` on the same file in the same run.
 *
 * What each side does: ours opens the capture, reads the initial state, converts old layouts, lays
 * every event out in batches and decodes every parameter of every event to a typed value
 * (decodeParam: numbers, bigints, strings, sockaddrs, …). sysdig reads every event and parses it
 * into its state (threads, fds, users), evaluates the filter on it and prints none. sysdig's state
 * parsing is work ours does not do in the reader (the engine does it later), and ours decodes every
 * parameter, which sysdig does only for the parameters its parsers use.
 *
 * Both sides run as fresh processes, alternately (so a busy machine slows both alike), best of five.
 * Two clocks: wall time, process start-up included (node's is several times sysdig's), and CPU time
 * (user + system, from the shell's `times`), which a machine shared with other work disturbs less.
 * Events/s counts the events stored in the file, which both tools read.
 *
 * Files: the largest conformance capture as it is, and a large capture synthesized from the events
 * of every conformance capture, repeated and re-timestamped to `SYNTH_EVENTS`, written plain and
 * gzip-compressed by this project's writer (sysdig reads both). procinfo events are left out of the
 * synthesized mix: one capture is almost all procinfo, which would otherwise make up nearly every
 * event and hide the syscall events a real capture is made of.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventTypesByName, openScap, ScapWriter, type EventBatch, type InitialState } from '@falco-ts/driver';
import type { Bench, BenchRow } from '../bench';

const CAPTURES = join(__dirname, '../../../../../shared/conformance/falco/captures');
const SYNTH_EVENTS = 1_000_000;
const RUNS = 5;
const PEER = 'sysdig -r "evt.num=0"';

/** The reader side: a fresh node process that reads (and decodes) every event, then reports. */
const READER_SCRIPT = `
const d = require(process.argv[1]);
(async () => {
  const r = await d.openScap(process.argv[2]);  // argv[3]: 'decode' or 'read'
  const c = new d.BatchCursor();
  const decode = process.argv[3] === 'decode';
  let params = 0;
  for await (const b of r.batches()) {
    c.reset(b);
    while (c.next()) {
      const v = c.view;
      if (decode) for (let i = 0, n = v.nparams; i < n; i++) { d.decodeParam(v, i); params++; }
    }
  }
  process.stdout.write(JSON.stringify({ stored: r.stats.storedEvents, delivered: r.stats.deliveredEvents, bytes: r.stats.bytes, params }));
})();
`;

/** Runs a command under sh and reports its children's CPU time with the `times` builtin. */
const TIMED = '"$@"; rc=$?; times >&2; exit $rc';

interface Timed {
  /** Wall-clock milliseconds, process start included. */
  ms: number;
  /** User + system CPU milliseconds. */
  cpuMs: number;
}

interface Measured extends Timed {
  stored: number;
  bytes: number;
}

function timed(cmd: string, args: string[]): Timed & { stdout: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', TIMED, 'sh', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  // The second line of `times` is the children's user and system time: "0m1.234s 0m0.056s".
  const lines = r.stderr.trim().split('\n');
  const m = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s\s*$/.exec(lines[lines.length - 1] ?? '');
  if (m === null) throw new Error(`no CPU times from sh: ${r.stderr}`);
  const cpuMs = (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000;
  return { ms, cpuMs, stdout: r.stdout };
}

function runReader(file: string, mode: 'decode' | 'read'): Measured {
  const driver = require.resolve('@falco-ts/driver');
  const r = timed(process.execPath, ['-e', READER_SCRIPT, driver, file, mode]);
  const out = JSON.parse(r.stdout) as { stored: number; bytes: number };
  return { ms: r.ms, cpuMs: r.cpuMs, stored: out.stored, bytes: out.bytes };
}

function runSysdig(file: string): Timed {
  return timed('sysdig', ['-r', file, 'evt.num=0']);
}

/** Every conformance capture's events (procinfo left out), and the largest capture's state. */
async function eventMix(files: string[]): Promise<{ batches: EventBatch[]; state: InitialState }> {
  const procinfo = new Set(eventTypesByName('procinfo'));
  const batches: EventBatch[] = [];
  let state: InitialState | undefined;
  for (const file of files) {
    const r = await openScap(file);
    state ??= r.state;
    for await (const b of r.batches()) {
      const view = new DataView(b.data.buffer, b.data.byteOffset, b.byteLength);
      const kept = new Uint8Array(b.byteLength);
      let used = 0;
      let count = 0;
      for (let at = 0, k = 0; k < b.count; k++) {
        const size = 8 + view.getUint32(at + 24, true);
        if (!procinfo.has(view.getUint16(at + 28, true))) {
          kept.set(b.data.subarray(at, at + size), used);
          used += size;
          count++;
        }
        at += size;
      }
      if (count > 0) batches.push({ data: kept, count, byteLength: used });
    }
  }
  return { batches, state: state! };
}

/** Write the mix repeated to `events` events, timestamps 1 µs apart so the file is in order. */
async function synthesize(mix: { batches: EventBatch[]; state: InitialState }, dest: string, compress: boolean): Promise<number> {
  const { writer, done } = ScapWriter.toFile(dest, { compress });
  const s = mix.state;
  await writer.begin({ machine: s.machine, threads: s.threads.values(), users: s.users, groups: s.groups, interfaces: s.interfaces });
  let ts = 1_700_000_000_000_000_000n;
  let written = 0;
  while (written < SYNTH_EVENTS) {
    for (const b of mix.batches) {
      const copy = b.data.slice(0, b.byteLength);
      const view = new DataView(copy.buffer);
      for (let at = 0, k = 0; k < b.count; k++) {
        view.setBigUint64(at + 8, ts, true);
        ts += 1000n;
        at += 8 + view.getUint32(at + 24, true);
      }
      await writer.writeBatch({ data: copy, count: b.count, byteLength: b.byteLength });
      written += b.count;
      if (written >= SYNTH_EVENTS) break;
    }
  }
  await writer.end();
  await done;
  return writer.events;
}

function rows(label: string, ours: Measured, peer: Timed, what = 'read+decode', withMbs = true): BenchRow[] {
  const perS = (ms: number): number => (ours.stored / ms) * 1000;
  const mbs = (ms: number): number => ours.bytes / 1e6 / (ms / 1000);
  const note =
    `${ours.stored} events, ${(ours.bytes / 1e6).toFixed(2)} MB uncompressed; ` +
    `wall ours ${ours.ms.toFixed(0)} ms, sysdig ${peer.ms.toFixed(0)} ms; CPU ours ${ours.cpuMs.toFixed(0)} ms, sysdig ${peer.cpuMs.toFixed(0)} ms`;
  const out: BenchRow[] = [
    { bench: 'scap', metric: `${what} events/s, wall (${label})`, value: perS(ours.ms), unit: 'events/s', peer: { name: PEER, value: perS(peer.ms) }, ratio: peer.ms / ours.ms, note },
  ];
  if (withMbs) {
    out.push({ bench: 'scap', metric: `${what} MB/s, wall (${label})`, value: mbs(ours.ms), unit: 'MB/s', peer: { name: PEER, value: mbs(peer.ms) }, ratio: peer.ms / ours.ms });
  }
  out.push({
    bench: 'scap',
    metric: `${what} events/CPU-s (${label})`,
    value: perS(ours.cpuMs),
    unit: 'events/s',
    peer: { name: PEER, value: perS(peer.cpuMs) },
    ratio: peer.cpuMs / ours.cpuMs,
  });
  return out;
}

const better = <T extends Timed>(a: T | undefined, b: T): T =>
  a === undefined ? b : { ...(b.ms < a.ms ? b : a), ms: Math.min(a.ms, b.ms), cpuMs: Math.min(a.cpuMs, b.cpuMs) };

export const bench: Bench = {
  name: 'scap',
  async run(): Promise<BenchRow[]> {
    execFileSync('sysdig', ['--version']);
    const captures = readdirSync(CAPTURES)
      .filter((f) => f.endsWith('.scap'))
      .map((f) => join(CAPTURES, f))
      .sort((a, b) => statSync(b).size - statSync(a).size);
    const largest = captures[0]!;
    const dir = mkdtempSync(join(tmpdir(), 'scap-bench-'));
    try {
      const mix = await eventMix(captures);
      const plain = join(dir, 'synth.scap');
      const gz = join(dir, 'synth.scap.gz');
      await synthesize(mix, plain, false);
      await synthesize(mix, gz, true);
      const files = [largest, plain, gz];
      const ours: (Measured | undefined)[] = [];
      const peer: (Timed | undefined)[] = [];
      let readOnly: Measured | undefined;
      for (let k = 0; k < RUNS; k++) {
        files.forEach((f, i) => {
          ours[i] = better(ours[i], runReader(f, 'decode'));
          peer[i] = better(peer[i], runSysdig(f));
        });
        readOnly = better(readOnly, runReader(plain, 'read'));
      }
      const name = largest.slice(largest.lastIndexOf('/') + 1);
      const synth = `${SYNTH_EVENTS / 1e6}M conformance events`;
      return [
        ...rows(name, ours[0]!, peer[0]!),
        ...rows(`${synth}, plain`, ours[1]!, peer[1]!),
        ...rows(`${synth}, gzip`, ours[2]!, peer[2]!),
        // Where the time goes: the same plain file read into batches without decoding parameters.
        ...rows(`${synth}, plain`, readOnly!, peer[1]!, 'read only', false),
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
