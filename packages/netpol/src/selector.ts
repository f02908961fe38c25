/**
 * Label selectors as apimachinery evaluates them: `matchLabels` entries and `matchExpressions`
 * requirements all hold (AND); an empty selector selects everything. `In` needs the key with one
 * of the values, `NotIn` the key absent or with another value, `Exists`/`DoesNotExist` the key's
 * presence or absence. A selector the API server would refuse (unknown operator, `In` without
 * values, `Exists` with values) does not compile.
 */
import type { LabelSelector, Labels } from './types';

interface Requirement {
  readonly key: string;
  readonly op: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values: ReadonlySet<string>;
}

export interface CompiledSelector {
  /** `matchLabels` as pairs, checked first (the common case). */
  readonly equals: readonly (readonly [string, string])[];
  readonly requirements: readonly Requirement[];
  /** True for `{}`: selects everything. */
  readonly everything: boolean;
}

export interface SelectorError {
  readonly error: string;
  readonly field: string;
}

/** Compiles a selector; returns the error (with its field) for one the API server would refuse. */
export function compileSelector(selector: LabelSelector, field: string): CompiledSelector | SelectorError {
  const equals: (readonly [string, string])[] = [];
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (typeof v !== 'string') return { error: `the value of label "${k}" must be a string`, field: `${field}.matchLabels` };
    equals.push([k, v]);
  }
  const requirements: Requirement[] = [];
  const expressions = selector.matchExpressions ?? [];
  for (let i = 0; i < expressions.length; i++) {
    const r = expressions[i]!;
    const at = `${field}.matchExpressions[${i}]`;
    const values = r.values ?? [];
    if (typeof r.key !== 'string' || r.key === '') return { error: 'the requirement has no key', field: `${at}.key` };
    switch (r.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) return { error: `operator ${r.operator} needs at least one value`, field: `${at}.values` };
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) return { error: `operator ${r.operator} takes no values`, field: `${at}.values` };
        break;
      default:
        return { error: `unknown operator "${String(r.operator)}" (In, NotIn, Exists, DoesNotExist)`, field: `${at}.operator` };
    }
    requirements.push({ key: r.key, op: r.operator, values: new Set(values) });
  }
  return { equals, requirements, everything: equals.length === 0 && requirements.length === 0 };
}

export function isSelectorError(s: CompiledSelector | SelectorError): s is SelectorError {
  return 'error' in s;
}

export function selectorMatches(s: CompiledSelector, labels: Labels): boolean {
  if (s.everything) return true;
  for (const [k, v] of s.equals) if (labels[k] !== v) return false;
  for (const r of s.requirements) {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.op) {
      case 'In':
        if (!has || !r.values.has(labels[r.key]!)) return false;
        break;
      case 'NotIn':
        if (has && r.values.has(labels[r.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

/**
 * Items keyed by a selector, found for a label set without testing every selector: a selector
 * with a `matchLabels` pair (or an `In` requirement) can only match labels that carry one of its
 * key=value pairs, so it is filed under those; the rest are tested for every lookup. `candidates`
 * may return items whose selector does not match; callers test the full selector.
 */
export class SelectorIndex<T> {
  private readonly byPair = new Map<string, Map<string, T[]>>();
  private readonly always: T[] = [];

  add(selector: CompiledSelector, item: T): void {
    const first = selector.equals[0];
    if (first) {
      this.file(first[0], first[1], item);
      return;
    }
    const inReq = selector.requirements.find((r) => r.op === 'In');
    if (inReq) {
      for (const v of inReq.values) this.file(inReq.key, v, item);
      return;
    }
    this.always.push(item);
  }

  /** Calls `visit` for every item whose selector may match `labels` (each at most once). */
  forCandidates(labels: Labels, visit: (item: T) => void): void {
    for (const item of this.always) visit(item);
    if (this.byPair.size === 0) return;
    for (const k in labels) {
      const values = this.byPair.get(k);
      if (values === undefined) continue;
      const items = values.get(labels[k]!);
      if (items !== undefined) for (const item of items) visit(item);
    }
  }

  private file(key: string, value: string, item: T): void {
    let values = this.byPair.get(key);
    if (values === undefined) this.byPair.set(key, (values = new Map()));
    const items = values.get(value);
    if (items) items.push(item);
    else values.set(value, [item]);
  }
}
