/**
 * Capture on demand (`capture.*` in falco.yaml, the `capture` / `capture_duration` rule keys): when
 * a rule that asks for it fires in a live run, the events of that batch and of the following
 * duration are saved to a scap file that sysdig and `scap info` open.
 *
 * The whole batch holding the triggering event is written, so the file also carries the events
 * just before it. A rule that fires while a capture is running extends it instead of starting a
 * second file. Only one capture is open at a time: the writer awaits the file between batches, and
 * the live loop does not advance the driver until a batch is written.
 */
import { closeSync, openSync, readFileSync } from 'node:fs';
import { cpus, hostname, totalmem } from 'node:os';
import { ScapWriter, newThread, withOpenFds, type EventBatch, type MachineInfo, type ThreadInfo } from '@falco-ts/driver';
import { scanProc, type ThreadSeed } from '@falco-ts/engine';
import type { CaptureMode } from '../config/falco-config';

export interface CaptureSettings {
  enabled: boolean;
  pathPrefix: string;
  mode: CaptureMode;
  defaultDurationMs: number;
}

/** What the recorder needs from a matched rule (the engine's compiled rule has these). */
export interface CaptureRule {
  name: string;
  capture: boolean;
  /** Milliseconds; 0 means the configured default. */
  captureDuration: number;
}

interface OpenCapture {
  path: string;
  writer: ScapWriter;
  done: Promise<void>;
  /** Event time (ns since epoch) after which the capture ends. */
  untilNs: number;
  rules: Set<string>;
}

const NS_PER_MS = 1e6;

export class CaptureRecorder {
  private current: OpenCapture | undefined;
  /** A trigger seen in the batch being processed, opened when that batch is handed over. */
  private pending: { rule: string; tsNs: number; eventNumber: number; durationMs: number } | undefined;
  /** Files finished so far, in order. */
  readonly written: { path: string; events: number; rules: string[] }[] = [];

  /**
   * `threads` gives the process table written at the start of each file, so readers know the
   * processes that were already running (default: a scan of /proc, as a live capture starts with).
   */
  constructor(
    private readonly settings: CaptureSettings,
    private readonly log: (line: string) => void,
    private readonly threads: () => Iterable<ThreadInfo> = procThreads,
  ) {}

  get enabled(): boolean {
    return this.settings.enabled;
  }

  /** True when a batch must be handed to `afterBatch` (a capture is open or about to be). */
  get active(): boolean {
    return this.current !== undefined || this.pending !== undefined;
  }

  /** Called for every rule that fires; cheap when the rule does not ask for a capture. */
  onMatch(rule: CaptureRule, tsNs: number, eventNumber: number): void {
    if (!this.settings.enabled) return;
    if (this.settings.mode === 'rules' && !rule.capture) return;
    const durationMs = rule.captureDuration > 0 ? rule.captureDuration : this.settings.defaultDurationMs;
    const open = this.current;
    if (open !== undefined) {
      open.untilNs = Math.max(open.untilNs, tsNs + durationMs * NS_PER_MS);
      open.rules.add(rule.name);
      return;
    }
    if (this.pending === undefined) this.pending = { rule: rule.name, tsNs, eventNumber, durationMs };
    else this.pending.durationMs = Math.max(this.pending.durationMs, durationMs);
  }

  /**
   * Writes a processed batch to the open capture (opening it first when the batch triggered one)
   * and closes the capture once `lastTsNs`, the batch's last event time, passes its end.
   */
  async afterBatch(batch: EventBatch, lastTsNs: number): Promise<void> {
    const p = this.pending;
    if (p !== undefined) {
      this.pending = undefined;
      const path = `${this.settings.pathPrefix}_${p.eventNumber}_${p.tsNs}.scap`;
      try {
        // Opened once up front so a bad prefix (missing directory, no permission) is reported
        // here and costs this capture only, not the detection.
        closeSync(openSync(path, 'w'));
      } catch (e) {
        this.log(`Could not start the capture for rule "${p.rule}": ${(e as Error).message}`);
        return;
      }
      const { writer, done } = ScapWriter.toFile(path, { compress: false });
      done.catch(() => undefined); // a late write error surfaces through `finish`
      this.current = { path, writer, done, untilNs: p.tsNs + p.durationMs * NS_PER_MS, rules: new Set([p.rule]) };
      this.log(`Starting capture to ${path} for ${p.durationMs} ms (rule "${p.rule}")`);
      await writer.begin({ machine: machineInfo(), threads: this.threads() });
    }
    const open = this.current;
    if (open === undefined) return;
    await open.writer.writeBatch(batch);
    if (lastTsNs >= open.untilNs) await this.finish();
  }

  /** Closes the open capture, if any (end of the run, or its duration passed). */
  async finish(): Promise<void> {
    this.pending = undefined;
    const open = this.current;
    if (open === undefined) return;
    this.current = undefined;
    try {
      await open.writer.end();
      await open.done;
    } catch (e) {
      this.log(`Could not write the capture to ${open.path}: ${(e as Error).message}`);
      return;
    }
    const entry = { path: open.path, events: open.writer.events, rules: [...open.rules] };
    this.written.push(entry);
    this.log(`Capture written to ${entry.path}: ${entry.events} events (rules: ${entry.rules.join(', ')})`);
  }
}

/** The machine block of the capture, so readers show the host it came from. */
function machineInfo(): MachineInfo {
  return {
    numCpus: cpus().length,
    memorySizeBytes: BigInt(totalmem()),
    maxPid: pidMax(),
    hostname: hostname(),
    bootTsEpoch: 0n,
    flags: 0n,
  };
}

function pidMax(): bigint {
  try {
    return BigInt(readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim());
  } catch {
    return 32768n; // the kernel's default
  }
}

/** The processes and threads running now, in the capture writer's shape (descriptors left out). */
export function procThreads(): ThreadInfo[] {
  // Descriptors come from the driver's FDL reader (scap types and flags), not the engine's seeds.
  return withOpenFds(scanProc({ skipFds: true }).threads.map(threadInfo));
}

function threadInfo(s: ThreadSeed): ThreadInfo {
  const t = newThread(s.tid);
  t.pid = s.pid;
  t.ptid = s.ptid;
  t.sid = s.sid ?? t.sid;
  t.vpgid = s.vpgid ?? t.vpgid;
  t.pgid = s.pgid ?? t.pgid;
  t.vtid = s.vtid ?? s.tid;
  t.vpid = s.vpid ?? s.pid;
  t.comm = s.comm;
  t.exe = s.exe;
  t.exepath = s.exepath ?? '';
  t.args = [...s.args];
  t.env = [...(s.env ?? [])];
  t.cwd = s.cwd;
  t.uid = s.uid;
  t.gid = s.gid;
  t.loginuid = s.loginuid ?? t.loginuid;
  t.tty = s.tty ?? 0;
  t.capInheritable = s.capInheritable ?? 0n;
  t.capPermitted = s.capPermitted ?? 0n;
  t.capEffective = s.capEffective ?? 0n;
  t.cgroups = [...(s.cgroups ?? [])];
  t.fdlimit = s.fdlimit ?? 0;
  t.pidnsInitStartTs = s.pidnsInitStartTs ?? 0n;
  return t;
}
