/**
 * Talon's rules-file model, as its loader sees it after decoding: every setting that Talon keeps
 * as text (`continue`, `dry_run`, `ignore_errors`: empty when unset, so an omitted value differs
 * from `false`) stays text here too, and is checked when the rules are validated.
 */

export type ParamValue = string | number | boolean | null | ParamValue[] | { [key: string]: ParamValue };
export type Params = { [key: string]: ParamValue };

export interface OutputSpec {
  /** `category:name` of an output target such as `aws:s3`; empty when unset. */
  target: string;
  parameters: Params | undefined;
}

/** A reusable `- action:` block, or one entry of a rule's `actions`. */
export interface ActionSpec {
  name: string;
  description: string;
  actionner: string;
  continue: string;
  ignoreErrors: string;
  additionalContexts: string[];
  parameters: Params | undefined;
  output: OutputSpec;
  /** Where it was written (for messages). */
  readonly file: string;
  readonly line: number;
}

export interface MatchSpec {
  rules: string[];
  priority: string;
  source: string;
  tags: string[];
  outputFields: string[];
}

export interface RuleSpec {
  name: string;
  description: string;
  continue: string;
  dryRun: string;
  notifiers: string[];
  actions: ActionSpec[];
  match: MatchSpec;
  readonly file: string;
  readonly line: number;
}

/** A rules file by name (a path when read from disk) and content. */
export interface RulesSource {
  readonly name: string;
  readonly content: string;
}
