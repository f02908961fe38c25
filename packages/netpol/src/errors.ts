// Typed errors for what the outside world can hand the evaluator: a policy the API server would
// have refused (bad CIDR, bad selector operator), an address that is not one, a malformed object.
// The index never throws these at a caller evaluating a flow: a policy that does not compile is
// left out and listed by `NetpolIndex.problems()`.

export type NetpolErrorCode = 'NETPOL_INVALID_POLICY' | 'NETPOL_INVALID_ADDRESS' | 'NETPOL_INVALID_OBJECT';

export interface NetpolErrorContext {
  /** `namespace/name` of the object the error is about. */
  readonly object?: string;
  /** Dotted path of the offending field inside it (`spec.ingress[0].from[1].ipBlock.cidr`). */
  readonly field?: string;
}

export class NetpolError extends Error {
  override name = 'NetpolError';
  readonly code: NetpolErrorCode;
  readonly context: NetpolErrorContext;
  /** The message without context, for one-line logs. */
  readonly shortMessage: string;

  constructor(code: NetpolErrorCode, shortMessage: string, context: NetpolErrorContext = {}) {
    const where = [context.object, context.field].filter(Boolean).join(' ');
    super(where ? `${where}: ${shortMessage}` : shortMessage);
    this.code = code;
    this.context = context;
    this.shortMessage = shortMessage;
  }
}

export function invalidPolicy(object: string, field: string, message: string): NetpolError {
  return new NetpolError('NETPOL_INVALID_POLICY', message, { object, field });
}

export function invalidAddress(text: string, field?: string): NetpolError {
  return new NetpolError('NETPOL_INVALID_ADDRESS', `"${text.slice(0, 80)}" is not an IP address`, field ? { field } : {});
}

export function invalidObject(object: string, field: string, message: string): NetpolError {
  return new NetpolError('NETPOL_INVALID_OBJECT', message, { object, field });
}
