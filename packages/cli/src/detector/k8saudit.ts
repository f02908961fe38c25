/**
 * Kubernetes audit events through the rules, from wherever the `k8saudit` plugin's `open_params`
 * says: a file (read and evaluated once), an `http(s)://host:port/path` address (the plugin's own
 * webhook listener), or nothing (the detector web server's `POST /k8s-audit`).
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { K8S_AUDIT_SOURCE, parseInitConfig, parseOpenParams, readAuditFile, type AuditEvent, type AuditInput, type AuditWebhookLimits, type Engine } from '@falco-ts/engine';
import { nowNs } from '@falco-ts/alert';
import type { FalcoMetrics } from '@falco-ts/outputs';
import type { AppContext } from '../context';
import { runErrors } from '../errors';
import { AuditWebhookServer, auditRequestHandler, webhookCounters } from '../k8saudit/webhook-server';
import type { AlertSink } from './alerts';
import type { StopSignal } from './run';

/** The engine may be swapped by a configuration reload; evaluation asks for the current one. */
type EngineRef = Engine | (() => Engine);
const current = (e: EngineRef): Engine => (typeof e === 'function' ? e() : e);

function evaluate(events: readonly AuditEvent[], engine: Engine, alerts: AlertSink, matching: 'first' | 'all', hostname: string): void {
  const options = { matching };
  for (const ev of events) {
    const matches = engine.processEvent(K8S_AUDIT_SOURCE, ev, options);
    for (let i = 0; i < matches.length; i++) alerts.rule(engine.alert(matches[i]!, ev, hostname));
  }
}

/** The plugin's settings: where events come from and the webhook's limits. */
export function k8sAuditSettings(ctx: AppContext): { input: AuditInput; limits: AuditWebhookLimits } {
  const plugin = ctx.config.plugins.find((p) => p.name === 'k8saudit');
  try {
    return { input: parseOpenParams(plugin?.openParams ?? ''), limits: parseInitConfig(plugin?.initConfig, (p) => readFileSync(p, 'utf8')) };
  } catch (e) {
    throw runErrors.input((e as Error).message);
  }
}

/** The HTTP handler for audit webhook requests (token, limits, metrics), evaluating into `alerts`. */
export function k8sAuditWebhook(
  ctx: AppContext,
  engine: EngineRef,
  alerts: AlertSink,
  hostname: string,
  metrics?: FalcoMetrics,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { limits } = k8sAuditSettings(ctx);
  return auditRequestHandler({
    limits,
    nowNs,
    counters: webhookCounters(metrics?.registry),
    consume: (events) => evaluate(events, current(engine), alerts, ctx.config.ruleMatching, hostname),
    onReject: (r) => ctx.logger.warning(`k8s audit webhook: refused a request (${r.status} ${r.reason}): ${r.message}`),
  });
}

/**
 * Runs the source: evaluates the events file, or keeps the webhook (the plugin's own listener,
 * or the web server's endpoint when `embeddedWebhook`) receiving until the run stops.
 */
export async function runK8sAudit(
  ctx: AppContext,
  engine: EngineRef,
  alerts: AlertSink,
  hostname: string,
  stop: StopSignal,
  embeddedWebhook: boolean,
  metrics?: FalcoMetrics,
): Promise<void> {
  const { input, limits } = k8sAuditSettings(ctx);
  if (input.kind === 'embedded') {
    if (!embeddedWebhook) throw runErrors.unavailable('k8s_audit source', 'no events file or webhook address in plugins[k8saudit].open_params and the web server (webhook) is not running');
    ctx.logger.info('Kubernetes audit events are read from the web server endpoint /k8s-audit');
    await stop.wait();
    return;
  }
  if (input.kind === 'webhook') {
    let server: AuditWebhookServer;
    try {
      server = await AuditWebhookServer.start(input, limits.sslCertificate, k8sAuditWebhook(ctx, engine, alerts, hostname, metrics));
    } catch (e) {
      throw runErrors.unavailable('k8s_audit source', (e as Error).message);
    }
    ctx.logger.info(`Kubernetes audit webhook listening on ${input.tls ? 'https' : 'http'}://${input.host}:${server.port}${input.endpoint}${limits.bearerToken ? ' (bearer token required)' : ''}`);
    try {
      await stop.wait();
    } finally {
      await server.close();
    }
    return;
  }
  let events: AuditEvent[];
  try {
    // The k8saudit plugin's words for a document that is not an audit event (it goes on reading).
    events = readAuditFile(input.path, nowNs, (where) => ctx.logger.warning(`${input.path}: ${where}: data not recognized as a k8s audit event`));
  } catch (e) {
    throw runErrors.input((e as Error).message);
  }
  ctx.logger.info(`Read ${events.length} Kubernetes audit events from ${input.path}`);
  evaluate(events, current(engine), alerts, ctx.config.ruleMatching, hostname);
}
