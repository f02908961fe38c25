/**
 * The embedded web server: `/healthz` (the configured `k8s_healthz_endpoint`) answers 200 when the
 * detector is healthy and 503 with the failing checks otherwise; `/versions` the version JSON;
 * `/metrics` the Prometheus metrics when `prometheus_metrics_enabled`; and, when a Kubernetes audit
 * consumer is attached, the audit webhook (`POST /k8s-audit`). With `webserver.ssl_enabled` it serves
 * HTTPS with `webserver.ssl_certificate`, one PEM file holding the private key and the certificate
 * chain, as Falco's falco.pem.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { metricsRequestHandler, type FalcoMetrics } from '@falco-ts/outputs';
import { versionInfo } from './version';

export interface HealthCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface WebServerOptions {
  listenAddress: string;
  listenPort: number;
  healthzEndpoint: string;
  /** Current health checks; the server is healthy when all pass. */
  health: () => HealthCheck[];
  metrics?: FalcoMetrics;
  /** Receives audit event bodies posted to `/k8s-audit`; resolves to an error text or undefined. */
  k8sAudit?: (body: string) => string | undefined;
  /** Largest accepted webhook body. */
  maxBodyBytes?: number;
  /** Handles `/k8s-audit` requests itself (token, limits, status codes); preferred over `k8sAudit`. */
  k8sAuditHandler?: (req: IncomingMessage, res: ServerResponse) => void;
  /** Serve HTTPS with this PEM file (private key and certificate chain in one file). */
  sslCertificate?: string;
}

/** A server for `handler`: HTTPS from the PEM file when one is given, else plain HTTP. */
function listener(handler: RequestListener, sslCertificate: string | undefined): Server {
  if (sslCertificate === undefined) return createServer(handler);
  let pem: string;
  try {
    pem = readFileSync(sslCertificate, 'utf8');
  } catch (e) {
    throw new Error(`cannot read webserver.ssl_certificate ${sslCertificate}: ${(e as Error).message}`);
  }
  return createHttpsServer({ key: pem, cert: pem }, handler) as unknown as Server;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(`${JSON.stringify(body)}\n`);
}

function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (b: Buffer) => {
      size += b.length;
      if (size > max) {
        resolve(undefined);
        req.destroy();
        return;
      }
      parts.push(b);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

export class WebServer {
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(opts: WebServerOptions): Promise<WebServer> {
    const metricsHandler = opts.metrics ? metricsRequestHandler(opts.metrics) : undefined;
    const server = listener((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET' && path === opts.healthzEndpoint) {
        const checks = opts.health();
        const ok = checks.every((c) => c.ok);
        sendJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'unhealthy', checks });
      } else if (req.method === 'GET' && path === '/versions') {
        sendJson(res, 200, versionInfo());
      } else if (req.method === 'GET' && path === '/metrics' && metricsHandler) {
        metricsHandler(req, res);
      } else if (path === '/k8s-audit' && opts.k8sAuditHandler) {
        opts.k8sAuditHandler(req, res);
      } else if (req.method === 'POST' && path === '/k8s-audit' && opts.k8sAudit) {
        const consume = opts.k8sAudit;
        readBody(req, opts.maxBodyBytes ?? 8 << 20).then(
          (body) => {
            if (body === undefined) return sendJson(res, 413, { error: 'request body too large' });
            const err = consume(body);
            if (err) sendJson(res, 400, { error: err });
            else sendJson(res, 200, { status: 'ok' });
          },
          (e: Error) => sendJson(res, 400, { error: e.message }),
        );
      } else {
        sendJson(res, 404, { error: `no such endpoint: ${req.method ?? ''} ${path ?? ''}` });
      }
    }, opts.sslCertificate);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.listenPort, opts.listenAddress, () => {
        server.off('error', reject);
        resolve(new WebServer(server, (server.address() as AddressInfo).port));
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}
