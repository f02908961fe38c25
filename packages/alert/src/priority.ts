/**
 * Falco's rule priorities, most severe first. The position in the list is the level: the syslog
 * severity, the gRPC enum value, and what `priority:` in falco.yaml compares against.
 */
export const PRIORITIES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'] as const;

/** A priority as Falco prints it in alerts. */
export type PriorityName = (typeof PRIORITIES)[number];

/** 0 = Emergency … 7 = Debug; lower numbers are more severe. */
export type PriorityLevel = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

const LEVEL_BY_LOWER = new Map<string, PriorityLevel>([
  ...PRIORITIES.map((p, i) => [p.toLowerCase(), i as PriorityLevel] as const),
  // Rules files and falco.yaml also accept this spelling.
  ['info', 6],
]);

/** Case-insensitive, as rules files and falco.yaml write priorities; `info` is Informational. */
export function parsePriority(text: string): PriorityLevel | undefined {
  return LEVEL_BY_LOWER.get(text.toLowerCase());
}

export function priorityName(level: PriorityLevel): PriorityName {
  return PRIORITIES[level];
}

export function priorityLevel(name: PriorityName): PriorityLevel {
  return LEVEL_BY_LOWER.get(name.toLowerCase())!;
}
