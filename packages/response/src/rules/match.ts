/**
 * A Talon rule's `match`, compiled once at load: all criteria ANDed, an empty criterion accepts
 * every event.
 *  - `rules`: the Falco rule name equals one of them.
 *  - `priority`: `[<|>][=]Name` against the event's priority rank.
 *  - `tags`: list entries are alternatives; each is a comma-separated set that must all be tags.
 *  - `output_fields`: list entries are alternatives; each is `k=v`/`k!=v` conditions separated by
 *    `,`; `=` needs the field with that value, `!=` fails only when the field has that value;
 *    values compare as their printed text, `"` removed from the rule's side.
 *  - `source`: equality (an alert without a source is `syscall`).
 */
import { valueText, type ResponseEvent } from '../event';
import { parsePriorityCriterion, priorityAccepts, type PriorityCriterion } from '../priority';
import type { MatchSpec } from './model';

export interface FieldCondition {
  readonly key: string;
  readonly comparator: '=' | '!=';
  readonly value: string;
}

export interface CompiledMatch {
  readonly rules: readonly string[];
  readonly priority: PriorityCriterion;
  readonly source: string;
  /** Alternatives, each a set of tags that must all be present. */
  readonly tags: readonly (readonly string[])[];
  /** Alternatives, each a list of conditions that must all hold; `present` false when none were written. */
  readonly outputFields: readonly (readonly FieldCondition[])[];
  readonly hasOutputFields: boolean;
}

/** Splits a tags entry as Talon does: spaces removed, then split on `,`. */
export function splitTags(entry: string): string[] {
  return entry.replaceAll(' ', '').split(',');
}

/** Splits an output_fields entry into its parts (`, ` and `,` both separate). */
export function splitOutputFieldParts(entry: string): string[] {
  return entry.replaceAll(', ', ',').split(',');
}

/**
 * The conditions of one entry. A part whose value itself contains `=` splits into more than two
 * pieces and is ignored, as in Talon (which leaves the entry with fewer conditions).
 */
export function parseOutputFieldEntry(entry: string): FieldCondition[] {
  const out: FieldCondition[] = [];
  for (const part of splitOutputFieldParts(entry.replaceAll('!=', '!'))) {
    if (part.includes('=')) {
      const p = part.split('=');
      if (p.length === 2) out.push({ key: p[0]!, comparator: '=', value: p[1]!.replaceAll('"', '') });
    }
    if (part.includes('!')) {
      const p = part.split('!');
      if (p.length === 2) out.push({ key: p[0]!, comparator: '!=', value: p[1]!.replaceAll('"', '') });
    }
  }
  return out;
}

export function compileMatch(m: MatchSpec): CompiledMatch {
  return {
    rules: [...m.rules],
    priority: parsePriorityCriterion(m.priority),
    source: m.source,
    tags: m.tags.map(splitTags),
    outputFields: m.outputFields.map(parseOutputFieldEntry),
    hasOutputFields: m.outputFields.length > 0,
  };
}

function fieldsAccept(m: CompiledMatch, event: ResponseEvent): boolean {
  if (!m.hasOutputFields) return true;
  const entries = Object.entries(event.outputFields);
  for (const conditions of m.outputFields) {
    let wanted = 0;
    let found = 0;
    let forbidden = 0;
    for (const c of conditions) if (c.comparator === '=') wanted++;
    for (const c of conditions) {
      for (const [k, v] of entries) {
        if (c.key !== k || c.value !== valueText(v)) continue;
        if (c.comparator === '=') found++;
        else forbidden++;
      }
    }
    if (wanted === found && forbidden === 0) return true;
  }
  return false;
}

function tagsAccept(m: CompiledMatch, event: ResponseEvent): boolean {
  if (m.tags.length === 0) return true;
  for (const group of m.tags) {
    let count = 0;
    for (const tag of group) for (const t of event.tags) if (t === tag) count++;
    if (count === group.length) return true;
  }
  return false;
}

export function matchAccepts(m: CompiledMatch, event: ResponseEvent): boolean {
  if (m.rules.length > 0 && !m.rules.includes(event.rule)) return false;
  if (!fieldsAccept(m, event)) return false;
  if (!priorityAccepts(m.priority, event.priority)) return false;
  if (!tagsAccept(m, event)) return false;
  if (m.source !== '' && event.source !== m.source) return false;
  return true;
}
