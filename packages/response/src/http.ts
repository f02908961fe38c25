/**
 * One small JSON request helper over node's http/https or a unix socket, with a deadline, used by
 * the container runtime client, the Kubernetes client and the notifiers. Errors carry the status
 * and the start of the response body so a failed action says why.
 */
import http from 'node:http';
import https from 'node:https';

export interface HttpRequest {
  readonly method: string;
  /** `http(s)://host:port/path` or, with `socketPath`, just the path. */
  readonly url: string;
  readonly socketPath?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs?: number;
  readonly ca?: string | Buffer;
  readonly insecure?: boolean;
}

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what}: HTTP ${status}${body ? ` ${body.slice(0, 300).trim()}` : ''}`);
  }
}

const MAX_BODY = 4 * 1024 * 1024;

export function request(req: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const url = req.socketPath ? new URL(req.url, 'http://localhost') : new URL(req.url);
    const client = url.protocol === 'https:' ? https : http;
    const options: https.RequestOptions = {
      method: req.method,
      headers: { ...(req.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(req.body)) } : {}), ...req.headers },
      timeout: req.timeoutMs ?? 10000,
      ...(req.socketPath
        ? { socketPath: req.socketPath, path: url.pathname + url.search }
        : { protocol: url.protocol, hostname: url.hostname.replace(/^\[|\]$/g, ''), port: url.port, path: url.pathname + url.search }),
      ...(req.ca ? { ca: req.ca } : {}),
      ...(req.insecure ? { rejectUnauthorized: false } : {}),
    };
    const r = client.request(options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_BODY) chunks.push(c);
      });
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    r.on('timeout', () => r.destroy(new Error(`${req.method} ${req.url}: timed out after ${req.timeoutMs ?? 10000} ms`)));
    r.on('error', reject);
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

/** `request` that fails on any status outside 2xx. */
export async function requestOk(req: HttpRequest, what: string): Promise<HttpResponse> {
  const res = await request(req);
  if (res.status < 200 || res.status >= 300) throw new HttpError(res.status, res.body, what);
  return res;
}
