/**
 * The response engine inside the detector, configured from falco.yaml's `response:` section: each
 * rule alert is handed to it (no network hop) after the outputs got it, and every action it takes,
 * skips or fails comes back as an event of source `response` through the same outputs, and as
 * `falcosecurity_falco_response_actions_total{actionner,result}`. The engine works off the alert
 * path; a failing or slow action never delays an alert.
 */
import { Counter } from 'prom-client';
import { createAlert, type Alert, type FieldValue, type PriorityName } from '@falco-ts/alert';
import type { FalcoMetrics } from '@falco-ts/outputs';
import { eventFromAlertJson, parseResponseSettings, startResponse, type ActionReport, type EventValue, type ResponseRuntime } from '@falco-ts/response';

const PRIORITY: Record<ActionReport['result'], PriorityName> = { success: 'Notice', failure: 'Error', skipped: 'Informational', dry_run: 'Informational' };

export function reportAlert(r: ActionReport, hostname: string): Alert {
  const fields: Record<string, FieldValue> = {
    'response.rule': r.rule,
    'response.action': r.action,
    'response.actionner': r.actionner,
    'response.result': r.result,
    'response.alert_rule': r.alert.rule,
    'response.latency_ms': r.latencyMs !== undefined ? Math.round(r.latencyMs * 1000) / 1000 : null,
    'response.duration_ms': r.durationMs !== undefined ? Math.round(r.durationMs * 1000) / 1000 : null,
  };
  for (const [k, v] of Object.entries(r.objects)) fields[`response.target.${k}`] = v;
  return createAlert({
    rule: r.rule,
    priority: PRIORITY[r.result],
    source: 'response',
    output: `${r.actionner} (${r.action}) ${r.result}: ${r.output} (alert: ${r.alert.rule})`,
    tags: ['response'],
    outputFields: fields,
    hostname,
  });
}

export interface DetectorResponse {
  submit(alert: Alert): void;
  close(): Promise<void>;
}

function toEvent(a: Alert) {
  return eventFromAlertJson({
    output: a.output,
    priority: a.priority,
    rule: a.rule,
    hostname: a.hostname,
    source: a.source,
    tags: a.tags,
    output_fields: Object.fromEntries(Object.entries(a.outputFields).map(([k, v]) => [k, v as EventValue])),
    timeNs: a.timeNs,
  });
}

/** Undefined when `response.enabled` is not true. */
export async function startDetectorResponse(
  tree: unknown,
  emit: (a: Alert) => void,
  opts: { hostname: string; metrics?: FalcoMetrics; log: (line: string) => void },
): Promise<DetectorResponse | undefined> {
  const settings = parseResponseSettings(tree);
  if (!settings.enabled) return undefined;
  const counter = opts.metrics
    ? new Counter({
        name: 'falcosecurity_falco_response_actions_total',
        help: 'Automated response actions by actionner and result (success, failure, skipped, dry_run)',
        labelNames: ['actionner', 'result'],
        registers: [opts.metrics.registry],
      })
    : undefined;
  const runtime: ResponseRuntime = await startResponse(settings, {
    log: opts.log,
    onReport: (r) => {
      counter?.inc({ actionner: r.actionner, result: r.result });
      emit(reportAlert(r, opts.hostname));
    },
  });
  return {
    submit: (a) => {
      if (a.source !== 'response' && a.source !== 'internal') runtime.engine.submit(toEvent(a));
    },
    close: () => runtime.close(),
  };
}
