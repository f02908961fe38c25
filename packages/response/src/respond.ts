/**
 * The walk from one event to the actions it triggers, Talon's order and flow:
 *  - Talon rules are tried top to bottom; each one whose match accepts the event is triggered,
 *    until a triggered rule with `continue: false` ends the walk;
 *  - a triggered rule's actions run in order; after each, the list ends when the action does not
 *    continue (its `continue`, else its actionner's default) or when it failed and does not
 *    `ignore_errors`; ending one rule's list does not end the walk;
 *  - a rule in `dry_run` walks its actions the same way without running any.
 * What "run" means is the executor's business (the real one applies safety checks, acts, notifies
 * and reports); the walk is the same for the detector, the receiver and the conformance suite.
 */
import type { ResponseEvent } from './event';
import { matchAccepts } from './rules/match';
import type { ResolvedAction, TalonRule } from './rules/loader';

export type ActionOutcome =
  | { readonly status: 'success'; readonly output?: string; readonly objects?: Readonly<Record<string, string>> }
  | { readonly status: 'failure'; readonly error: string; readonly objects?: Readonly<Record<string, string>> }
  /** Not attempted on purpose (protected scope, duplicate, rate limit); does not stop the list. */
  | { readonly status: 'skipped'; readonly reason: string; readonly objects?: Readonly<Record<string, string>> }
  | { readonly status: 'dry-run'; readonly objects?: Readonly<Record<string, string>> };

export interface ActionStep {
  readonly rule: TalonRule;
  readonly action: ResolvedAction;
  readonly outcome: ActionOutcome;
}

export interface Decision {
  /** Every Talon rule whose match accepts the event, in rule order. */
  readonly matched: readonly TalonRule[];
  /** The rules processed (the list ends at the first triggered rule with `continue: false`). */
  readonly triggered: readonly TalonRule[];
  readonly steps: readonly ActionStep[];
}

export type ActionExecutor = (rule: TalonRule, action: ResolvedAction, event: ResponseEvent) => Promise<ActionOutcome>;

export function matchingRules(rules: readonly TalonRule[], event: ResponseEvent): TalonRule[] {
  return rules.filter((r) => matchAccepts(r.match, event));
}

export async function respond(rules: readonly TalonRule[], event: ResponseEvent, execute: ActionExecutor): Promise<Decision> {
  const matched = matchingRules(rules, event);
  const triggered: TalonRule[] = [];
  const steps: ActionStep[] = [];
  for (const rule of matched) {
    triggered.push(rule);
    for (const action of rule.actions) {
      const outcome: ActionOutcome = rule.dryRun ? { status: 'dry-run' } : await execute(rule, action, event);
      steps.push({ rule, action, outcome });
      if (outcome.status === 'failure' && !action.ignoreErrors) break;
      if (!action.continues) break;
    }
    if (!rule.continues) break;
  }
  return { matched, triggered, steps };
}
