/**
 * Named rulesets: which rules are enabled, per ruleset, with Falco's selectors (name substring,
 * exact name (empty: all), `*` wildcard over the whole name, any-of tags). `falco-default-ruleset` starts with
 * each rule's own `enabled` flag; every other ruleset starts empty when first named.
 */

export const DEFAULT_RULESET = 'falco-default-ruleset';

export interface RulesetRule {
  readonly id: number;
  readonly name: string;
  readonly tags: readonly string[];
  readonly enabled: boolean;
}

export type RuleSelector =
  | { readonly kind: 'substring'; readonly text: string }
  | { readonly kind: 'exact'; readonly name: string }
  | { readonly kind: 'wildcard'; readonly pattern: string }
  | { readonly kind: 'tags'; readonly tags: readonly string[] };

function wildcardToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}

export function selects(selector: RuleSelector, rule: RulesetRule): boolean {
  switch (selector.kind) {
    case 'substring':
      return rule.name.includes(selector.text);
    case 'exact':
      // As in Falco, an empty name selects every rule even for exact matching.
      return selector.name === '' || rule.name === selector.name;
    case 'wildcard':
      return wildcardToRegExp(selector.pattern).test(rule.name);
    case 'tags':
      return selector.tags.some((t) => rule.tags.includes(t));
  }
}

export class Rulesets {
  private rules: readonly RulesetRule[] = [];
  private readonly enabled = new Map<string, Uint8Array>();
  /** Bumped on every change so evaluation indexes know to rebuild. */
  version = 0;

  /** Replaces the rule set (after a load); the default ruleset takes the rules' own flags. */
  reset(rules: readonly RulesetRule[]): void {
    this.rules = rules;
    this.enabled.clear();
    const def = this.flags(DEFAULT_RULESET);
    for (const r of rules) def[r.id] = r.enabled ? 1 : 0;
    this.version++;
  }

  private flags(ruleset: string): Uint8Array {
    let f = this.enabled.get(ruleset);
    if (!f || f.length < this.rules.length) {
      const next = new Uint8Array(Math.max(this.rules.length, 1));
      if (f) next.set(f);
      f = next;
      this.enabled.set(ruleset, f);
    }
    return f;
  }

  /** Enables or disables the selected rules in `ruleset` (created on first use). */
  set(selector: RuleSelector, enabled: boolean, ruleset: string = DEFAULT_RULESET): void {
    const f = this.flags(ruleset);
    for (const r of this.rules) if (selects(selector, r)) f[r.id] = enabled ? 1 : 0;
    this.version++;
  }

  isEnabled(ruleId: number, ruleset: string = DEFAULT_RULESET): boolean {
    const f = this.enabled.get(ruleset);
    return !!f && f[ruleId] === 1;
  }

  /** Number of enabled rules in `ruleset`, optionally only those passing `filter`. */
  enabledCount(ruleset: string = DEFAULT_RULESET, filter?: (id: number) => boolean): number {
    const f = this.enabled.get(ruleset);
    if (!f) return 0;
    let n = 0;
    for (const r of this.rules) if (f[r.id] === 1 && (!filter || filter(r.id))) n++;
    return n;
  }

  names(): string[] {
    return [...this.enabled.keys()];
  }
}
