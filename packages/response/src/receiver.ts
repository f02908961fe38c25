/**
 * The Talon-compatible receiver: `POST /` with Falco's JSON alert (what Falco's `http_output` and
 * Falcosidekick's Talon output send), answered at once with 200 while the engine acts in the
 * background, `GET /healthz`. Bodies are bounded; a bad body gets 400 with Talon's wording.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeEvent } from './event';
import type { ResponseEngine } from './engine';

export interface ReceiverOptions {
  readonly address?: string;
  /** Default 2803 (Talon's); 0 picks a free port. */
  readonly port?: number;
  readonly maxBodyBytes?: number;
  readonly log?: (line: string) => void;
}

export interface Receiver {
  readonly port: number;
  readonly address: string;
  /** Alerts received and queued / rejected as not decodable. */
  readonly stats: { received: number; rejected: number };
  close(): Promise<void>;
}

export async function startReceiver(engine: ResponseEngine, options: ReceiverOptions = {}): Promise<Receiver> {
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const stats = { received: 0, rejected: 0 };
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (url === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status": "ok"}');
      return;
    }
    if (url !== '/') {
      res.writeHead(404).end();
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Please send with POST http method\n');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBody) {
        stats.rejected++;
        res.writeHead(413, { Connection: 'close' }).end('request body too large\n');
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (size > maxBody) return;
      try {
        const event = decodeEvent(Buffer.concat(chunks).toString('utf8'));
        stats.received++;
        engine.submit(event);
        res.writeHead(200).end();
      } catch (err) {
        stats.rejected++;
        options.log?.(`response receiver: ${err instanceof Error ? err.message : String(err)}`);
        res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Please send a valid request body\n');
      }
    });
    req.on('error', () => res.destroy());
  });
  server.requestTimeout = 10000;
  server.headersTimeout = 10000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 2803, options.address ?? '0.0.0.0', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return {
    port: addr.port,
    address: addr.address,
    stats,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
