/** Shared helpers for the live (root-only) driver tests. */
import { spawn } from 'node:child_process';
import { BatchCursor, type EventView } from '../../src';
import type { LiveCapture } from '../../src/live';

export const isRoot = process.getuid?.() === 0;

/** A decoded copy of the fields a test looks at (views are only valid while their batch is held). */
export interface SeenEvent {
  type: number;
  name: string;
  dir: '>' | '<';
  tid: number;
  cpu: number;
  ts: bigint;
  params: (string | number | bigint | Uint8Array)[];
}

/**
 * Reads batches until `done(events)` is true or `timeoutMs` passes, keeping the events `keep`
 * accepts, copied out of the batch.
 */
export async function collect(
  capture: LiveCapture,
  keep: (v: EventView) => boolean,
  done: (events: SeenEvent[]) => boolean,
  timeoutMs = 20_000,
): Promise<SeenEvent[]> {
  const events: SeenEvent[] = [];
  const cursor = new BatchCursor();
  const deadline = Date.now() + timeoutMs;
  // One outstanding next() at a time: a batch resolved after a timeout is picked up on the next
  // turn instead of being lost with an abandoned promise.
  let pending = capture.next();
  while (!done(events) && Date.now() < deadline) {
    const batch = await Promise.race([pending, new Promise<null>((r) => setTimeout(() => r(null), 200))]);
    if (batch === null) continue;
    if (batch === undefined) break; // closed
    cursor.reset(batch);
    while (cursor.next()) {
      const v = cursor.view;
      if (!keep(v)) continue;
      const params: SeenEvent['params'] = [];
      for (let i = 0; i < v.nparams; i++) params.push(v.paramBytes(i).slice());
      events.push({ type: v.type, name: v.name, dir: v.dir, tid: v.tid, cpu: v.cpu, ts: v.ts, params });
    }
    pending = capture.next();
  }
  return events;
}

/** Runs a command to completion; resolves with its pid and exit code. */
export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ pid: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'ignore', cwd: opts.cwd, env: opts.env });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ pid: child.pid ?? -1, code }));
  });
}

export function cstr(b: string | number | bigint | Uint8Array | undefined): string {
  if (!(b instanceof Uint8Array)) return String(b);
  const end = b.indexOf(0);
  return Buffer.from(end >= 0 ? b.subarray(0, end) : b).toString('utf8');
}

export function strings(b: string | number | bigint | Uint8Array | undefined): string[] {
  if (!(b instanceof Uint8Array)) return [];
  const parts = Buffer.from(b).toString('utf8').split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

export function i64(b: string | number | bigint | Uint8Array | undefined): bigint {
  if (!(b instanceof Uint8Array)) throw new Error('not a parameter');
  return Buffer.from(b).readBigInt64LE(0);
}

export function u32(b: string | number | bigint | Uint8Array | undefined): number {
  if (!(b instanceof Uint8Array)) throw new Error('not a parameter');
  return Buffer.from(b).readUInt32LE(0);
}
