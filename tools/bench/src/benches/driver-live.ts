/**
 * driver-live: the live eBPF driver under a paced syscall load (needs root).
 *
 * 1. Throughput: a compiled load generator runs at increasing paced rates while the capture has the
 *    default live syscall set (state model + falcosecurity/rules 5.1.0) enabled and JavaScript walks
 *    every delivered event with the batch cursor. Two loads: getpid captured as the generic event
 *    (1 event per call: the cheapest syscall, so the generator can offer high rates) and
 *    open(/dev/null)+close (3 events per iteration: openat enter and exit with paths, close exit). Per rate: events delivered to JavaScript per
 *    second, kernel drops, and the consumer's CPU (native thread + JavaScript thread) per wall second.
 * 2. Probe cost: a tight getpid loop timed with no driver loaded, with the driver loaded but getpid
 *    not captured (the dispatcher's bounds check only), and with getpid captured (a generic event per
 *    call, drained by JavaScript). Reported as ns added per syscall and as a ratio to the bare loop.
 *    The kernel's own floor is measured alongside: do-nothing tp_btf/sys_exit (and sys_enter)
 *    programs, because attaching any syscall tracepoint program moves every syscall on the machine
 *    to the tracepoint slow path; the driver's own cost is also reported net of that floor.
 *    bpf_stats stays off while timing: its per-run clock reads cost more than the dispatcher.
 * 3. Per-program run time from kernel.bpf_stats_enabled, in a separate pass.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchCursor, DEFAULT_LIVE_SYSCALLS, openCapture, type LiveCapture } from '@falco-ts/driver';
import type { Bench, BenchRow } from '../bench';

const LOADGEN_C = `
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
static long long clk(clockid_t c) { struct timespec t; clock_gettime(c, &t); return t.tv_sec * 1000000000LL + t.tv_nsec; }
static long long now(void) { return clk(CLOCK_MONOTONIC); }
/* loadgen MODE ITERATIONS RATE: MODE g = getpid, o = open+close; RATE iterations/s, 0 = flat out.
   Prints the elapsed wall ns and the process's CPU ns (the cost measure that other load on the
   machine does not inflate: probe time is charged to the traced task). Paced in 1 ms slices with absolute sleeps, so the rate holds on average. */
int main(int argc, char **argv) {
  if (argc < 4) return 2;
  char mode = argv[1][0];
  long long iters = atoll(argv[2]);
  double rate = atof(argv[3]);
  long long start = now(), cpu0 = clk(CLOCK_PROCESS_CPUTIME_ID), done = 0;
  long long slice = rate > 0 ? (long long)(rate / 1000) : iters;
  if (slice < 1) slice = 1;
  while (done < iters) {
    for (long long i = 0; i < slice && done < iters; i++, done++) {
      if (mode == 'g') syscall(SYS_getpid);
      else { int fd = open("/dev/null", O_RDONLY); close(fd); }
    }
    if (rate > 0) {
      long long target = start + (long long)(done * 1e9 / rate);
      struct timespec ts = { target / 1000000000LL, target % 1000000000LL };
      clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
    }
  }
  printf("%lld %lld\\n", now() - start, clk(CLOCK_PROCESS_CPUTIME_ID) - cpu0);
  return 0;
}
`;

/** Do-nothing programs on the raw syscall tracepoints: what attaching anything there costs. */
const FLOOR_BPF_C = `
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
char LICENSE[] SEC("license") = "GPL";
SEC("tp_btf/sys_exit") int floor_exit(unsigned long long *ctx) { return 0; }
SEC("tp_btf/sys_enter") int floor_enter(unsigned long long *ctx) { return 0; }
`;

/* floor OBJECT PROGRAMS COMMAND...: attaches the named programs of OBJECT (comma-separated),
   runs COMMAND as a child, prints its output, detaches. */
const FLOOR_LOADER_C = `
#include <bpf/libbpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv) {
  if (argc < 4) return 2;
  struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
  if (!obj || bpf_object__load(obj)) return 3;
  struct bpf_program *p;
  bpf_object__for_each_program(p, obj) {
    char want[64];
    snprintf(want, sizeof(want), ",%s,", bpf_program__name(p));
    char list[256];
    snprintf(list, sizeof(list), ",%s,", argv[2]);
    if (strstr(list, want) && !bpf_program__attach(p)) return 4;
  }
  pid_t child = fork();
  if (child == 0) { execv(argv[3], argv + 3); _exit(127); }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
