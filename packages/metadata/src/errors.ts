// Typed errors for everything a user can get wrong (configuration) and everything the outside
// world can do to us (a runtime or API server that fails). None of these crash the process: the
// service records provider errors in its health report and retries.

export type MetadataErrorCode =
  | 'METADATA_CONFIG'
  | 'METADATA_PROVIDER_UNKNOWN'
  | 'METADATA_PROVIDER_UNREACHABLE'
  | 'METADATA_PROVIDER_RESPONSE'
  | 'METADATA_CLOSED';

export interface MetadataErrorContext {
  /** Provider name (`docker`, `kubernetes`, …) when the error belongs to one. */
  readonly provider?: string;
  /** Socket path or URL the provider talked to. */
  readonly endpoint?: string;
  /** Configuration key, as a dotted path, for configuration errors. */
  readonly key?: string;
}

export class MetadataError extends Error {
  override name = 'MetadataError';
  readonly code: MetadataErrorCode;
  readonly context: MetadataErrorContext;
  /** The message without context, for one-line logs. */
  readonly shortMessage: string;

  constructor(code: MetadataErrorCode, shortMessage: string, context: MetadataErrorContext = {}, cause?: unknown) {
    const where = [
      context.provider && `provider ${context.provider}`,
      context.endpoint && `at ${context.endpoint}`,
      context.key && `(config key ${context.key})`,
    ].filter(Boolean);
    super(where.length ? `${shortMessage} [${where.join(' ')}]` : shortMessage, cause === undefined ? undefined : { cause });
    this.code = code;
    this.context = context;
    this.shortMessage = shortMessage;
  }
}

export class MetadataConfigError extends MetadataError {
  override name = 'MetadataConfigError';
}

export class ProviderError extends MetadataError {
  override name = 'ProviderError';
}

export function configError(key: string, message: string): MetadataConfigError {
  return new MetadataConfigError('METADATA_CONFIG', message, { key });
}

export function unknownProviderError(name: string, known: readonly string[]): MetadataConfigError {
  return new MetadataConfigError(
    'METADATA_PROVIDER_UNKNOWN',
    `unknown metadata provider "${name}"; known providers: ${known.join(', ')}`,
    { key: 'providers' },
  );
}

export function unreachableError(provider: string, endpoint: string, cause: unknown): ProviderError {
  return new ProviderError('METADATA_PROVIDER_UNREACHABLE', `cannot reach ${provider}: ${describe(cause)}`, { provider, endpoint }, cause);
}

export function responseError(provider: string, endpoint: string, detail: string): ProviderError {
  return new ProviderError('METADATA_PROVIDER_RESPONSE', `unexpected response from ${provider}: ${detail}`, { provider, endpoint });
}

export function closedError(): MetadataError {
  return new MetadataError('METADATA_CLOSED', 'the metadata service is closed');
}

export function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
