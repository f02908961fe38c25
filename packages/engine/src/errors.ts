/**
 * Errors the engine's callers can cause. Rules-file problems are not thrown: they are reported in
 * a LoadResult with Falco's codes. These classes cover the cases where an API call itself cannot
 * proceed: loading rules that failed (for callers that want an exception), or naming a source or
 * ruleset the engine does not have.
 */
import type { SourcePosition } from './loader/context';
import type { LoadResult } from './loader/result';

/** The first error of a failed rules load, with where it points. */
export class RulesLoadError extends Error {
  override readonly name = 'RulesLoadError';
  readonly code: string;
  readonly position: SourcePosition & { readonly file: string };
  /** `file:line:column: message` (1-based line and column for people). */
  readonly shortMessage: string;
  readonly result: LoadResult;

  constructor(result: LoadResult) {
    const first = result.errors[0];
    const loc = first?.context.last;
    const file = first?.context.fileName ?? result.name;
    const position = loc?.position ?? { offset: 0, line: 0, column: 0 };
    const reason = first?.message ?? 'rules could not be loaded';
    const short = `${file}:${position.line + 1}:${position.column + 1}: ${reason}`;
    super(first ? `${short}\n${result.verbose()}` : short);
    this.code = first?.code ?? 'LOAD_ERR_VALIDATE';
    this.position = { ...position, file };
    this.shortMessage = short;
    this.result = result;
  }
}

/** An engine API call names something the engine does not have (a source, a rule). */
export class EngineUsageError extends Error {
  override readonly name = 'EngineUsageError';
  readonly code: 'ENGINE_UNKNOWN_SOURCE' | 'ENGINE_UNKNOWN_RULE' | 'ENGINE_NOT_LOADED' | 'ENGINE_DUPLICATE_SOURCE';
  readonly context: Readonly<Record<string, string>>;

  constructor(code: EngineUsageError['code'], message: string, context: Record<string, string>) {
    super(message);
    this.code = code;
    this.context = context;
  }
}

/**
 * Kubernetes audit input that cannot be read: a body or line that is not JSON, a document that is
 * not an audit event, an event or body over its size limit, or an unreadable file. `context` says
 * where (the file or `webhook`, the 1-based line or item index).
 */
export class AuditInputError extends Error {
  override readonly name = 'AuditInputError';
  readonly code: 'K8SAUDIT_BAD_JSON' | 'K8SAUDIT_NOT_AUDIT_EVENT' | 'K8SAUDIT_TOO_LARGE' | 'K8SAUDIT_UNREADABLE';
  readonly context: { readonly source: string; readonly line?: number; readonly item?: number };

  constructor(code: AuditInputError['code'], message: string, context: AuditInputError['context']) {
    super(message);
    this.code = code;
    this.context = context;
  }
}

/** A k8saudit plugin setting (`open_params`, an `init_config` key) that cannot be used; `context.key` names it. */
export class AuditConfigError extends Error {
  override readonly name = 'AuditConfigError';
  readonly code = 'K8SAUDIT_BAD_CONFIG';
  readonly context: { readonly key: string };

  constructor(message: string, context: { key: string }) {
    super(message);
    this.context = context;
  }
}

/** A sliced load stopped before its end (past its deadline, or abandoned by its caller). */
export class LoadAbandoned extends Error {
  override readonly name = 'LoadAbandoned';
}
