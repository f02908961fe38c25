/**
 * Errors a user can cause: a Talon rules file that does not load, a `response` configuration that
 * is not valid, an alert body a receiver cannot decode. Each carries a stable `code`, the context
 * needed to act on it, and a one-line `shortMessage`. Talon's own wording is kept for the rules
 * problems (`unknown actionner`, `incorrect priority '>>Warning'`, …) so messages users search for
 * still match.
 */

export type ResponseErrorCode = 'RESPONSE_RULES_INVALID' | 'RESPONSE_CONFIG_INVALID' | 'RESPONSE_EVENT_INVALID';

/** One problem found while loading Talon rules files. */
export interface RulesProblem {
  /** Talon's wording, e.g. `no action specified`. */
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly rule?: string;
  readonly action?: string;
  readonly actionner?: string;
  readonly target?: string;
}

export function describeProblem(p: RulesProblem): string {
  const where: string[] = [];
  if (p.file !== undefined) where.push(p.line !== undefined ? `${p.file}:${p.line}` : p.file);
  if (p.rule !== undefined) where.push(`rule '${p.rule}'`);
  if (p.action !== undefined) where.push(`action '${p.action}'`);
  if (p.actionner !== undefined) where.push(`actionner '${p.actionner}'`);
  if (p.target !== undefined) where.push(`output target '${p.target}'`);
  return where.length === 0 ? p.message : `${where.join(', ')}: ${p.message}`;
}

/** The rules files did not load; `problems` lists every problem found, in file order. */
export class RulesLoadError extends Error {
  override name = 'RulesLoadError';
  readonly code = 'RESPONSE_RULES_INVALID' as const;
  readonly shortMessage: string;
  constructor(readonly problems: readonly RulesProblem[]) {
    super(
      problems.length === 1
        ? `invalid rules: ${describeProblem(problems[0]!)}`
        : `invalid rules (${problems.length} problems):\n${problems.map((p) => `  ${describeProblem(p)}`).join('\n')}`,
    );
    this.shortMessage = problems[0] ? problems[0].message : 'invalid rules';
  }
}

export class ResponseConfigError extends Error {
  override name = 'ResponseConfigError';
  readonly code = 'RESPONSE_CONFIG_INVALID' as const;
  constructor(
    readonly context: { readonly key: string; readonly value?: unknown },
    readonly shortMessage: string,
  ) {
    super(`invalid response configuration at ${context.key}: ${shortMessage}`);
  }
}

export class EventDecodeError extends Error {
  override name = 'EventDecodeError';
  readonly code = 'RESPONSE_EVENT_INVALID' as const;
  constructor(readonly shortMessage: string) {
    super(`invalid alert: ${shortMessage}`);
  }
}

export function configError(key: string, message: string, value?: unknown): ResponseConfigError {
  return new ResponseConfigError({ key, value }, message);
}
