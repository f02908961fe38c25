/**
 * A local HTTP receiver that applies Falcosidekick's acceptance rules to each POST: the body must
 * be a JSON alert with a known priority, a non-empty rule, a non-zero time, and non-empty
 * output_fields; anything else gets 400, as Falcosidekick answers. It can be stopped and started
 * on the same port to simulate an outage.
 */
import { createServer as createHttp } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { gunzipSync } from 'node:zlib';
import { freePort } from './net';

const PRIORITIES = new Set(['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'info', 'debug']);

export interface ReceivedAlert {
  readonly body: Record<string, unknown>;
  readonly headers: IncomingMessage['headers'];
}

/** Falcosidekick's checks on a decoded payload; returns why it is rejected, or undefined. */
export function sidekickRejects(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return 'not a JSON object';
  const p = payload as Record<string, unknown>;
  if (typeof p.priority !== 'string' || !PRIORITIES.has(p.priority.toLowerCase())) return 'missing or unknown priority';
  if (typeof p.rule !== 'string' || p.rule === '') return 'missing rule';
  if (typeof p.time !== 'string' || Number.isNaN(Date.parse(p.time)) || Date.parse(p.time) <= 0) return 'missing or zero time';
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(p.time)) return 'time is not RFC 3339';
  const f = p.output_fields;
  if (typeof f !== 'object' || f === null || Array.isArray(f) || Object.keys(f).length === 0) return 'empty output_fields';
  return undefined;
}

export class SidekickReceiver {
  readonly accepted: ReceivedAlert[] = [];
  readonly rejected: { reason: string; raw: string }[] = [];
  /** Connections seen: fewer than requests means keep-alive worked. */
  connections = 0;
  private server: Server | undefined;

  private constructor(
    readonly port: number,
    private readonly tls?: { key: Buffer; cert: Buffer; ca: Buffer },
  ) {}

  static async start(tls?: { key: Buffer; cert: Buffer; ca: Buffer }): Promise<SidekickReceiver> {
    const r = new SidekickReceiver(await freePort(), tls);
    await r.up();
    return r;
  }

  get url(): string {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.port}/`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let raw = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
      const text = raw.toString('utf8');
      const reject = (reason: string): void => {
        this.rejected.push({ reason, raw: text });
        res.writeHead(400, { 'Content-Type': 'text/plain' });
        res.end('Please send a valid request body\n');
      };
      if (req.method !== 'POST') return reject('not POST');
      let payload: unknown;
      try {
        payload = JSON.parse(text);
      } catch {
        return reject('invalid JSON');
      }
      const why = sidekickRejects(payload);
      if (why !== undefined) return reject(why);
      this.accepted.push({ body: payload as Record<string, unknown>, headers: req.headers });
      res.writeHead(200);
      res.end();
    });
  }

  up(): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse): void => this.handle(req, res);
    const srv = this.tls
      ? createHttps({ key: this.tls.key, cert: this.tls.cert, ca: this.tls.ca, requestCert: true, rejectUnauthorized: true }, handler)
      : createHttp(handler);
    srv.on('connection', () => this.connections++);
    srv.keepAliveTimeout = 5000;
    this.server = srv;
    return new Promise((resolve) => srv.listen(this.port, '127.0.0.1', () => resolve()));
  }

  down(): Promise<void> {
    const srv = this.server;
    this.server = undefined;
    if (srv === undefined) return Promise.resolve();
    return new Promise((resolve) => {
      srv.close(() => resolve());
      srv.closeAllConnections();
    });
  }
}
