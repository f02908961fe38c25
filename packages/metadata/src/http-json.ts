// A small JSON GET over node's http/https with a timeout, for the polled HTTP APIs (Mesos,
// Marathon). Errors name the URL and the status so health reports are actionable.
import http from 'node:http';
import https from 'node:https';

export class HttpStatusError extends Error {
  override name = 'HttpStatusError';
  constructor(
    readonly statusCode: number,
    readonly url: string,
  ) {
    super(`HTTP ${statusCode} from ${url}`);
  }
}

export function getJson(url: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const client = url.startsWith('https:') ? https : http;
    const req = client.get(url, { timeout: timeoutMs, headers: { Accept: 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new HttpStatusError(res.statusCode ?? 0, url));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (err) {
          reject(new Error(`invalid JSON from ${url}: ${err instanceof Error ? err.message : String(err)}`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/** The Authorization header of HTTP basic credentials (none without them). */
export function basicAuth(credentials: { readonly user: string; readonly password: string } | undefined): Record<string, string> {
  return credentials ? { Authorization: `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}` } : {};
}
