/**
 * Errors a user can cause through configuration or that a receiver causes at delivery time. Each
 * carries a stable `code` and the context (config key, sink, file) needed to act on it.
 */

export type OutputsErrorCode =
  | 'OUTPUTS_CONFIG_INVALID'
  | 'OUTPUTS_DELIVERY_FAILED'
  | 'OUTPUTS_SPOOL_CORRUPT';

/** Where in the falco.yaml-shaped config the problem is, e.g. `http_output.url`. */
export interface ConfigErrorContext {
  readonly key: string;
  readonly value?: unknown;
}

export class OutputsConfigError extends Error {
  override name = 'OutputsConfigError';
  readonly code = 'OUTPUTS_CONFIG_INVALID' as const;
  constructor(
    readonly context: ConfigErrorContext,
    readonly shortMessage: string,
  ) {
    super(`invalid output configuration at ${context.key}: ${shortMessage}`);
  }
}

export interface DeliveryErrorContext {
  readonly sink: string;
  /** HTTP status, errno code or similar, when the receiver gave one. */
  readonly detail?: string;
}

/**
 * A failed delivery attempt. `retryable` is false when repeating the same request cannot succeed
 * (the receiver rejected the alert itself, e.g. HTTP 400), so the alert is dropped at once.
 */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  readonly code = 'OUTPUTS_DELIVERY_FAILED' as const;
  constructor(
    readonly context: DeliveryErrorContext,
    readonly shortMessage: string,
    readonly retryable: boolean = true,
  ) {
    super(`${context.sink}: ${shortMessage}${context.detail !== undefined ? ` (${context.detail})` : ''}`);
  }
}

export interface SpoolErrorContext {
  readonly file: string;
  /** 1-based line in the spool file. */
  readonly line: number;
}

export class SpoolCorruptError extends Error {
  override name = 'SpoolCorruptError';
  readonly code = 'OUTPUTS_SPOOL_CORRUPT' as const;
  constructor(
    readonly context: SpoolErrorContext,
    readonly shortMessage: string,
  ) {
    super(`${context.file}:${context.line}: ${shortMessage}`);
  }
}

export function configError(key: string, message: string, value?: unknown): OutputsConfigError {
  return new OutputsConfigError({ key, value }, message);
}

export function deliveryError(sink: string, message: string, detail?: string, retryable = true): DeliveryError {
  return new DeliveryError({ sink, detail }, message, retryable);
}

/** Normalises anything thrown by a sink into a DeliveryError so counting and retry logic is uniform. */
export function toDeliveryError(sink: string, err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return new DeliveryError({ sink, detail: typeof code === 'string' ? code : undefined }, err.message, true);
  }
  return new DeliveryError({ sink }, String(err), true);
}
