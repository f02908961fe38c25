/**
 * What a capture holds, in one pass: the facts `scap info` prints (blocks by type, events by type
 * name before and after conversion, threads, fds, users, interfaces, time span).
 */
import { BatchCursor } from '../view/event-view';
import { eventTypeName } from '../view/render';
import { openScap, type ReadOptions } from './reader';

export interface CaptureSummary {
  file: string;
  compressed: boolean;
  version: string;
  hostname: string | null;
  blocks: Record<string, number>;
  /** Events as stored in the file. */
  storedEvents: number;
  /** Events delivered after converting old layouts (what the engine sees). */
  events: number;
  /** Delivered events by `type direction` (generic syscall events named after their syscall). */
  eventsByType: Record<string, number>;
  threads: number;
  fds: number;
  users: number;
  groups: number;
  interfaces: number;
  /** First and last event timestamps (ns since epoch, as strings) and the span in seconds. */
  firstTs: string | null;
  lastTs: string | null;
  durationSeconds: number;
}

export async function summarizeCapture(file: string, opts: ReadOptions = {}): Promise<CaptureSummary> {
  const r = await openScap(file, opts);
  const byType = new Map<string, number>();
  const c = new BatchCursor();
  for await (const b of r.batches()) {
    c.reset(b);
    while (c.next()) {
      const k = `${eventTypeName(c.view)} ${c.view.dir}`;
      byType.set(k, (byType.get(k) ?? 0) + 1);
    }
  }
  const s = r.stats;
  let fds = 0;
  for (const t of r.state.threads.values()) fds += t.fds.length;
  const min = s.minTs;
  const max = s.maxTs;
  return {
    file,
    compressed: r.compressed,
    version: `${r.state.header.major}.${r.state.header.minor}`,
    hostname: r.state.machine?.hostname ?? null,
    blocks: Object.fromEntries(s.blocks),
    storedEvents: s.storedEvents,
    events: s.deliveredEvents,
    eventsByType: Object.fromEntries([...byType].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
    threads: r.state.threads.size,
    fds,
    users: r.state.users.length,
    groups: r.state.groups.length,
    interfaces: r.state.interfaces.length,
    firstTs: min === undefined ? null : min.toString(),
    lastTs: max === undefined ? null : max.toString(),
    durationSeconds: min === undefined || max === undefined ? 0 : Number(max - min) / 1e9,
  };
}

/** `2026-11-29T20:05:01.123456789Z` from ns since the epoch. */
export function formatTimestamp(ns: bigint): string {
  const secs = ns / 1000000000n;
  const frac = (ns % 1000000000n).toString().padStart(9, '0');
  const iso = new Date(Number(secs) * 1000).toISOString();
  return `${iso.slice(0, 19)}.${frac}Z`;
}
