/**
 * The Kubernetes audit webhook over HTTP: the request handler shared by the detector's web server
 * (`POST /k8s-audit`) and by the k8saudit plugin's own listener (`open_params:
 * http(s)://host:port/path`, as Falco's plugin runs it), with the bearer token, body and event size
 * limits, and all-or-nothing acceptance: 200 only after every event of the body was evaluated.
 * Refusals are 4xx with a JSON `{error, code}` body and counted; the detector keeps running.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  AuditInputError,
  bearerTokenMatches,
  parseWebhookBody,
  webhookRejection,
  type AuditEvent,
  type AuditWebhookLimits,
  type WebhookRejection,
} from '@falco-ts/engine';
import type * as PromClient from 'prom-client';
import type { Registry } from 'prom-client';

/** Outcomes a request is counted under (`result` label). */
export type WebhookResult = 'accepted' | WebhookRejection['reason'] | 'method_not_allowed';

export interface AuditWebhookCounters {
  request(result: WebhookResult): void;
  events(n: number): void;
}

const countersByRegistry = new WeakMap<Registry, AuditWebhookCounters>();

/**
 * `falcosecurity_falco_k8saudit_webhook_requests_total{result}` and
 * `falcosecurity_falco_k8saudit_webhook_events_total` on a metrics registry (one set per registry,
 * so a configuration reload that builds a new handler keeps counting).
 */
export function webhookCounters(registry: Registry | undefined): AuditWebhookCounters {
  if (!registry) return { request: () => undefined, events: () => undefined };
  const known = countersByRegistry.get(registry);
  if (known) return known;
  // A registry exists only when metrics are on; loading prom-client here rather than at import
  // keeps it out of the start-up of runs without metrics.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Counter } = require('prom-client') as typeof PromClient;
  const requests = new Counter({
    name: 'falcosecurity_falco_k8saudit_webhook_requests_total',
    help: 'Kubernetes audit webhook requests by result (accepted, bad_json, not_audit_event, too_large, unauthorized, method_not_allowed)',
    labelNames: ['result'],
    registers: [registry],
  });
  const events = new Counter({ name: 'falcosecurity_falco_k8saudit_webhook_events_total', help: 'Kubernetes audit events accepted by the webhook', registers: [registry] });
  const counters: AuditWebhookCounters = { request: (result) => requests.inc({ result }), events: (n) => events.inc(n) };
  countersByRegistry.set(registry, counters);
  return counters;
}

export interface AuditWebhookOptions {
  readonly limits: AuditWebhookLimits;
  /** Evaluates accepted events (synchronously, so the 200 means they went through the rules). */
  readonly consume: (events: readonly AuditEvent[]) => void;
  readonly counters: AuditWebhookCounters;
  /** Clock for events without timestamps. */
  readonly nowNs: () => bigint;
  /** Told about every refusal (a warning in the log). */
  readonly onReject?: (rejection: WebhookRejection) => void;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(`${JSON.stringify(body)}\n`);
}

/** Handles one `POST` of audit events; the caller routes the path. */
export function auditRequestHandler(opts: AuditWebhookOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { limits, counters } = opts;
  let accepted = 0;
  const reject = (res: ServerResponse, r: WebhookRejection, headers: Record<string, string> = {}): void => {
    counters.request(r.reason);
    opts.onReject?.(r);
    send(res, r.status, { error: r.message, code: r.reason }, headers);
  };
  return (req, res) => {
    if (req.method !== 'POST') {
      counters.request('method_not_allowed');
      send(res, 405, { error: `the audit webhook takes POST, not ${req.method ?? ''}`, code: 'method_not_allowed' }, { Allow: 'POST' });
      return;
    }
    if (limits.bearerToken !== undefined && !bearerTokenMatches(req.headers.authorization, limits.bearerToken)) {
      req.resume();
      reject(res, { status: 401, reason: 'unauthorized', message: 'missing or wrong bearer token' }, { 'WWW-Authenticate': 'Bearer realm="k8s-audit"' });
      return;
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limits.maxBodyBytes) {
      // Refuse before reading; closing the connection stops the client sending the rest.
      res.setHeader('Connection', 'close');
      reject(res, { status: 413, reason: 'too_large', message: `request body of ${declared} bytes is over the ${limits.maxBodyBytes}-byte limit (webhookMaxBatchSize)` });
      req.resume();
      return;
    }
    const parts: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (b: Buffer) => {
      if (done) return;
      size += b.length;
      if (size > limits.maxBodyBytes) {
        done = true;
        res.setHeader('Connection', 'close');
        reject(res, { status: 413, reason: 'too_large', message: `request body is over the ${limits.maxBodyBytes}-byte limit (webhookMaxBatchSize)` });
        return;
      }
      parts.push(b);
    });
    req.on('error', () => {
      done = true;
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      let events: AuditEvent[];
      try {
        events = parseWebhookBody(Buffer.concat(parts).toString('utf8'), limits, accepted, opts.nowNs);
      } catch (e) {
        if (!(e instanceof AuditInputError)) throw e;
        reject(res, webhookRejection(e));
        return;
      }
      opts.consume(events);
      accepted += events.length;
      counters.request('accepted');
      counters.events(events.length);
      send(res, 200, { status: 'ok', accepted: events.length });
    });
  };
}

export class AuditWebhookServerError extends Error {
  override readonly name = 'AuditWebhookServerError';
  readonly code = 'K8SAUDIT_WEBHOOK_START';
  constructor(
    message: string,
    readonly context: { readonly address: string },
  ) {
    super(message);
  }
}

/** The plugin's own listener for an `http(s)://host:port/path` `open_params`. */
export class AuditWebhookServer {
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(
    input: { tls: boolean; host: string; port: number; endpoint: string },
    sslCertificate: string,
    handle: (req: IncomingMessage, res: ServerResponse) => void,
  ): Promise<AuditWebhookServer> {
    const address = `${input.tls ? 'https' : 'http'}://${input.host}:${input.port}${input.endpoint}`;
    const route = (req: IncomingMessage, res: ServerResponse): void => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === input.endpoint) handle(req, res);
      else send(res, 404, { error: `no such endpoint: ${path ?? ''}`, code: 'not_found' });
    };
    let server: Server;
    if (input.tls) {
      let pem: string;
      try {
        pem = readFileSync(sslCertificate, 'utf8');
      } catch (e) {
        throw new AuditWebhookServerError(`cannot read the webhook TLS certificate ${sslCertificate} (init_config.sslCertificate): ${(e as Error).message}`, { address });
      }
      // Falco's falco.pem convention: one file holding the private key and the certificate chain.
      server = createHttpsServer({ key: pem, cert: pem }, route) as unknown as Server;
    } else {
      server = createHttpServer(route);
    }
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e) => reject(new AuditWebhookServerError(`cannot listen on ${address}: ${e.message}`, { address })));
      server.listen(input.port, input.host, () => resolve());
    });
    return new AuditWebhookServer(server, (server.address() as AddressInfo).port);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}
