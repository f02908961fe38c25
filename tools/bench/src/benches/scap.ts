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
 * Start-up apart: each tool also reads each file cut after its first event block: the same
 * metadata blocks (section header, machine, interfaces, users, processes and fds) byte for byte and
 * a single event (sysdig refuses a capture with none). That time is each tool's fixed cost: process start, loading, reading the
 * initial state. Subtracted from the time on the full file it leaves the time spent on events, and
 * the "net of start-up" rows give events/s over that, for both tools alike.
 *
 * Files: the largest conformance capture as it is, and a large capture synthesized from the events
 * of every conformance capture, repeated and re-timestamped to `SYNTH_EVENTS`, written plain and
 * gzip-compressed by this project's writer (sysdig reads both). procinfo events are left out of the
 * synthesized mix: one capture is almost all procinfo, which would otherwise make up nearly every
 * event and hide the syscall events a real capture is made of.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { BLOCK, eventTypesByName, openScap, ScapWriter, type EventBatch, type InitialState } from '@falco-ts/driver';
import type { Bench, BenchRow } from '../bench';

const CAPTURES = join(__dirname, '../../../../../shared/conformance/falco/captures');
const SYNTH_EVENTS = 1_000_000;
const RUNS = 5;
const SMALL_RUNS = 15;
const PEER = 'sysdig -r "evt.num=0"';

/** The reader side: a fresh node process that reads (and decodes) every event, then reports. */
const READER_SCRIPT = `
const d = require(process.argv[1]);
const decodeParam = d.decodeParam;  // as a named import binds it: not a property lookup per call
(async () => {
  const r = await d.openScap(process.argv[2]);  // argv[3]: 'decode' or 'read'
  const c = new d.BatchCursor();
  const decode = process.argv[3] === 'decode';
  let params = 0;
  for await (const b of r.batches()) {
    c.reset(b);
    while (c.next()) {
      const v = c.view;
      if (decode) for (let i = 0, n = v.nparams; i < n; i++) { decodeParam(v, i); params++; }
    }
  }
  process.stdout.write(JSON.stringify({ stored: r.stats.storedEvents, delivered: r.stats.deliveredEvents, bytes: r.stats.bytes, params }));
})();
`;

/**
 * Runs a command under bash and reports its CPU time with the `time` keyword, which reads
 * getrusage (microseconds; `times` counts 10 ms clock ticks, too coarse for a 20 ms start-up).
 */
