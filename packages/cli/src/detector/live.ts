/**
 * Live detection: opens the driver with the syscalls the loaded rules and the state model need
 * (Falco's `base_syscalls` logic), seeds the state from /proc, then runs every batch through the
 * state and the rules until stopped. When the driver cannot be opened, the error says why.
 */
import { BatchCursor, EVENT_TABLE, STATE_SYSCALLS, openCapture, type LiveCapture } from '@falco-ts/driver';
import type { Engine } from '@falco-ts/engine';
import type { AppContext } from '../context';
import { runErrors } from '../errors';
import type { DropMonitor } from '../drops';
import type { AlertSink } from './alerts';
import type { CaptureRecorder } from './capture';
import { hostPaths } from './host-root';
import type { StopSignal } from './run';
import type { SyscallSourceHandle } from './sources';

const TWO_32 = 4294967296;

export interface LiveOptions {
  /** Read per batch, so a reload (SIGHUP) swaps the rules between batches. */
  rules: { engine: Engine };
  syscall: SyscallSourceHandle;
  alerts: Pick<AlertSink, 'rule'>;
  hostname: string;
  matching: 'first' | 'all';
  drops: DropMonitor;
  stop: StopSignal;
  onAttached: (capture: LiveCapture) => void;
  onEvent: () => void;
  /** Capture on demand: told about every match, handed every batch while a capture is open. */
  recorder?: CaptureRecorder;
  /**
   * With container metadata: the wait before evaluating the first event of a container whose
   * runtime record is still being fetched, so its alerts carry name and image (see metadata.ts).
   */
  awaitContainer?: (containerId: string) => Promise<void> | undefined;
}

/** The syscall names to enable in the kernel for these rules and settings. */
export function syscallsToCapture(ctx: AppContext, engine: Engine, supported: readonly string[]): string[] {
  if (ctx.config.baseSyscalls.all) return [...supported];
  const wanted = new Set<string>(ctx.config.baseSyscalls.customSet.length > 0 && !ctx.config.baseSyscalls.repair ? ctx.config.baseSyscalls.customSet : STATE_SYSCALLS);
  if (ctx.config.baseSyscalls.repair) for (const s of ctx.config.baseSyscalls.customSet) wanted.add(s);
  for (const rule of engine.rules()) {
    if (rule.source !== 'syscall' || !engine.isRuleEnabled(rule.name)) continue;
    for (const code of rule.eventCodes) {
      const name = EVENT_TABLE[code]?.name;
      if (name) wanted.add(name);
    }
  }
  const ok = new Set(supported);
  return [...wanted].filter((n) => ok.has(n)).sort();
}

/** The kernel-side event counters, for the metrics endpoint. */
export function liveStats(capture: LiveCapture): { nEvts: number; nDrops: number } {
  const s = capture.stats();
  return { nEvts: s.kernelEvents, nDrops: s.drops };
}

export async function runLive(ctx: AppContext, o: LiveOptions): Promise<boolean> {
  let capture: LiveCapture;
  try {
    capture = await openCapture({ syscalls: ['openat'], bufferBytes: ctx.config.ringBufferBytes });
  } catch (e) {
    throw runErrors.unavailable('Cannot open the live driver (engine.kind=modern_ebpf)', `${(e as Error).message}\nRun as root on a kernel with BTF, or replay a capture with -o engine.kind=replay -o engine.replay.capture_file=FILE.`);
  }
  const syscalls = syscallsToCapture(ctx, o.rules.engine, capture.supported);
  capture.setSyscalls(syscalls);
  ctx.logger.info(`Capturing ${syscalls.length} syscalls with the modern eBPF driver (ring buffer ${ctx.config.ringBufferBytes / 1048576} MiB)`);
  o.syscall.seedFromProc(hostPaths(ctx.io.env));
  o.onAttached(capture);
  const stopWaiter = o.stop.wait().then(() => capture.close());
  const cursor = new BatchCursor();
  const options = { matching: o.matching };
  const counters = () => {
    const s = capture.stats();
    return { events: s.kernelEvents, drops: s.drops, dropsBuffer: s.dropsBufferFull, dropsPageFaults: 0, dropsBug: s.dropsTooLarge + s.dropsTailCall };
  };
  let completed = true;
  let events = 0;
  const started = Date.now();
  const recorder = o.recorder?.enabled === true ? o.recorder : undefined;
  let lastTsNs = 0;
  try {
    for (;;) {
      const batch = await capture.next();
      if (!batch) break;
      o.onEvent();
      const engine = o.rules.engine;
      cursor.reset(batch);
      while (cursor.next()) {
        const v = cursor.view;
        events++;
        lastTsNs = v.tsHigh * TWO_32 + v.tsLow;
        const ev = o.syscall.process(v);
        if (!o.drops.onEvent(lastTsNs, counters)) {
          completed = false;
          o.stop.stop('syscall event drops');
          break;
        }
        if (ev === undefined) continue;
        if (o.awaitContainer !== undefined) {
          const id = o.syscall.containerId();
          // The batch stays valid until capture.next(): waiting here keeps `ev` intact.
          const wait = id === '' ? undefined : o.awaitContainer(id);
          if (wait !== undefined) await wait;
        }
        const matches = engine.processEvent('syscall', ev, options);
        for (let i = 0; i < matches.length; i++) {
          o.alerts.rule(engine.alert(matches[i]!, ev, o.hostname));
          recorder?.onMatch(matches[i]!, lastTsNs, events);
        }
      }
      // The batch stays valid until capture.next(), so it is written before the loop advances.
      if (recorder?.active === true) await recorder.afterBatch(batch, lastTsNs);
      if (o.stop.stopped) break;
    }
  } finally {
    await recorder?.finish();
    const s = capture.stats();
    ctx.logger.info(`Processed ${events} events in ${((Date.now() - started) / 1000).toFixed(1)} s; kernel drops: ${s.drops} (buffer full ${s.dropsBufferFull}, too large ${s.dropsTooLarge})`);
    capture.close();
    o.stop.stop('capture ended');
    await stopWaiter;
  }
  return completed;
}
