/**
 * CPU accounting from the scheduler events a capture may hold, for `thread.exectime`,
 * `thread.totexectime` and `thread.cpu*`, with libsinsp's definitions:
 *
 * - a context switch (`switch`, both layouts) ends the running slice of its CPU: its exectime is
 *   the time since the previous switch on the same CPU (0 for a CPU's first switch); every other
 *   event has exectime 0. A thread's totexectime is the sum of the exectimes of its own switch
 *   events (the new layout only: the old one is an internal event with no thread).
 * - a `procinfo` event carries a thread's cumulative user and system CPU ticks. `thread.cpu*` is
 *   the growth since that thread's previous sample (user + system, user, system), capped at 100;
 *   0 for the first sample, and also while the previous sample was 0 (libsinsp keeps 0 as "no
 *   sample yet"). On any other event the fields have no value.
 *
 * libsinsp keeps this state inside each field instance and updates it when the field is
 * extracted, so its figures depend on which rules happen to read the field. Here it is kept per
 * source and updated on every event, which is what `sysdig -p` (one extraction per event) shows.
 * Neither event exists in live captures of the modern eBPF driver, Falco's or ours.
 */
import { EF, EVENT_TABLE, type EventView } from '@falco-ts/driver';
import { bigParam } from './params';
import type { ThreadInfo } from './thread-table';

/** libsinsp's cap on the per-sample CPU figure (ticks per second at 100 Hz). */
const CPU_CAP = 100;

/** Event kinds that need more than the syscall parsers, by event type (bits; 0 for most events). */
export const SCHED_SWITCH = 1;
/** Scheduler and internal events (`EF_SKIPPARSERESET`): not parsed as system calls. */
export const SCHED_INTERNAL = 2;
export const SCHED_KIND = Uint8Array.from(EVENT_TABLE, (e) =>
  (e.name === 'switch' ? SCHED_SWITCH : 0) | ((e.flags & EF.SKIPPARSERESET) !== 0 ? SCHED_INTERNAL : 0),
);

export class SchedAccounting {
  /** Per CPU, the time of its last context switch (0n before the first). */
  private readonly lastSwitch: bigint[] = [];
  /** The event number of the last switch and its exectime (other events read 0 without a write). */
  private switchAt = -1;
  private switchExecTime = 0n;
  /** The event number of the last procinfo sample of a known thread. */
  private sampledAt = -1;
  private user = 0;
  private system = 0;
  private prevUser = 0;
  private prevSystem = 0;

  /** Records a context switch (event number `num`) and returns its exectime. */
  onSwitch(v: EventView, num: number): bigint {
    const cpu = v.cpu;
    const ts = v.ts;
    const last = this.lastSwitch[cpu] ?? 0n;
    this.lastSwitch[cpu] = ts;
    this.switchAt = num;
    this.switchExecTime = last === 0n ? 0n : ts - last;
    return this.switchExecTime;
  }

  /** `thread.exectime` of event `num`. */
  execTime(num: number): bigint {
    return num === this.switchAt ? this.switchExecTime : 0n;
  }

  /** Records a procinfo sample of `t` (event number `num`). */
  sampleCpu(v: EventView, t: ThreadInfo, num: number): void {
    this.prevUser = t.cpuUserTicks;
    this.prevSystem = t.cpuSystemTicks;
    this.user = Number(bigParam(v, 'cpu_usr', 0n));
    this.system = Number(bigParam(v, 'cpu_sys', 0n));
    t.cpuUserTicks = this.user;
    t.cpuSystemTicks = this.system;
    this.sampledAt = num;
  }

  /** `thread.cpu` (user and system), `thread.cpu.user` or `thread.cpu.system` of event `num`. */
  cpu(num: number, user: boolean, system: boolean): number | undefined {
    if (num !== this.sampledAt) return undefined;
    const now = (user ? this.user : 0) + (system ? this.system : 0);
    const prev = (user ? this.prevUser : 0) + (system ? this.prevSystem : 0);
    if (prev === 0) return 0;
    // Counters that went backwards wrap around in libsinsp's unsigned arithmetic: capped.
    return now < prev ? CPU_CAP : Math.min(CPU_CAP, now - prev);
  }
}
