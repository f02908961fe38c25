/**
 * Replays a scap capture through the syscall state and the rules: the reader's batches are walked
 * with one reusable event view, the state sees every event before the rules, and the drop monitor
 * ticks on event time. Shows a progress line when stderr is a terminal.
 */
import { statSync } from 'node:fs';
import { BatchCursor, openScap } from '@falco-ts/driver';
import type { Engine } from '@falco-ts/engine';
import { runErrors } from '../errors';
import type { AlertSink } from './alerts';
import type { DropMonitor } from './../drops';
import { Progress } from './progress';
import type { SyscallSourceHandle } from './sources';

const TWO_32 = 4294967296;

export interface ReplayOptions {
  file: string;
  /** Read per batch, so a reload (SIGHUP) swaps the rules between batches. */
  rules: { engine: Engine };
  syscall: SyscallSourceHandle;
  alerts: Pick<AlertSink, 'rule'>;
  hostname: string;
  matching: 'first' | 'all';
  drops: DropMonitor;
  /** Checked between batches; true ends the replay early (-M, signals). */
  stopped: () => boolean;
  progress?: (text: string) => void;
  log?: (text: string) => void;
}

export interface ReplayResult {
  events: number;
  /** False when the drop monitor's `exit` action ended the run. */
  completed: boolean;
}

export async function replayCapture(o: ReplayOptions): Promise<ReplayResult> {
  let size = 0;
  try {
    size = statSync(o.file).size;
  } catch (e) {
    throw runErrors.input(`Could not open capture file ${o.file}: ${(e as Error).message}`);
  }
  const reader = await openScap(o.file, { file: o.file });
  o.syscall.seed(reader.state);
  const cursor = new BatchCursor();
  const progress = o.progress ? new Progress(o.progress, reader.compressed ? undefined : size) : undefined;
  const options = { matching: o.matching };
  const started = Date.now();
  let events = 0;
  const counters = () => ({ events, drops: 0, dropsBuffer: 0, dropsPageFaults: 0, dropsBug: 0 });
  try {
    for await (const batch of reader.batches()) {
      const engine = o.rules.engine;
      cursor.reset(batch);
      while (cursor.next()) {
        const v = cursor.view;
        events++;
        const ev = o.syscall.process(v);
        if (!o.drops.onEvent(v.tsHigh * TWO_32 + v.tsLow, counters)) return { events, completed: false };
        if (ev === undefined) continue;
        const matches = engine.processEvent('syscall', ev, options);
        for (let i = 0; i < matches.length; i++) o.alerts.rule(engine.alert(matches[i]!, ev, o.hostname));
      }
      progress?.update(events, reader.stats.bytes);
      if (o.stopped()) break;
    }
  } finally {
    reader.close();
    progress?.done(events);
    o.log?.(`Replayed ${events} events in ${((Date.now() - started) / 1000).toFixed(2)} s`);
  }
  return { events, completed: true };
}
