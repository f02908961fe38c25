/**
 * Errors a user can cause with bad input to this package. Each has a stable `code`, and the capture
 * errors carry the byte offset (in the decompressed stream) and the block they were found in, so a
 * message always says where to look.
 */

export type CaptureErrorCode =
  | 'SCAP_TRUNCATED'
  | 'SCAP_BAD_MAGIC'
  | 'SCAP_BAD_VERSION'
  | 'SCAP_BAD_BLOCK_LENGTH'
  | 'SCAP_BAD_BLOCK'
  | 'SCAP_BAD_EVENT'
  | 'SCAP_UNKNOWN_EVENT'
  | 'SCAP_CONVERSION'
  | 'SCAP_IO'
  | 'SCAP_GZIP';

export interface CaptureErrorContext {
  /** Path of the capture, when reading a file. */
  readonly file?: string;
  /** Offset of the problem in the decompressed block stream. */
  readonly offset: number;
  /** Name of the block being read (e.g. `EV_V2`), or `header` before the first block. */
  readonly block: string;
  /** Offset where that block starts. */
  readonly blockOffset: number;
}

/** A capture file that cannot be read as it is: bad magic, truncation, inconsistent lengths, … */
export class CaptureFormatError extends Error {
  override name = 'CaptureFormatError';
  readonly code: CaptureErrorCode;
  readonly context: CaptureErrorContext;
  /** The problem alone, without the location. */
  readonly shortMessage: string;

  constructor(code: CaptureErrorCode, shortMessage: string, context: CaptureErrorContext) {
    const where = `${context.file ? `${context.file}: ` : ''}at byte ${context.offset} (block ${context.block} at byte ${context.blockOffset})`;
    super(`${where}: ${shortMessage}`);
    this.code = code;
    this.shortMessage = shortMessage;
    this.context = context;
  }
}

/** A parameter accessed in a way its event does not allow (index out of range, wrong type). */
export class EventDecodeError extends Error {
  override name = 'EventDecodeError';
  readonly code: 'EVENT_PARAM_RANGE' | 'EVENT_PARAM_TYPE' | 'EVENT_MALFORMED';
  readonly context: { readonly type: number; readonly param: number };

  constructor(code: EventDecodeError['code'], message: string, context: { type: number; param: number }) {
    super(message);
    this.code = code;
    this.context = context;
  }
}

/** Bad arguments to the writer (an event that does not fit its declared length, …). */
export class CaptureWriteError extends Error {
  override name = 'CaptureWriteError';
  readonly code: 'SCAP_WRITE_BAD_EVENT' | 'SCAP_WRITE_CLOSED';
  readonly context: { readonly event?: number };

  constructor(code: CaptureWriteError['code'], message: string, context: { event?: number } = {}) {
    super(message);
    this.code = code;
    this.context = context;
  }
}

export type DriverErrorCode =
  | 'ADDON_MISSING'
  | 'NOT_PRIVILEGED'
  | 'NO_BTF'
  | 'BPF_LOAD_FAILED'
  | 'SCHEMA_MISMATCH'
  | 'RINGBUF_FAILED'
  | 'BAD_OPTIONS'
  | 'UNKNOWN_SYSCALL'
  | 'CLOSED';

/**
 * The live driver could not start or was used wrongly. `shortMessage` says what failed; the full
 * message adds the likely causes and what to do about them.
 */
export class DriverError extends Error {
  override name = 'DriverError';
  readonly code: DriverErrorCode;
  readonly shortMessage: string;
  readonly context: { readonly option?: string; readonly errno?: number; readonly detail?: string };

  constructor(code: DriverErrorCode, shortMessage: string, context: DriverError['context'] = {}, hint = '') {
    super(hint ? `${shortMessage}\n${hint}` : shortMessage);
    this.code = code;
    this.shortMessage = shortMessage;
    this.context = context;
  }
}
