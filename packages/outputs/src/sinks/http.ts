/**
 * `http_output`: one POST per alert, as Falco does, and accepted by Falcosidekick when
 * `json_output` is on. Keep-alive, gzip, CA and mTLS options use Falco's key names.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { formatJson, formatText, type Alert } from '@falco-ts/alert';
import { configError, deliveryError } from '../errors';
import { defineSink } from '../sink';

const gzipAsync = promisify(gzip);

function readPem(key: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw configError(key, `cannot read ${path}: ${(err as Error).message}`, path);
  }
}

/** Every PEM file in `dir` (Falco's `ca_path`); a missing directory is not an error, as in Falco. */
function readCaDir(dir: string): Buffer[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => /\.(pem|crt)$/.test(n)).map((n) => readFileSync(join(dir, n)));
}

function parseUrl(text: string): URL {
  if (text === '') throw configError('http_output.url', 'is required when http_output is enabled');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw configError('http_output.url', 'is not a valid URL', text);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw configError('http_output.url', 'must be http:// or https://', text);
  return url;
}

/** 408 and 429 and every 5xx are worth repeating; any other 4xx means this alert will never be accepted. */
function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export const httpSink = defineSink({
  name: 'http',
  section: 'http_output',
  summary: 'POSTs each alert to a URL (JSON when `json_output` is on, else text); Falcosidekick-compatible.',
  spoolable: true,
  configSchema: {
    enabled: { type: 'boolean', default: false, doc: 'POST alerts to `url`.' },
    url: { type: 'string', default: '', doc: 'The receiver, `http://` or `https://`.' },
    user_agent: { type: 'string', default: 'falcosecurity/falco', doc: 'The User-Agent header.' },
    insecure: { type: 'boolean', default: false, doc: 'Do not verify the server certificate.' },
    ca_cert: { type: 'string', default: '', doc: 'A PEM file with the CA certificate to trust.' },
    ca_bundle: { type: 'string', default: '', doc: 'A PEM bundle of CA certificates to trust.' },
    ca_path: { type: 'string', default: '/etc/falco/certs/', doc: 'A directory whose `.pem`/`.crt` files are trusted CA certificates.' },
    mtls: { type: 'boolean', default: false, doc: 'Present `client_cert` and `client_key` (mutual TLS).' },
    client_cert: { type: 'string', default: '/etc/falco/certs/client/client.crt', doc: 'Client certificate for mTLS.' },
    client_key: { type: 'string', default: '/etc/falco/certs/client/client.key', doc: 'Client key for mTLS.' },
    echo: { type: 'boolean', default: false, doc: "Log the receiver's response body." },
    compress_uploads: { type: 'boolean', default: false, doc: 'gzip the body (`Content-Encoding: gzip`).' },
    keep_alive: { type: 'boolean', default: false, doc: 'Reuse one connection for successive alerts.' },
    timeout_ms: { type: 'integer', default: 5000, min: 1, doc: 'Give up on one request after this long (then retry).' },
    max_in_flight: {
      type: 'integer',
      default: 1,
      min: 1,
      doc: 'Requests sent at once. 1 (as Falco) keeps alerts in order; more raises throughput, the receiver may see alerts out of order, and a failed request makes its whole group be sent again.',
    },
  },
  validate(config) {
    parseUrl(config.url);
  },
  create(config, ctx) {
    const url = parseUrl(config.url);
    const tls = url.protocol === 'https:';
    const tlsOptions: { ca?: Buffer[]; cert?: Buffer; key?: Buffer; rejectUnauthorized?: boolean } = {};
    if (tls) {
      const ca = [
        ...(config.ca_cert !== '' ? [readPem('http_output.ca_cert', config.ca_cert)] : []),
        ...(config.ca_bundle !== '' ? [readPem('http_output.ca_bundle', config.ca_bundle)] : []),
        ...readCaDir(config.ca_path),
      ];
      if (ca.length > 0) tlsOptions.ca = ca;
      if (config.mtls) {
        tlsOptions.cert = readPem('http_output.client_cert', config.client_cert);
        tlsOptions.key = readPem('http_output.client_key', config.client_key);
      }
      tlsOptions.rejectUnauthorized = !config.insecure;
    }
    const agentOptions = { keepAlive: config.keep_alive, maxSockets: config.max_in_flight };
    const agent = tls ? new HttpsAgent({ ...agentOptions, ...tlsOptions }) : new HttpAgent(agentOptions);
    const request = tls ? httpsRequest : httpRequest;
    const json = ctx.format.json;
    const contentType = json ? 'application/json' : 'text/plain';

    const post = (body: Buffer, gzipped: boolean): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        const headers: OutgoingHttpHeaders = {
          'Content-Type': contentType,
          'User-Agent': config.user_agent,
          'Content-Length': body.length,
        };
        if (gzipped) headers['Content-Encoding'] = 'gzip';
        const req = request(url, { method: 'POST', agent, headers, timeout: config.timeout_ms }, (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (config.echo) ctx.log(`http: ${status} ${Buffer.concat(chunks).toString('utf8')}`);
            if (status >= 200 && status < 300) return resolve();
            const text = Buffer.concat(chunks).toString('utf8').slice(0, 200).trim();
            reject(deliveryError('http', `${url.origin} answered ${status}`, text === '' ? undefined : text, retryableStatus(status)));
          });
          res.on('error', (err) => reject(deliveryError('http', err.message)));
        });
        req.on('timeout', () => req.destroy(new Error(`no response within ${config.timeout_ms} ms`)));
        req.on('error', (err) => reject(deliveryError('http', `${url.origin}: ${err.message}`, (err as NodeJS.ErrnoException).code)));
        req.end(body);
      });

    const body = (alert: Alert): Buffer => Buffer.from(json ? formatJson(alert, ctx.format) : formatText(alert, ctx.format.timeIso8601));
    const postOne = async (raw: Buffer): Promise<void> => post(config.compress_uploads ? await gzipAsync(raw) : raw, config.compress_uploads);
    return {
      send: (alert) => postOne(body(alert)),
      ...(config.max_in_flight > 1
        ? {
            // Still one POST per alert; up to max_in_flight of them at a time.
            async sendBatch(alerts: readonly Alert[]) {
              const bodies = alerts.map(body);
              for (let i = 0; i < bodies.length; i += config.max_in_flight) {
                await Promise.all(bodies.slice(i, i + config.max_in_flight).map(postOne));
              }
            },
          }
        : {}),
      async close() {
        agent.destroy();
      },
    };
  },
});
