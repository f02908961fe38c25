/** Rule priorities, most severe first, with the spellings Falco accepts and prints. */

export const PRIORITY_NAMES = [
  'Emergency',
  'Alert',
  'Critical',
  'Error',
  'Warning',
  'Notice',
  'Informational',
  'Debug',
] as const;

export type PriorityName = (typeof PRIORITY_NAMES)[number];

/** 0 = Emergency … 7 = Debug; lower numbers are more severe. */
export type Priority = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Case-insensitive; `info` is accepted for Informational. */
export function parsePriority(text: string): Priority | undefined {
  const lower = text.toLowerCase();
  const i = PRIORITY_NAMES.findIndex((n) => n.toLowerCase() === lower);
  if (i >= 0) return i as Priority;
  if (lower === 'info') return 6;
  return undefined;
}

export function priorityName(p: Priority): PriorityName {
  return PRIORITY_NAMES[p];
}
