/**
 * The `k8s_audit` event source (what Falco's k8saudit plugin provides): audit events read from a
 * file (`plugins[].open_params` of the `k8saudit` plugin: a path, one JSON document per line or one
 * EventList) or posted to the web server's webhook, evaluated against `source: k8s_audit` rules.
 */
import { readFileSync } from 'node:fs';
import type { EventSource } from '@falco-ts/engine';
import { AuditInputError, parseAuditBody, type AuditEvent } from './event';
import { k8sAuditFields } from './fields';

/** Plugin events all carry the plugin event type; rules of this source are indexed under it. */
const PLUGIN_EVENT = 322;

export const K8S_AUDIT_SOURCE = 'k8s_audit';

export function createK8sAuditSource(): EventSource<AuditEvent> {
  return {
    name: K8S_AUDIT_SOURCE,
    fields: k8sAuditFields(),
    eventTypes: {
      allCodes: [PLUGIN_EVENT],
      codesForName: () => [],
      nameOfCode: (c) => (c === PLUGIN_EVENT ? 'pluginevent' : undefined),
    },
    eventTypeFields: [],
    eventTypeOf: () => PLUGIN_EVENT,
    timestampOf: (e) => e.ts,
  };
}

/**
 * Reads the events `open_params` names. Falco's plugin also accepts `http://` URLs (it then runs
 * its own webhook server); here the webhook is the web server's `/k8s-audit` endpoint instead.
 */
export function readAuditFile(path: string, nowNs: () => bigint): AuditEvent[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new AuditInputError(`cannot read audit events from ${path}: ${(e as Error).message}`, { source: path });
  }
  return parseAuditBody(text, path, 0, nowNs);
}