`;

const OPEN_CLOSE_RATES = [100_000, 200_000, 300_000];
const GETPID_RATES = [150_000, 300_000, 600_000];
const SECONDS = 2;
const GETPID_CALLS = 1_000_000;
/** Syscalls whose enter event is kept; while one is captured, the entry-side dispatcher is attached. */
const ENTER_EVENT_SYSCALLS = ['open', 'openat', 'openat2', 'creat', 'connect'];

function compileLoadgen(dir: string): string {
  const src = join(dir, 'loadgen.c');
  const bin = join(dir, 'loadgen');
  writeFileSync(src, LOADGEN_C);
  execFileSync('cc', ['-O2', '-o', bin, src]);
  return bin;
}

/** Builds the floor programs and their loader; null when clang or libbpf is missing (rows omitted). */
function compileFloor(dir: string): { loader: string; object: string } | null {
  try {
    writeFileSync(join(dir, 'floor.bpf.c'), FLOOR_BPF_C);
    writeFileSync(join(dir, 'floor.c'), FLOOR_LOADER_C);
    const object = join(dir, 'floor.bpf.o');
    const loader = join(dir, 'floor');
    // <linux/bpf.h> needs the host's <asm/types.h>, which lives under the multiarch directory.
    const multiarch = execFileSync('cc', ['-dumpmachine'], { encoding: 'utf8' }).trim();
    execFileSync('clang', ['-O2', '-g', '-target', 'bpf', `-I/usr/include/${multiarch}`, '-c', join(dir, 'floor.bpf.c'), '-o', object], { stdio: 'ignore' });
    execFileSync('cc', ['-O2', '-o', loader, join(dir, 'floor.c'), '-lbpf'], { stdio: 'ignore' });
    return { loader, object };
  } catch {
    return null;
  }
}

interface LoadgenResult {
  wallNs: number;
  cpuNs: number;
}

function runLoadgen(bin: string, mode: 'g' | 'o', iterations: number, rate: number, wrapper: readonly string[] = []): Promise<LoadgenResult> {
  return new Promise((resolve, reject) => {
    const argv = [...wrapper, bin, mode, String(iterations), String(rate)];
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const [wall, cpu] = out.trim().split(' ').map(Number);
      if (code === 0) resolve({ wallNs: wall!, cpuNs: cpu! });
      else reject(new Error(`loadgen exited ${code}`));
    });
  });
}

/**
 * Walks every event of every batch until `until` settles, then for 150 ms more (what was already
 * in flight). Other processes keep producing events, so "until quiet" would never come.
 */
async function drain(capture: LiveCapture, until: Promise<unknown>): Promise<number> {
  const cursor = new BatchCursor();
  let events = 0;
  let typeSum = 0; // touch each event through the view, as a consumer would
  let finishedAt = 0;
  const done = (): void => {
    finishedAt = Date.now();
  };
  until.then(done, done);
  // One outstanding next() at a time, so a batch that arrives after a timeout is not lost.
  let pending = capture.next();
  while (finishedAt === 0 || Date.now() - finishedAt < 150) {
    const batch = await Promise.race([pending, new Promise<null>((r) => setTimeout(() => r(null), 20))]);
    if (batch === null) continue;
    if (batch === undefined) break;
    cursor.reset(batch);
    while (cursor.next()) {
      typeSum += cursor.view.type;
      events++;
    }
    pending = capture.next();
  }
  return typeSum >= 0 ? events : 0;
}

function setBpfStats(on: boolean): void {
  try {
    writeFileSync('/proc/sys/kernel/bpf_stats_enabled', on ? '1' : '0');
  } catch {
    // Without the sysctl the per-program rows are simply absent.
  }
}

interface ProgStat {
  name: string;
  runTimeNs: number;
  runCnt: number;
}

function programStats(): ProgStat[] {
  try {
    const progs = JSON.parse(execFileSync('bpftool', ['prog', 'show', '-j'], { encoding: 'utf8' })) as { name?: string; run_time_ns?: number; run_cnt?: number }[];
    return progs.filter((p) => p.name !== undefined && (p.run_cnt ?? 0) > 0).map((p) => ({ name: p.name!, runTimeNs: p.run_time_ns ?? 0, runCnt: p.run_cnt ?? 0 }));
  } catch {
    return [];
  }
}

interface Load {
  /** Loadgen mode: o = open(/dev/null)+close (3 events), g = getpid (1 generic event). */
  mode: 'o' | 'g';
  eventsPerIteration: number;
  syscalls: readonly string[];
  label: string;
}

const OPEN_CLOSE: Load = { mode: 'o', eventsPerIteration: 3, syscalls: DEFAULT_LIVE_SYSCALLS, label: 'open+close' };
const GETPID: Load = { mode: 'g', eventsPerIteration: 1, syscalls: [...DEFAULT_LIVE_SYSCALLS, 'getpid'], label: 'getpid' };

async function throughput(bin: string, load: Load, rates: readonly number[]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const EVENTS_PER_ITERATION = load.eventsPerIteration;
  for (const rate of rates) {
    process.stderr.write(`bench: driver-live: ${load.label} at ${rate} events/s offered\n`);
    const capture = await openCapture({ syscalls: load.syscalls, bufferBytes: 16 * 1024 * 1024 });
    try {
      const s0 = capture.stats();
      const cpu0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      const iterations = Math.round((rate / EVENTS_PER_ITERATION) * SECONDS);
      const generator = runLoadgen(bin, load.mode, iterations, rate / EVENTS_PER_ITERATION);
      const delivered = await drain(capture, generator);
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      const achieved = (iterations * EVENTS_PER_ITERATION) / ((await generator).wallNs / 1e9);
      const cpu = process.cpuUsage(cpu0);
      const s1 = capture.stats();
      const drops = s1.drops - s0.drops;
      const label = `${load.label}, ${(rate / 1000).toFixed(0)}k ev/s offered`;
      const consumerCpu = (s1.consumerCpuNs - s0.consumerCpuNs) / 1e9 / wall;
      // process.cpuUsage covers every thread of the process; the native thread's share is known.
      const jsCpu = Math.max(0, (cpu.user + cpu.system) / 1e6 / wall - consumerCpu);
      rows.push({
        bench: 'driver-live',
        metric: `events delivered to JS/s (${label})`,
        value: delivered / wall,
        unit: 'events/s',
        note: `generator reached ${(achieved / 1000).toFixed(0)}k ev/s; ${delivered} events in ${wall.toFixed(2)} s`,
      });
      rows.push({
        bench: 'driver-live',
        metric: `kernel drops (${label})`,
        value: drops,
        unit: 'events',
        note: `${((drops / Math.max(1, drops + s1.kernelEvents - s0.kernelEvents)) * 100).toFixed(3)}% of produced`,
      });
      rows.push({
        bench: 'driver-live',
        metric: `consumer CPU (${label})`,
        value: (consumerCpu + jsCpu) * 100,
        unit: '% of a core',
        note: `native thread ${(consumerCpu * 100).toFixed(1)}%, JS thread ${(jsCpu * 100).toFixed(1)}%`,
      });
    } finally {
      capture.close();
    }
  }
  return rows;
}

interface Floor {
  loader: string;
  object: string;
}

/** Best-of-n CPU ns per getpid; `wrapper` runs the loop under the floor loader. */
async function getpidCost(bin: string, n: number, wrapper: readonly string[] = []): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < n; i++) best = Math.min(best, (await runLoadgen(bin, 'g', GETPID_CALLS, 0, wrapper)).cpuNs);
  return best / GETPID_CALLS;
}

/** Best-of-n CPU ns per getpid while the capture delivers every event to JavaScript. */
async function drainedGetpidCost(bin: string, capture: LiveCapture, n: number): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const run = runLoadgen(bin, 'g', GETPID_CALLS, 0);
    await drain(capture, run);
    best = Math.min(best, (await run).cpuNs);
  }
  return best / GETPID_CALLS;
}

function costRow(metric: string, value: number, bare: number, floor: number | undefined, floorName: string): BenchRow {
  const net = floor === undefined ? '' : `; ${(value - floor).toFixed(1)} ns net of the kernel floor (${floorName})`;
  return {
    bench: 'driver-live',
    metric,
    value,
    unit: 'ns/syscall',
    peer: { name: 'no driver', value: bare },
    ratio: value / bare,
    note: `${(value - bare).toFixed(1)} ns added${net}`,
  };
}

interface DriverCosts {
  enterHook: string;
  untraced: number;
  exitOnly: number;
  tracedExitOnly: number;
  traced: number;
}

/** The four getpid costs with a capture open (optionally from another addon build). */
async function driverCosts(bin: string, rounds: number, addonPath?: string): Promise<DriverCosts> {
  const exitOnlySet = DEFAULT_LIVE_SYSCALLS.filter((n) => !ENTER_EVENT_SYSCALLS.includes(n));
  const capture = await openCapture({ syscalls: DEFAULT_LIVE_SYSCALLS, addonPath });
  try {
    const enterHook = (capture.stats() as { enterHook?: string }).enterHook ?? 'tp_btf';
    const untraced = await getpidCost(bin, rounds);
    capture.setSyscalls(exitOnlySet);
    const exitOnly = await getpidCost(bin, rounds);
    capture.setSyscalls([...exitOnlySet, 'getpid']);
    const tracedExitOnly = await drainedGetpidCost(bin, capture, rounds);
    capture.setSyscalls([...DEFAULT_LIVE_SYSCALLS, 'getpid']);
    const traced = await drainedGetpidCost(bin, capture, rounds);
    return { enterHook, untraced, exitOnly, tracedExitOnly, traced };
  } finally {
    capture.close();
  }
}

function minCosts(a: DriverCosts | undefined, b: DriverCosts): DriverCosts {
  if (!a) return b;
  return {
    enterHook: b.enterHook,
    untraced: Math.min(a.untraced, b.untraced),
    exitOnly: Math.min(a.exitOnly, b.exitOnly),
    tracedExitOnly: Math.min(a.tracedExitOnly, b.tracedExitOnly),
    traced: Math.min(a.traced, b.traced),
  };
}

/**
 * This build's costs, and with DRIVER_LIVE_PEER_ADDON=<another build's falco_ts_driver.node> (e.g.
 * the build before a change) the peer's too, measured in alternating rounds so that load from other
 * processes falls on both alike.
 */
async function costsWithPeer(bin: string, rounds: number): Promise<{ mine: DriverCosts; peer?: DriverCosts }> {
  const addon = process.env['DRIVER_LIVE_PEER_ADDON'];
  if (!addon) return { mine: await driverCosts(bin, rounds) };
  let mine: DriverCosts | undefined;
  let peer: DriverCosts | undefined;
  for (let i = 0; i < rounds; i++) {
    mine = minCosts(mine, await driverCosts(bin, 1));
    peer = minCosts(peer, await driverCosts(bin, 1, addon));
  }
  return { mine: mine!, peer };
}

function peerRows(mine: DriverCosts, peer: DriverCosts | undefined): BenchRow[] {
  if (!peer) return [];
  const row = (metric: string, value: number, peerValue: number): BenchRow => ({
    bench: 'driver-live',
    metric: `${metric}: this build vs peer build`,
    value,
    unit: 'ns/syscall',
    peer: { name: 'peer build', value: peerValue },
    ratio: value / peerValue,
    note: `${(value - peerValue).toFixed(1)} ns; peer enter hook ${peer.enterHook}`,
  });
  return [
    row('getpid, not captured (default set)', mine.untraced, peer.untraced),
    row('getpid, not captured, exit-only set', mine.exitOnly, peer.exitOnly),
    row('getpid, captured and drained, exit-only set', mine.tracedExitOnly, peer.tracedExitOnly),
    row('getpid, captured and drained, default set', mine.traced, peer.traced),
  ];
}

async function probeCost(bin: string, floor: Floor | null): Promise<BenchRow[]> {
  const ROUNDS = 5;
  process.stderr.write('bench: driver-live: getpid cost\n');
  setBpfStats(false);
  const bare = await getpidCost(bin, ROUNDS);
  const floorExit = floor ? await getpidCost(bin, ROUNDS, [floor.loader, floor.object, 'floor_exit']) : undefined;
  const floorBoth = floor ? await getpidCost(bin, ROUNDS, [floor.loader, floor.object, 'floor_exit,floor_enter']) : undefined;
  const { mine, peer } = await costsWithPeer(bin, ROUNDS);
  const { enterHook, untraced, exitOnly, tracedExitOnly, traced } = mine;
  const peers = peerRows(mine, peer);
  // Per-program run times in a pass of their own: bpf_stats adds two clock reads per run.
  let progs: ProgStat[] = [];
  const capture = await openCapture({ syscalls: [...DEFAULT_LIVE_SYSCALLS, 'getpid'] });
  try {
    setBpfStats(true);
    const before = programStats();
    await drainedGetpidCost(bin, capture, 1);
    const after = programStats();
    progs = after
      .map((p) => {
        const b = before.find((x) => x.name === p.name);
        return { name: p.name, runTimeNs: p.runTimeNs - (b?.runTimeNs ?? 0), runCnt: p.runCnt - (b?.runCnt ?? 0) };
      })
      .filter((p) => (['sys_exit_dispat', 'sys_enter_dispa', 'simple_x'].some((n) => p.name.startsWith(n)) || p.name.endsWith('_e_tp')) && p.runCnt > 0);
  } finally {
    capture.close();
    setBpfStats(false);
  }
  const rows: BenchRow[] = [{ bench: 'driver-live', metric: 'getpid, no driver', value: bare, unit: 'ns/syscall' }];
  if (floorExit !== undefined && floorBoth !== undefined) {
    rows.push(costRow('getpid, kernel floor: do-nothing tp_btf/sys_exit program', floorExit, bare, undefined, ''));
    rows.push(costRow('getpid, kernel floor: do-nothing tp_btf/sys_enter + sys_exit programs', floorBoth, bare, undefined, ''));
  }
  const bothFloor = enterHook === 'tp_btf' ? floorBoth : floorExit;
  const bothFloorName = enterHook === 'tp_btf' ? 'sys_enter + sys_exit' : 'sys_exit';
  rows.push(
    costRow(`getpid, not captured (default set; enter events via ${enterHook})`, untraced, bare, bothFloor, bothFloorName),
    costRow('getpid, not captured, no enter-event syscalls in the set', exitOnly, bare, floorExit, 'sys_exit'),
    costRow('getpid, captured (generic event) and drained, no enter-event syscalls in the set', tracedExitOnly, bare, floorExit, 'sys_exit'),
    costRow(`getpid, captured (generic event) and drained, default set (enter events via ${enterHook})`, traced, bare, bothFloor, bothFloorName),
  );
  rows.push(...peers);
  for (const p of progs) {
    rows.push({
      bench: 'driver-live',
      metric: `BPF program ${p.name} run time`,
      value: p.runTimeNs / p.runCnt,
      unit: 'ns/run',
      note: `${p.runCnt} runs (bpf_stats, which adds its own clock reads)`,
    });
  }
  return rows;
}

export const bench: Bench = {
  name: 'driver-live',
  async run(): Promise<BenchRow[]> {
    if (process.getuid?.() !== 0) {
      process.stderr.write('bench: driver-live skipped: loading eBPF programs needs root\n');
      return [];
    }
    const dir = mkdtempSync(join(tmpdir(), 'driver-live-bench-'));
    try {
      const bin = compileLoadgen(dir);
      return [...(await probeCost(bin, compileFloor(dir))), ...(await throughput(bin, GETPID, GETPID_RATES)), ...(await throughput(bin, OPEN_CLOSE, OPEN_CLOSE_RATES))];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
