/**
 * The batch: what the scap reader and the live driver hand to the rest of the system.
 *
 * `data[0..byteLength)` holds `count` records back to back. Each record is an 8-byte prefix
 * (`u16 cpu, u16 reserved = 0, u32 flags`) followed by one scap event exactly as libscap lays it out:
 * the 26-byte header (`u64 ts, u64 tid, u32 len, u16 type, u32 nparams`), `nparams` parameter
 * lengths (u16, or u32 for EF_LARGE_PAYLOAD types), then the payloads. Little-endian, no padding,
 * so a record occupies `RECORD_PREFIX_SIZE + len` bytes. Batches always carry the modern layout.
 *
 * The C mirror of these constants is `bpf/shared/wire.h`.
 */
export interface EventBatch {
  data: Uint8Array;
  count: number;
  byteLength: number;
}

export const RECORD_PREFIX_SIZE = 8;
export const SCAP_HEADER_SIZE = 26;
export const RECORD_HEADER_SIZE = RECORD_PREFIX_SIZE + SCAP_HEADER_SIZE;

/** Offsets inside a record (from the start of the prefix). */
export const RECORD = {
  CPU: 0,
  RESERVED: 2,
  FLAGS: 4,
  TS: 8,
  TID: 16,
  LEN: 24,
  TYPE: 28,
  NPARAMS: 30,
  PARAM_LENS: 34,
} as const;

/** Offsets inside a bare scap event (from the start of its header). */
export const EVENT_HEADER = {
  TS: 0,
  TID: 8,
  LEN: 16,
  TYPE: 20,
  NPARAMS: 22,
  SIZE: 26,
} as const;

/** EVF flag: the event was kept only to rebuild state ("fatfile" captures). */
export const RECORD_FLAG_STATE_ONLY = 1;
