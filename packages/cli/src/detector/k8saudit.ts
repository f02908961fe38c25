/**
 * Kubernetes audit events through the rules: from the `k8saudit` plugin's `open_params` file, or
 * posted to the web server's webhook.
 */
import type { Engine } from '@falco-ts/engine';
import { nowNs } from '@falco-ts/outputs';
import type { AppContext } from '../app';
import { runErrors } from '../errors';
import { AuditInputError, parseAuditBody, type AuditEvent } from '../k8saudit/event';
import { K8S_AUDIT_SOURCE, readAuditFile } from '../k8saudit/source';
import type { AlertSink } from './alerts';
import type { StopSignal } from './run';

function evaluate(events: readonly AuditEvent[], engine: Engine, alerts: AlertSink, matching: 'first' | 'all', hostname: string): void {
  const options = { matching };
  for (const ev of events) {
    const matches = engine.processEvent(K8S_AUDIT_SOURCE, ev, options);
    for (let i = 0; i < matches.length; i++) alerts.rule(engine.alert(matches[i]!, ev, hostname));
  }
}

let webhookEvents = 0;

/** The webhook consumer: evaluates a POSTed body; returns an error text for a bad body. */
export function auditWebhook(body: string, engine: Engine, alerts: AlertSink, matching: 'first' | 'all', hostname: string): string | undefined {
  try {
    const events = parseAuditBody(body, 'webhook', webhookEvents, nowNs);
    webhookEvents += events.length;
    evaluate(events, engine, alerts, matching, hostname);
    return undefined;
  } catch (e) {
    return e instanceof AuditInputError ? e.message : `bad audit events: ${(e as Error).message}`;
  }
}

/**
 * Reads the configured events file and evaluates it. Without a file (no `open_params`, or an
 * `http(s)://` address) events arrive on the webhook, and the source runs until the run stops.
 */
export async function runK8sAudit(ctx: AppContext, engine: Engine, alerts: AlertSink, hostname: string, stop: StopSignal, webhook: boolean): Promise<void> {
  const plugin = ctx.config.plugins.find((p) => p.name === 'k8saudit');
  const params = plugin?.openParams ?? '';
  if (params === '' || /^https?:\/\//.test(params)) {
    if (!webhook) throw runErrors.unavailable('k8s_audit source', 'no events file in plugins[k8saudit].open_params and the web server (webhook) is not running');
    ctx.logger.info('Kubernetes audit events are read from the web server endpoint /k8s-audit');
    await stop.wait();
    return;
  }
  let events: AuditEvent[];
  try {
    events = readAuditFile(params, nowNs);
  } catch (e) {
    throw runErrors.input((e as Error).message);
  }
  ctx.logger.info(`Read ${events.length} Kubernetes audit events from ${params}`);
  evaluate(events, engine, alerts, ctx.config.ruleMatching, hostname);
}
