/**
 * The contract between the engine (loader, event-type index, evaluation, output formatting) and an
 * event source such as `syscall` or `k8s_audit`. A source owns its events' representation `E` (for
 * syscalls: a reusable view over a batch), its field registry and the mapping of event types to
 * numeric codes. The engine never looks inside an event except through this interface.
 */
import type { FieldRegistry } from '@falco-ts/filter-lang';

/**
 * Event type names and codes of a source, for the event-type index. Falco indexes every rule by
 * the set of event type codes its condition can match; `evt.type = open` names several codes
 * (enter and exit events, old layouts), and a condition that says nothing about `evt.type`
 * matches all of them.
 */
export interface EventTypeTable {
  /** Every code an event of this source can carry; the "any event type" set. */
  readonly allCodes: readonly number[];
  /** The codes an `evt.type` comparison with this name selects; empty when the name is unknown. */
  codesForName(name: string): readonly number[];
  /** The name `evt.type` reports for a code (used in diagnostics and `-L`/`--list` output). */
  nameOfCode(code: number): string | undefined;
}

/**
 * One event source. Implementations are registered with the engine by `name` (the `source:` key of
 * a rule, `syscall` when absent).
 */
export interface EventSource<E> {
  /** The source name rules refer to: `syscall`, `k8s_audit`, ... */
  readonly name: string;
  /** Fields that conditions and outputs of this source's rules compile against. */
  readonly fields: FieldRegistry<E>;
  /** Event type names/codes for the index. */
  readonly eventTypes: EventTypeTable;
  /**
   * Field names whose equality/`in` comparisons select event types for the index (`evt.type` for
   * syscalls). Sources without event types (plugin-style sources) return an empty list, and every
   * rule of theirs is indexed under all codes.
   */
  readonly eventTypeFields: readonly string[];
  /** The event's type code; called once per event on the hot path, so it must not allocate. */
  eventTypeOf(event: E): number;
  /** The event's timestamp in nanoseconds since the epoch (the alert's `time`). */
  timestampOf(event: E): bigint;
  /**
   * Renders an extracted field value for an output line (`%field`). Sources override the generic
   * rendering for fields whose text form is special (timestamps, fd names, addresses). Return
   * `undefined` to use the engine's generic rendering of the field's type.
   */
  renderField?(field: string, value: unknown, event: E): string | undefined;
  /**
   * The typed JSON value of an output field as Falco puts it in `output_fields` (numbers for
   * numeric fields, strings otherwise, `null` when missing). Return `undefined` to use the
   * engine's generic conversion.
   */
  jsonField?(field: string, value: unknown, event: E): string | number | boolean | null | undefined;
}
