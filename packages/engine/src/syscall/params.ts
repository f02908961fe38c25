/**
 * Reading event parameters by name. Layouts differ between versions of an event type, so every
 * parser looks parameters up by name through a per-type index built once from the schema; readers
 * return a default when the event lacks the parameter (older layouts) or it is empty.
 */
import { EVENT_TABLE, type EventView } from '@falco-ts/driver';

/** Per parameter name, the index of that parameter in each event type (-1 when absent). */
const indexByName = new Map<string, Int8Array>();

function buildIndex(name: string): Int8Array {
  const idx = new Int8Array(EVENT_TABLE.length).fill(-1);
  EVENT_TABLE.forEach((e, type) => {
    const i = e.params.findIndex((p) => p[0] === name);
    idx[type] = i;
  });
  indexByName.set(name, idx);
  return idx;
}

/** Index of the parameter `name` in events of `type`, or -1 (one array read after the first use). */
export function paramIndex(type: number, name: string): number {
  const idx = indexByName.get(name) ?? buildIndex(name);
  return idx[type] ?? -1;
}

function present(v: EventView, i: number): boolean {
  return i >= 0 && i < v.nparams && v.paramLength(i) > 0;
}

export function hasParam(v: EventView, name: string): boolean {
  return present(v, paramIndex(v.type, name));
}

export function intParam(v: EventView, name: string, dflt: number): number {
  const i = paramIndex(v.type, name);
  return present(v, i) ? v.int(i) : dflt;
}

export function bigParam(v: EventView, name: string, dflt: bigint): bigint {
  const i = paramIndex(v.type, name);
  return present(v, i) ? v.bigint(i) : dflt;
}

export function strParam(v: EventView, name: string): string {
  const i = paramIndex(v.type, name);
  return present(v, i) ? v.str(i) : '';
}

export function bytesParam(v: EventView, name: string): Uint8Array | undefined {
  const i = paramIndex(v.type, name);
  return present(v, i) ? v.paramBytes(i) : undefined;
}

const utf8 = new TextDecoder('utf-8');

/** A NUL-separated list (argv, environment, cgroups); a trailing NUL ends the last item. */
export function nulList(b: Uint8Array | undefined): string[] {
  if (b === undefined || b.length === 0) return [];
  const out: string[] = [];
  let s = 0;
  for (let k = 0; k < b.length; k++) {
    if (b[k] === 0) {
      out.push(utf8.decode(b.subarray(s, k)));
      s = k + 1;
    }
  }
  if (s < b.length) out.push(utf8.decode(b.subarray(s)));
  return out;
}
