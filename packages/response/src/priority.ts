/**
 * Talon's priority ranks: Debug 1 … Emergency 8, case-insensitive; anything else (`Info`, a
 * typo) ranks 0, which is below Debug and, on the rule side, means "no priority criterion".
 */
const RANKS = new Map<string, number>([
  ['debug', 1],
  ['informational', 2],
  ['notice', 3],
  ['warning', 4],
  ['error', 5],
  ['critical', 6],
  ['alert', 7],
  ['emergency', 8],
]);

export function priorityRank(name: string): number {
  return RANKS.get(name.toLowerCase()) ?? 0;
}

/** `[<|>][=]Name`, Name empty allowed (then the criterion accepts everything). */
export const PRIORITY_SYNTAX = /^(<|>)?(=)?(Debug|Informational|Notice|Warning|Error|Critical|Alert|Emergency|)$/i;

export type PriorityComparator = '' | '=' | '<' | '<=' | '>' | '>=';

export interface PriorityCriterion {
  readonly comparator: PriorityComparator;
  /** 0 when the criterion accepts every priority. */
  readonly rank: number;
}

export function parsePriorityCriterion(text: string): PriorityCriterion {
  const m = /^(<|>)?(=)?/.exec(text)!;
  return { comparator: m[0] as PriorityComparator, rank: priorityRank(text.slice(m[0].length)) };
}

export function priorityAccepts(c: PriorityCriterion, eventPriority: string): boolean {
  if (c.rank === 0) return true;
  const p = priorityRank(eventPriority);
  switch (c.comparator) {
    case '>':
      return p > c.rank;
    case '>=':
      return p >= c.rank;
    case '<':
      return p < c.rank;
    case '<=':
      return p <= c.rank;
    default:
      return p === c.rank;
  }
}
