/**
 * How Talon combines definitions. Two different merges exist and they do not agree on which side
 * wins, so both are spelled out here:
 *  - `overrideFromLaterFile`: a block or rule redefined later (another file, or further down the
 *    same file) updates the first definition: set strings replace, lists append, maps merge key by
 *    key with the later value winning; a rule's `match.priority` and `match.source` are always
 *    replaced (an override that omits them clears them), and a block's `output.target` is only
 *    taken when the first definition had none.
 *  - `inheritFromBlock`: a rule's action naming a block takes what it does not set itself; for
 *    parameters, scalars keep the rule's value, lists are the block's items then the rule's, and
 *    maps are merged key by key with the *block's* value winning.
 * A parameter whose kind differs between the two sides keeps the side being updated.
 */
import type { ActionSpec, ParamValue, Params, RuleSpec } from './model';

type Kind = 'list' | 'map' | 'scalar:string' | 'scalar:number' | 'scalar:boolean';

function kindOf(v: ParamValue): Kind {
  if (Array.isArray(v)) return 'list';
  if (v !== null && typeof v === 'object') return 'map';
  return `scalar:${typeof v}` as Kind;
}

const clone = <T>(v: T): T => structuredClone(v);

/** Merges `from` into `into` (mutated). `mapWinner`: whose value a shared map key keeps. */
function mergeParams(into: Params, from: Params, order: 'from-first' | 'into-first', scalarWinner: 'from' | 'into', onMismatch?: (key: string) => void): void {
  for (const [k, v] of Object.entries(from)) {
    if (v === null) continue;
    const current = into[k];
    if (current !== null && current !== undefined && kindOf(current) !== kindOf(v)) {
      onMismatch?.(k);
      continue;
    }
    if (Array.isArray(v)) {
      const existing = Array.isArray(current) ? current : [];
      into[k] = order === 'from-first' ? [...clone(v), ...existing] : [...existing, ...clone(v)];
    } else if (typeof v === 'object') {
      const target = current !== null && current !== undefined && typeof current === 'object' && !Array.isArray(current) ? current : {};
      for (const [s, t] of Object.entries(v)) target[s] = clone(t);
      into[k] = target;
    } else if (scalarWinner === 'from' || current === null || current === undefined) {
      into[k] = v;
    }
  }
}

export function overrideAction(first: ActionSpec, later: ActionSpec): void {
  if (later.actionner !== '') first.actionner = later.actionner;
  if (later.continue !== '') first.continue = later.continue;
  if (later.ignoreErrors !== '') first.ignoreErrors = later.ignoreErrors;
  if (later.description !== '') first.description = later.description;
  first.additionalContexts.push(...later.additionalContexts);
  if (later.parameters && Object.keys(later.parameters).length > 0) {
    first.parameters ??= {};
    mergeParams(first.parameters, later.parameters, 'into-first', 'from');
  }
  if (first.output.target === '') first.output.target = later.output.target;
  if (later.output.parameters && Object.keys(later.output.parameters).length > 0) {
    first.output.parameters ??= {};
    for (const [k, v] of Object.entries(later.output.parameters)) first.output.parameters[k] = clone(v);
  }
}

export function overrideRule(first: RuleSpec, later: RuleSpec): void {
  if (later.continue !== '') first.continue = later.continue;
  if (later.dryRun !== '') first.dryRun = later.dryRun;
  if (later.description !== '') first.description = later.description;
  first.notifiers.push(...later.notifiers);
  first.match.outputFields.push(...later.match.outputFields);
  first.match.priority = later.match.priority;
  first.match.source = later.match.source;
  first.match.rules.push(...later.match.rules);
  first.match.tags.push(...later.match.tags);
  first.actions.push(...later.actions);
}

/** Same-name definitions folded into the first one, in place; the survivors in order. */
export function foldSameName<T extends { name: string }>(items: T[], fold: (first: T, later: T) => void): T[] {
  const firstByName = new Map<string, T>();
  const out: T[] = [];
  for (const item of items) {
    if (item.name === '') continue;
    const first = firstByName.get(item.name);
    if (first) {
      fold(first, item);
    } else {
      firstByName.set(item.name, item);
      out.push(item);
    }
  }
  return out;
}

/** The rule's action after taking from its block what it does not set (returns a new object). */
export function inheritFromBlock(action: ActionSpec, block: ActionSpec | undefined, onMismatch?: (key: string) => void): ActionSpec {
  const own = clone(action);
  if (!block) return own;
  if (own.actionner === '') own.actionner = block.actionner;
  if (own.ignoreErrors === '') own.ignoreErrors = block.ignoreErrors;
  if (own.continue === '') own.continue = block.continue;
  if (own.description === '') own.description = block.description;
  if (own.additionalContexts.length === 0) own.additionalContexts = [...block.additionalContexts];
  if (block.parameters && Object.keys(block.parameters).length > 0) {
    own.parameters ??= {};
    mergeParams(own.parameters, block.parameters, 'from-first', 'into', onMismatch);
  }
  if (own.output.target === '') own.output.target = block.output.target;
  if (block.output.parameters && Object.keys(block.output.parameters).length > 0) {
    own.output.parameters ??= {};
    mergeParams(own.output.parameters, block.output.parameters, 'from-first', 'into');
  }
  return own;
}
