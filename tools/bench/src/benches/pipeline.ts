/**
 * pipeline: the whole detector (the real `falco` command in its own process) end to end.
 *
 * 1. Live: the command runs on the eBPF driver with the default rules while a compiled load
 *    generator does paced open(/dev/null)+close at several rates. Per rate: events/s the detector
 *    processed (state + rules), kernel drops, and the detector's CPU (share of one core) and peak RSS.
 * 2. Replay: a capture recorded here with the driver (the same load plus process activity) is
 *    replayed through the default rules; events/s, side by side with `sysdig -r` filtering the same
 *    capture with a comparable condition (sysdig 0.29 is the peer; it evaluates one filter, the
 *    detector every rule).
 * Needs root (the driver); without it only the replay half runs, on the conformance captures.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_LIVE_SYSCALLS, runCapture } from '@falco-ts/driver';
import type { Bench, BenchRow } from '../bench';

const ROOT = resolve(__dirname, '../../../..');
const FALCO = join(ROOT, 'packages/cli/dist/bin/falco.js');
const CLK_TCK = 100;

const LOADGEN_C = `
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
static long long now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000000000LL + t.tv_nsec; }
/* loadgen SECONDS RATE: open+close of /dev/null, RATE pairs per second, paced in 1 ms slices. */
int main(int argc, char **argv) {
  if (argc < 3) return 2;
  double secs = atof(argv[1]), rate = atof(argv[2]);
  long long start = now(), done = 0, total = (long long)(secs * rate);
  long long slice = (long long)(rate / 1000); if (slice < 1) slice = 1;
  while (done < total) {
    for (long long i = 0; i < slice && done < total; i++, done++) { int fd = open("/dev/null", O_RDONLY); close(fd); }
    long long target = start + (long long)(done * 1e9 / rate);
    struct timespec ts = { target / 1000000000LL, target % 1000000000LL };
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
  }
  return 0;
}
`;

/** The project's default rules when present, else falcosecurity/rules 5.1.0 from the shared data. */
function defaultRules(): string {
  const own = join(ROOT, 'rules/falco_rules.yaml');
  if (existsSync(own)) return own;
  return resolve(ROOT, '../shared/conformance/rules/falco-rules-5.1.0/rules/falco_rules.yaml');
}

interface ProcSample {
  cpuTicks: number;
  rssKb: number;
}

function sample(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+)/.exec(status);
    return { cpuTicks: Number(fields[11]) + Number(fields[12]), rssKb: rss ? Number(rss[1]) : 0 };
  } catch {
    return undefined;
  }
}

interface Run {
  stdout: string;
  stderr: string;
  wallMs: number;
  cpuTicks: number;
  peakRssKb: number;
}

/** Runs the command; `during` is started once the driver is attached (live) or right away. */
function runFalco(args: string[], during?: (pid: number) => Promise<unknown>): Promise<Run> {
  return new Promise((resolveRun, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [FALCO, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let last: ProcSample = { cpuTicks: 0, rssKb: 0 };
    let peak = 0;
    const timer = setInterval(() => {
      const s = child.pid === undefined ? undefined : sample(child.pid);
      if (s) {
        last = s;
        peak = Math.max(peak, s.rssKb);
      }
    }, 100);
    let begun = during === undefined;
    let duringDone: Promise<unknown> = Promise.resolve();
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!begun && stderr.includes('with the modern eBPF driver')) {
        begun = true;
        duringDone = during ? during(child.pid ?? 0) : Promise.resolve();
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const wallMs = Date.now() - started;
      if (code !== 0) reject(new Error(`falco exited ${code}: ${stderr.slice(-500)}`));
      else void duringDone.then(() => resolveRun({ stdout, stderr, wallMs, cpuTicks: last.cpuTicks, peakRssKb: peak }));
    });
  });
}

function run(bin: string, args: string[]): Promise<void> {
  return new Promise((res, rej) => {
    const c = spawn(bin, args, { stdio: 'ignore' });
    c.on('error', rej);
    c.on('exit', () => res());
  });
}

const COMMON = ['-c', '/dev/null', '-o', 'syslog_output.enabled=false', '-o', 'webserver.enabled=false', '-o', 'stdout_output.enabled=false', '-o', 'priority=debug'];

async function live(dir: string, rules: string, rows: BenchRow[]): Promise<void> {
  const loadgen = join(dir, 'loadgen');
  writeFileSync(`${loadgen}.c`, LOADGEN_C);
  execFileSync('cc', ['-O2', '-o', loadgen, `${loadgen}.c`]);
  const seconds = 4;
  for (const rate of [20_000, 50_000, 100_000]) {
    let window = { ms: 0, ticks: 0 };
    const r = await runFalco([...COMMON, '-r', rules, '-M', String(seconds * 5)], async (pid) => {
      await new Promise((w) => setTimeout(w, 500));
      const before = sample(pid);
      const t0 = Date.now();
      await run(loadgen, [String(seconds), String(rate)]);
      // Let the detector drain what the kernel buffered before the window closes.
      await new Promise((w) => setTimeout(w, 300));
      const after = sample(pid);
      if (!before || !after) throw new Error('the detector ended before the load window closed');
      window = { ms: Date.now() - t0, ticks: after.cpuTicks - before.cpuTicks };
    });
    if (window.ms === 0) throw new Error('the detector ended before the load window closed');
    const m = /Processed (\d+) events in ([\d.]+) s; kernel drops: (\d+)/.exec(r.stderr);
    if (!m) throw new Error(`no live summary in: ${r.stderr.slice(-300)}`);
    const events = Number(m[1]);
    const drops = Number(m[3]);
    const cpuShare = window.ticks / CLK_TCK / (window.ms / 1000);
    const label = `live, ${rate * 2} syscalls/s offered (open+close)`;
    rows.push({ bench: 'pipeline', metric: `${label}: events processed/s`, value: events / (window.ms / 1000), unit: 'events/s', note: `${drops} kernel drops; ${events} events in the ${(window.ms / 1000).toFixed(1)} s load window` });
    rows.push({ bench: 'pipeline', metric: `${label}: detector CPU`, value: cpuShare * 100, unit: '% of a core', note: 'during the load window' });
    rows.push({ bench: 'pipeline', metric: `${label}: detector peak RSS`, value: r.peakRssKb / 1024, unit: 'MiB' });
  }
}

async function record(dir: string): Promise<string> {
  const file = join(dir, 'pipeline.scap');
  const loadgen = join(dir, 'loadgen');
  const capturing = runCapture({ file, seconds: 5, compress: false, syscalls: [...DEFAULT_LIVE_SYSCALLS] });
  await new Promise((w) => setTimeout(w, 1000));
  await run('sh', ['-c', `for i in $(seq 200); do cat /etc/hostname >/dev/null; ls /usr/bin >/dev/null; done & ${existsSync(loadgen) ? `${loadgen} 3 30000` : 'sleep 3'}; wait`]);
  await capturing;
  return file;
}

async function replay(capture: string, rules: string, rows: BenchRow[]): Promise<void> {
  const args = [...COMMON, '-r', rules, '-o', 'engine.kind=replay', '-o', `engine.replay.capture_file=${capture}`];
  const r = await runFalco(args);
  const m = /Replayed (\d+) events in ([\d.]+) s/.exec(r.stderr);
  if (!m) throw new Error(`no replay summary in: ${r.stderr.slice(-300)}`);
  const events = Number(m[1]);
  const rate = events / Number(m[2]);
  let peer: { name: string; value: number } | undefined;
  try {
    const t0 = process.hrtime.bigint();
    execFileSync('sysdig', ['-r', capture, '-c', 'echo_fds', 'evt.type in (open,openat,openat2,execve) and fd.name startswith /etc'], { stdio: 'ignore', timeout: 120000 });
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    peer = { name: 'sysdig -r (one filter)', value: events / secs };
  } catch {
    peer = undefined;
  }
  rows.push({
    bench: 'pipeline',
    metric: `replay with the default rules (${events} events)`,
    value: rate,
    unit: 'events/s',
    peer,
    ratio: peer ? rate / peer.value : undefined,
    note: 'rules evaluation only, after start-up and rules load',
  });
  rows.push({ bench: 'pipeline', metric: 'replay: detector peak RSS', value: r.peakRssKb / 1024, unit: 'MiB' });
}

export const bench: Bench = {
  name: 'pipeline',
  async run(): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const rules = defaultRules();
    const dir = mkdtempSync(join(tmpdir(), 'bench-pipeline-'));
    try {
      if (process.getuid?.() === 0) {
        await live(dir, rules, rows);
        await replay(await record(dir), rules, rows);
      } else {
        const capture = resolve(ROOT, '../shared/conformance/falco/captures/syscall.scap');
        await replay(capture, rules, rows);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return rows;
  },
};
