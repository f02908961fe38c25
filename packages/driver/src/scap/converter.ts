/**
 * Converts old event layouts to the current ones on read, driven by the generated converter table
 * (libscap's savefile converter, keyed by event type and actual parameter count). Most enter events
 * are stored per thread and folded into their exit event; the enter events the modern driver still
 * emits pass through. Events already in the current layout take the `PASS` fast path with no copy.
 */
import { CONVERSIONS, MAX_CONVERSIONS } from '../schema/generated/converter-table';
import { EF } from '../schema/generated/event-flags';
import { EVENT_TABLE, EVENT_TYPE_COUNT } from '../schema/generated/event-table';
import { PT, PARAM_TYPES } from '../schema/generated/param-types';
import type { ConversionEntry } from '../schema/types';

export class ConversionError extends Error {}

/** An event being converted: its type and its parameter payloads. */
export interface WorkEvent {
  type: number;
  params: Uint8Array[];
}

export const PASS = 'pass';
export const DROP = 'drop';
export type ConvertResult = typeof PASS | typeof DROP | WorkEvent;

const ACTION_STORE = 1;
const ACTION_ADD_PARAMS = 2;
const ACTION_PASS = 3;
const ACTION_STORE_AND_PASS = 4;
const ACTION_CHANGE_TYPE = 5;

const INSTR_EMPTY = 0;
const INSTR_OLD = 1;
const INSTR_ENTER = 2;
const INSTR_DEFAULT = 3;
const INSTR_CALLBACK = 4;

const byKey = new Map<number, ConversionEntry>();
for (const c of CONVERSIONS) byKey.set(c.type * 1024 + c.nparams, c);

const CONVERT = 0;
const NEEDS_PASS = 1;
const NEEDS_DROP = 2;

function decide(type: number, nparams: number): number {
  const info = EVENT_TABLE[type]!;
  if ((info.flags & EF.UNUSED) !== 0) return NEEDS_DROP;
  const old = (info.flags & EF.OLD_VERSION) !== 0;
  if ((info.flags & EF.CONVERTER_MANAGED) === 0) {
    if (!old) return NEEDS_PASS;
    if (info.dir === 'enter') return NEEDS_DROP;
    throw new ConversionError(`old exit event ${info.symbol} is not handled by the converter`);
  }
  if (info.dir === 'enter') return CONVERT;
  if (old || nparams !== info.params.length) {
    if (nparams > info.params.length) throw new ConversionError(`${info.symbol} has ${nparams} parameters, more than the ${info.params.length} of its layout`);
    return CONVERT;
  }
  return NEEDS_PASS;
}

// Per event type, when an event goes out unchanged, precomputed so the reader's per-event check is
// one array read: PASS_ANY for any parameter count, NEVER_PASS when it always needs the converter
// (or raises), otherwise the one parameter count that passes.
const PASS_ANY = -1;
const NEVER_PASS = -2;
const PASS_RULE = new Int16Array(EVENT_TYPE_COUNT).fill(NEVER_PASS);
for (let t = 0; t < EVENT_TYPE_COUNT; t++) {
  const info = EVENT_TABLE[t]!;
  const n = info.params.length;
  let managedExit = false;
  try {
    managedExit = (info.flags & EF.CONVERTER_MANAGED) !== 0 && decide(t, n) === NEEDS_PASS;
    if ((info.flags & EF.CONVERTER_MANAGED) === 0 && decide(t, n) === NEEDS_PASS) PASS_RULE[t] = PASS_ANY;
  } catch {
    // decide() raises for types it cannot handle; those keep NEVER_PASS and raise when converted.
  }
  if (managedExit) PASS_RULE[t] = n;
  // Enter events the table passes through as they are (open's, in its current layout): the same
  // answer `convert` gives after a decide() and a table lookup, for the commonest enter event.
  if (info.dir === 'enter' && (info.flags & EF.CONVERTER_MANAGED) !== 0 && (info.flags & EF.UNUSED) === 0 && byKey.get(t * 1024 + n)?.action === ACTION_PASS) {
    PASS_RULE[t] = n;
  }
}

/** Whether an event of this (type, nparams) goes out as it is, without a table lookup. */
export function passesUnchanged(type: number, nparams: number): boolean {
  if (type >= EVENT_TYPE_COUNT) return false;
  const rule = PASS_RULE[type]!;
  return rule === PASS_ANY || rule === nparams;
}

function defaultParam(pt: number): Uint8Array {
  const size = PARAM_TYPES[pt]?.[1] ?? -1;
  if (size <= 0) return new Uint8Array(0);
  const b = new Uint8Array(size);
  if (pt === PT.UID || pt === PT.GID) b.fill(0xff);
  return b;
}

function fitToType(p: Uint8Array, pt: number, lenSize: number): Uint8Array {
  const size = PARAM_TYPES[pt]?.[1] ?? -1;
  const max = size > 0 ? size : lenSize === 4 ? 0xffffffff : 0xffff;
  return p.length > max ? p.subarray(0, max) : p;
}