const TIMED = 'TIMEFORMAT="%3U %3S"; time "$@"';

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
  const r = spawnSync('bash', ['-c', TIMED, 'bash', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  // The last line is the command's user and system seconds: "1.234 0.056".
  const lines = r.stderr.trim().split('\n');
  const m = /^([\d.]+) ([\d.]+)$/.exec(lines[lines.length - 1] ?? '');
  if (m === null) throw new Error(`no CPU times from bash: ${r.stderr}`);
  const cpuMs = (Number(m[1]) + Number(m[2])) * 1000;
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

const EVENT_BLOCKS = new Set<number>([BLOCK.EV, BLOCK.EV_INT, BLOCK.EVF, BLOCK.EV_V2, BLOCK.EV_V2_LARGE, BLOCK.EVF_V2, BLOCK.EVF_V2_LARGE]);

/**
 * `src` cut after its first event block: the same metadata blocks byte for byte and one event
 * (sysdig refuses a capture with none), compressed as `src` is. What each tool costs before it
 * gets to the events.
 */
function headersTwin(src: string, dest: string): void {
  const raw = readFileSync(src);
  const gz = raw[0] === 0x1f && raw[1] === 0x8b;
  const data = gz ? gunzipSync(raw) : raw;
  let at = 0;
  while (at + 8 <= data.length) {
    const type = data.readUInt32LE(at);
    const total = data.readUInt32LE(at + 4);
    if (total < 12) throw new Error(`${src}: block length ${total} at byte ${at}`);
    at += total;
    if (EVENT_BLOCKS.has(type)) break;
  }
  const head = data.subarray(0, at);
  writeFileSync(dest, gz ? gzipSync(head) : head);
}

/** Start-up rows: each tool's time on the headers-only capture (lower is better, ratio peer/ours). */
function startupRows(label: string, ours: Timed, peer: Timed): BenchRow[] {
  return [
    { bench: 'scap', metric: `start-up ms, wall (${label})`, value: ours.ms, unit: 'ms', peer: { name: PEER, value: peer.ms }, ratio: peer.ms / ours.ms },
    { bench: 'scap', metric: `start-up ms, CPU (${label})`, value: ours.cpuMs, unit: 'ms', peer: { name: PEER, value: peer.cpuMs }, ratio: peer.cpuMs / ours.cpuMs },
  ];
}

/** Below this many milliseconds a difference of two best-of-N process times is noise. */
const RESOLVABLE_MS = 5;

/** Throughput net of start-up: events over (time on the file - time on its headers-only twin). */
function netRows(label: string, ours: Measured, oursStart: Timed, peer: Timed, peerStart: Timed): BenchRow[] {
  const wall = [ours.ms - oursStart.ms, peer.ms - peerStart.ms] as const;
  const cpu = [ours.cpuMs - oursStart.cpuMs, peer.cpuMs - peerStart.cpuMs] as const;
  const note = `events took: wall ours ${wall[0].toFixed(1)} ms, sysdig ${wall[1].toFixed(1)} ms; CPU ours ${cpu[0].toFixed(1)} ms, sysdig ${cpu[1].toFixed(1)} ms`;
  if (Math.min(...wall, ...cpu) < RESOLVABLE_MS) {
    // A small capture's events take about as long as the timing noise of a whole process run:
    // report the differences themselves rather than a rate computed from noise.
    return [{ bench: 'scap', metric: `events ms net of start-up, wall (${label}): below resolution`, value: wall[0], unit: 'ms', peer: { name: PEER, value: wall[1] }, note }];
  }
  const perS = (ms: number): number => (ours.stored / ms) * 1000;
  return [
    { bench: 'scap', metric: `read+decode events/s net of start-up, wall (${label})`, value: perS(wall[0]), unit: 'events/s', peer: { name: PEER, value: perS(wall[1]) }, ratio: wall[1] / wall[0], note },
    { bench: 'scap', metric: `read+decode events/CPU-s net of start-up (${label})`, value: perS(cpu[0]), unit: 'events/s', peer: { name: PEER, value: perS(cpu[1]) }, ratio: cpu[1] / cpu[0] },
  ];
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
      // Headers-only twins: the largest capture's metadata (gzip, as the capture is) and the
      // synthesized files' metadata, plain and gzip.
      const heads = [largest, plain, gz].map((f, i) => {
        const head = join(dir, `headers-${i}.scap`);
        headersTwin(f, head);
        return head;
      });
      const files = [largest, plain, gz, ...heads];
      const ours: (Measured | undefined)[] = [];
      const peer: (Timed | undefined)[] = [];
      let readOnly: Measured | undefined;
      let nodeFloor: Timed | undefined;
      for (let k = 0; k < RUNS; k++) {
        files.forEach((f, i) => {
          ours[i] = better(ours[i], runReader(f, 'decode'));
          peer[i] = better(peer[i], runSysdig(f));
        });
        readOnly = better(readOnly, runReader(plain, 'read'));
        nodeFloor = better(nodeFloor, timed(process.execPath, ['-e', '0']));
      }
      // The small files are over in well under a second: more runs steady their best-of figure.
      for (let k = RUNS; k < SMALL_RUNS; k++) {
        for (const i of [0, 3]) {
          ours[i] = better(ours[i], runReader(files[i]!, 'decode'));
          peer[i] = better(peer[i], runSysdig(files[i]!));
        }
      }
      const name = largest.slice(largest.lastIndexOf('/') + 1);
      const synth = `${SYNTH_EVENTS / 1e6}M conformance events`;
      return [
        ...rows(name, ours[0]!, peer[0]!),
        ...rows(`${synth}, plain`, ours[1]!, peer[1]!),
        ...rows(`${synth}, gzip`, ours[2]!, peer[2]!),
        // Where the time goes: the same plain file read into batches without decoding parameters.
        ...rows(`${synth}, plain`, readOnly!, peer[1]!, 'read only', false),
        // Fixed cost apart from throughput, for both tools alike.
        ...startupRows(`${name} cut after its first event`, ours[3]!, peer[3]!),
        ...startupRows(`${synth} cut after the first, plain`, ours[4]!, peer[4]!),
        ...startupRows(`${synth} cut after the first, gzip`, ours[5]!, peer[5]!),
        // The runtime's own floor under ours: a node process that does nothing.
        { bench: 'scap', metric: 'start-up ms, wall (`node -e 0`, no capture)', value: nodeFloor!.ms, unit: 'ms', note: `CPU ${nodeFloor!.cpuMs.toFixed(0)} ms` },
        ...netRows(name, ours[0]!, ours[3]!, peer[0]!, peer[3]!),
        ...netRows(`${synth}, plain`, ours[1]!, ours[4]!, peer[1]!, peer[4]!),
        ...netRows(`${synth}, gzip`, ours[2]!, ours[5]!, peer[2]!, peer[5]!),
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
