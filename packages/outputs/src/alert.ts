/**
 * The alert model: what the engine produces for every rule match and what every sink receives.
 * It mirrors Falco's alert (`time`, `rule`, `priority`, `source`, `hostname`, `output`, `tags`,
 * `output_fields`).
 */
import { randomUUID } from 'node:crypto';
import { hostname as osHostname } from 'node:os';

/** Falco's priorities, most severe first; the index is the syslog severity and the gRPC enum value. */
export const PRIORITIES = [
  'Emergency',
  'Alert',
  'Critical',
  'Error',
  'Warning',
  'Notice',
  'Informational',
  'Debug',
] as const;

export type Priority = (typeof PRIORITIES)[number];

const PRIORITY_BY_LOWER = new Map<string, Priority>([
  ...PRIORITIES.map((p) => [p.toLowerCase(), p] as [string, Priority]),
  // Falco's rules loader accepts these spellings too.
  ['info', 'Informational'],
]);

/** Case-insensitive lookup of a priority name as written in rules files and configs. */
export function parsePriority(name: string): Priority | undefined {
  return PRIORITY_BY_LOWER.get(name.toLowerCase());
}

/** 0 (Emergency) … 7 (Debug), the numeric form used by syslog and the metrics labels. */
const LEVEL = new Map<Priority, number>(PRIORITIES.map((p, i) => [p, i]));

export function priorityLevel(priority: Priority): number {
  return LEVEL.get(priority) ?? 7;
}

/** A typed output field value; `null` stands for a field the event does not have. */
export type FieldValue = string | number | bigint | boolean | null | readonly (string | number | bigint | boolean)[];

export interface Alert {
  /** Unique per alert; used as the JetStream message id so a redelivered alert is de-duplicated. */
  readonly id: string;
  /** Event time in nanoseconds since the Unix epoch. */
  readonly timeNs: bigint;
  readonly rule: string;
  readonly priority: Priority;
  /** Event source: `syscall`, `k8s_audit`, `internal`, or a plugin source name. */
  readonly source: string;
  readonly hostname: string;
  /** The rule's formatted output, without the time and priority prefix. */
  readonly output: string;
  readonly tags: readonly string[];
  readonly outputFields: Readonly<Record<string, FieldValue>>;
}

export interface AlertInit {
  readonly rule: string;
  readonly priority: Priority;
  readonly source: string;
  readonly output: string;
  readonly tags?: readonly string[];
  readonly outputFields?: Readonly<Record<string, FieldValue>>;
  readonly timeNs?: bigint;
  readonly hostname?: string;
  readonly id?: string;
}

let cachedHostname: string | undefined;

/** `FALCO_HOSTNAME` when set (as Falco does in containers), else the machine's host name. */
export function defaultHostname(): string {
  const fromEnv = process.env.FALCO_HOSTNAME;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  cachedHostname ??= osHostname();
  return cachedHostname;
}

/** Wall-clock now in nanoseconds (millisecond resolution plus the monotonic sub-millisecond part). */
export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
}

export function createAlert(init: AlertInit): Alert {
  return {
    id: init.id ?? randomUUID(),
    timeNs: init.timeNs ?? nowNs(),
    rule: init.rule,
    priority: init.priority,
    source: init.source,
    hostname: init.hostname ?? defaultHostname(),
    output: init.output,
    tags: init.tags ?? [],
    outputFields: init.outputFields ?? {},
  };
}

/**
 * An alert about the detector itself (dropped kernel events, metadata failures), which Falco
 * emits with the `internal` source.
 */
export function internalAlert(
  rule: string,
  priority: Priority,
  output: string,
  outputFields: Readonly<Record<string, FieldValue>> = {},
): Alert {
  return createAlert({ rule, priority, source: 'internal', output, outputFields, tags: [] });
}
