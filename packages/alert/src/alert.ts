/**
 * The alert model: what the engine builds for every rule match, what the detector raises about
 * itself, and what every sink receives. It mirrors Falco's alert (`time`, `rule`, `priority`,
 * `source`, `hostname`, `output`, `tags`, `output_fields`).
 */
import { randomUUID } from 'node:crypto';
import { hostname as osHostname } from 'node:os';
import type { PriorityName } from './priority';

/** One output field's typed value; `null` stands for a field the event does not have. */
export type FieldValue = string | number | bigint | boolean | null | readonly (string | number | bigint | boolean)[];

export interface Alert {
  /** Unique per alert; used as the JetStream message id so a redelivered alert is de-duplicated. */
  readonly id: string;
  /** Event time in nanoseconds since the Unix epoch. */
  readonly timeNs: bigint;
  readonly rule: string;
  readonly priority: PriorityName;
  /** Event source: `syscall`, `k8s_audit`, `internal`, or a plugin source name. */
  readonly source: string;
  readonly hostname: string;
  /** The rule's formatted output, without the time and priority prefix. */
  readonly output: string;
  readonly tags: readonly string[];
  /** The output's `%field` tokens (and extra output fields) with their values, sorted by name. */
  readonly outputFields: Readonly<Record<string, FieldValue>>;
}

export interface AlertInit {
  readonly rule: string;
  readonly priority: PriorityName;
  readonly source: string;
  readonly output: string;
  readonly tags?: readonly string[];
  readonly outputFields?: Readonly<Record<string, FieldValue>>;
  readonly timeNs?: bigint;
  readonly hostname?: string;
  readonly id?: string;
}

/** The source of the alerts the detector raises about itself, as Falco names it. */
export const INTERNAL_SOURCE = 'internal';

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
 * An alert about the detector itself (dropped kernel events, metrics snapshots), which Falco
 * emits with the `internal` source.
 */
export function internalAlert(
  rule: string,
  priority: PriorityName,
  output: string,
  outputFields: Readonly<Record<string, FieldValue>> = {},
): Alert {
  return createAlert({ rule, priority, source: INTERNAL_SOURCE, output, outputFields, tags: [] });
}