/** The old CONTAINER_E params (id, type, name, image) as the JSON its replacement carries. */
function containerJson(params: readonly Uint8Array[]): Uint8Array {
  const s = (i: number): string => {
    const b = params[i];
    if (!b) return '';
    const nul = b.indexOf(0);
    return Buffer.from(b.subarray(0, nul < 0 ? b.length : nul)).toString('utf8');
  };
  const typeBytes = params[1];
  const type = typeBytes && typeBytes.length >= 4 ? new DataView(typeBytes.buffer, typeBytes.byteOffset, 4).getUint32(0, true) : 0;
  const json = JSON.stringify({ container: { id: s(0), type, name: s(2), image: s(3) } });
  const b = Buffer.from(`${json}\0`, 'utf8');
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

export class Converter {
  /** One stored enter event per thread (a new one replaces the old). */
  private readonly stored = new Map<number, WorkEvent>();

  /**
   * Convert one event. `params` materialises the event's parameters (called only when a conversion
   * or a store needs them). Returns PASS (emit the original bytes), DROP, or the converted event.
   */
  convert(tid: number, type: number, nparams: number, params: () => Uint8Array[]): ConvertResult {
    let cur: WorkEvent | undefined;
    let curType = type;
    let curN = nparams;
    for (let round = 0; round < MAX_CONVERSIONS; round++) {
      const d = decide(curType, curN);
      if (d === NEEDS_PASS) return cur ?? PASS;
      if (d === NEEDS_DROP) return DROP;
      const entry = byKey.get(curType * 1024 + curN);
      if (entry === undefined) throw new ConversionError(`no conversion for ${EVENT_TABLE[curType]!.symbol} with ${curN} parameters`);
      const get = (): Uint8Array[] => (cur ??= { type: curType, params: params() }).params;
      switch (entry.action) {
        case ACTION_STORE:
          this.store(tid, curType, get());
          return DROP;
        case ACTION_PASS:
          return cur ?? PASS;
        case ACTION_STORE_AND_PASS:
          this.store(tid, curType, get());
          return cur ?? PASS;
        case ACTION_ADD_PARAMS: {
          const old = get();
          const info = EVENT_TABLE[curType]!;
          const out = old.slice();
          entry.instrs.forEach((ins, k) => out.push(this.build(tid, curType, ins, old, info.params[old.length + k]?.[1] ?? PT.BYTEBUF, info.paramLenSize)));
          this.clearUsedEnter(tid, entry);
          cur = { type: curType, params: out };
          break;
        }
        case ACTION_CHANGE_TYPE: {
          const old = get();
          const info = EVENT_TABLE[entry.newType]!;
          const out = entry.instrs.map((ins, k) => this.build(tid, curType, ins, old, info.params[k]?.[1] ?? PT.BYTEBUF, info.paramLenSize));
          this.clearUsedEnter(tid, entry);
          cur = { type: entry.newType, params: out };
          break;
        }
        default:
          throw new ConversionError(`unknown converter action ${entry.action}`);
      }
      curType = cur.type;
      curN = cur.params.length;
    }
    throw new ConversionError(`conversion of event type ${type} did not finish after ${MAX_CONVERSIONS} steps`);
  }

  private store(tid: number, type: number, params: readonly Uint8Array[]): void {
    // Copy: the parameters point into a block buffer that the reader reuses.
    this.stored.set(tid, { type, params: params.map((p) => p.slice()) });
  }

  private clearUsedEnter(tid: number, entry: ConversionEntry): void {
    if (entry.instrs.some((i) => i[0] === INSTR_ENTER)) this.stored.delete(tid);
  }

  private build(tid: number, type: number, ins: readonly [number, number, boolean], old: readonly Uint8Array[], targetType: number, lenSize: number): Uint8Array {
    const [code, num, fallbackEmpty] = ins;
    switch (code) {
      case INSTR_EMPTY:
        return new Uint8Array(0);
      case INSTR_OLD: {
        const p = old[num];
        if (p === undefined) throw new ConversionError(`event type ${type} has no parameter ${num} to copy`);
        return fitToType(p, targetType, lenSize);
      }
      case INSTR_ENTER: {
        const enter = this.stored.get(tid);
        if (enter === undefined) return fallbackEmpty ? new Uint8Array(0) : defaultParam(targetType);
        if (enter.type !== type - 1) {
          throw new ConversionError(`stored enter event ${EVENT_TABLE[enter.type]?.symbol} does not match exit ${EVENT_TABLE[type]?.symbol}`);
        }
        const p = enter.params[num];
        if (p === undefined) throw new ConversionError(`stored enter event ${EVENT_TABLE[enter.type]?.symbol} has no parameter ${num}`);
        return fitToType(p, targetType, lenSize);
      }
      case INSTR_DEFAULT:
        return defaultParam(targetType);
      case INSTR_CALLBACK:
        try {
          return containerJson(old);
        } catch {
          return fallbackEmpty ? new Uint8Array(0) : defaultParam(targetType);
        }
      default:
        throw new ConversionError(`unknown converter instruction ${code}`);
    }
  }

  reset(): void {
    this.stored.clear();
  }
}
