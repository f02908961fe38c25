/**
 * The `k8s_audit` event source (what Falco's k8saudit plugin provides): audit events read from a
 * file (one JSON document per line, or one EventList) or received by a webhook, evaluated against
 * `source: k8s_audit` rules.
 */
import { readFileSync } from 'node:fs';
import { AuditInputError } from '../errors';
import type { EventSource } from '../source';
import { parseAuditBody, type AuditEvent } from './event';
import { k8sAuditFields } from './fields';

/** Plugin events all carry the plugin event type (322, `pluginevent`); rules of this source are indexed under it. */
export const PLUGIN_EVENT_CODE = 322;

export const K8S_AUDIT_SOURCE = 'k8s_audit';

export function createK8sAuditSource(): EventSource<AuditEvent> {
  return {
    name: K8S_AUDIT_SOURCE,
    fields: k8sAuditFields(),
    eventTypes: {
      allCodes: [PLUGIN_EVENT_CODE],
      codesForName: () => [],
      nameOfCode: (c) => (c === PLUGIN_EVENT_CODE ? 'pluginevent' : undefined),
    },
    eventTypeFields: [],
    eventTypeOf: () => PLUGIN_EVENT_CODE,
    timestampOf: (e) => e.ts,
  };
}

/**
 * Reads the events a file holds (the k8saudit plugin's `open_params` when it names a path).
 * Documents that are not audit events are skipped, as the plugin does; a line that is not JSON
 * throws an `AuditInputError` with its line number.
 */
export function readAuditFile(path: string, nowNs: () => bigint, onUnrecognized?: (where: string) => void): AuditEvent[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new AuditInputError('K8SAUDIT_UNREADABLE', `cannot read audit events from ${path}: ${(e as Error).message}`, { source: path });
  }
  return parseAuditBody(text, path, 0, nowNs, onUnrecognized);
}
