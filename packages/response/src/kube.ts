/**
 * The slice of the Kubernetes API the actions use, over plain HTTPS with a bearer token: in the
 * cluster from the service account (`KUBERNETES_SERVICE_HOST`, the mounted token and CA), outside
 * from a kubeconfig's current context (server, CA, token). Every request goes through `send`, so
 * a test can count them and dry-run can prove it made none.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { configError } from './errors';
import { HttpError, request, type HttpResponse } from './http';

export interface KubeConnection {
  /** `https://host:port` (or `http://` for a local server). */
  readonly server: string;
  readonly token?: string;
  readonly ca?: string | Buffer;
  readonly insecure?: boolean;
  readonly timeoutMs?: number;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export class KubeClient {
  constructor(readonly connection: KubeConnection) {}

  static inCluster(): KubeClient {
    const host = process.env.KUBERNETES_SERVICE_HOST;
    const port = process.env.KUBERNETES_SERVICE_PORT ?? '443';
    if (!host) throw configError('response.kubernetes', 'not running in a cluster (KUBERNETES_SERVICE_HOST is not set) and no kubeconfig given');
    return new KubeClient({
      server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
      token: readFileSync(`${SA_DIR}/token`, 'utf8').trim(),
      ca: readFileSync(`${SA_DIR}/ca.crt`),
    });
  }

  static fromKubeconfig(path: string): KubeClient {
    const doc = parseYaml(readFileSync(path, 'utf8')) as {
      'current-context'?: string;
      contexts?: { name: string; context: { cluster: string; user: string } }[];
      clusters?: { name: string; cluster: { server: string; 'certificate-authority-data'?: string; 'certificate-authority'?: string; 'insecure-skip-tls-verify'?: boolean } }[];
      users?: { name: string; user: { token?: string; tokenFile?: string } }[];
    };
    const ctx = doc.contexts?.find((c) => c.name === doc['current-context'])?.context;
    const cluster = doc.clusters?.find((c) => c.name === ctx?.cluster)?.cluster;
    if (!ctx || !cluster) throw configError('response.kubernetes.kubeconfig', `${path}: no current context with a cluster`);
    const user = doc.users?.find((u) => u.name === ctx.user)?.user ?? {};
    const token = user.token ?? (user.tokenFile ? readFileSync(user.tokenFile, 'utf8').trim() : undefined);
    const ca = cluster['certificate-authority-data']
      ? Buffer.from(cluster['certificate-authority-data'], 'base64')
      : cluster['certificate-authority']
        ? readFileSync(cluster['certificate-authority'])
        : undefined;
    return new KubeClient({ server: cluster.server, ...(token ? { token } : {}), ...(ca ? { ca } : {}), insecure: cluster['insecure-skip-tls-verify'] === true });
  }

  async send(method: string, path: string, body?: Json, contentType = 'application/json'): Promise<HttpResponse> {
    const c = this.connection;
    return request({
      method,
      url: `${c.server.replace(/\/$/, '')}${path}`,
      headers: {
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': contentType } : {}),
        ...(c.token ? { Authorization: `Bearer ${c.token}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      timeoutMs: c.timeoutMs ?? 10000,
      ...(c.ca ? { ca: c.ca } : {}),
      ...(c.insecure ? { insecure: true } : {}),
    });
  }

  private async ok(method: string, path: string, body?: Json, contentType?: string): Promise<Json> {
    const res = await this.send(method, path, body, contentType);
    if (res.status < 200 || res.status >= 300) throw new HttpError(res.status, kubeMessage(res.body), `${method} ${path}`);
    return res.body ? (JSON.parse(res.body) as Json) : null;
  }

  get(path: string): Promise<Json> {
    return this.ok('GET', path);
  }

  /** GET that answers undefined on 404. */
  async find(path: string): Promise<Json | undefined> {
    const res = await this.send('GET', path);
    if (res.status === 404) return undefined;
    if (res.status < 200 || res.status >= 300) throw new HttpError(res.status, kubeMessage(res.body), `GET ${path}`);
    return JSON.parse(res.body) as Json;
  }

  delete(path: string, body?: Json): Promise<Json> {
    return this.ok('DELETE', path, body);
  }

  mergePatch(path: string, body: Json): Promise<Json> {
    return this.ok('PATCH', path, body, 'application/merge-patch+json');
  }

  post(path: string, body: Json): Promise<Json> {
    return this.ok('POST', path, body);
  }

  put(path: string, body: Json): Promise<Json> {
    return this.ok('PUT', path, body);
  }
}

/** The API server's Status message when it sent one. */
function kubeMessage(body: string): string {
  try {
    const status = JSON.parse(body) as { message?: string };
    return status.message ?? body;
  } catch {
    return body;
  }
}
