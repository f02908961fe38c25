// A local server speaking the Kubernetes API wire protocol to the real @kubernetes/client-node:
// list responses with a collection resourceVersion, `?watch=true` streams of chunked JSON lines
// resumed from a resourceVersion, an ERROR event with a 410 Status when that version has been
// compacted away, and injectable HTTP errors. It starts from recorded-shape list responses in
// test/fixtures/k8s/. No live cluster is involved.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

interface KubeObject {
  metadata: { name: string; namespace?: string; resourceVersion?: string; [k: string]: unknown };
  spec?: { nodeName?: string; [k: string]: unknown };
  [k: string]: unknown;
}

interface Collection {
  readonly kind: string;
  readonly apiVersion: string;
  readonly objects: Map<string, KubeObject>;
}

interface WatchEvent {
  readonly rv: number;
  readonly path: string;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: KubeObject;
}

interface Watcher {
  readonly path: string;
  readonly fieldSelector: string | undefined;
  readonly res: http.ServerResponse;
}

export const RESOURCE_PATHS: Record<string, string> = {
  pods: '/api/v1/pods',
  namespaces: '/api/v1/namespaces',
  services: '/api/v1/services',
  replicationcontrollers: '/api/v1/replicationcontrollers',
  deployments: '/apis/apps/v1/deployments',
  replicasets: '/apis/apps/v1/replicasets',
  networkpolicies: '/apis/networking.k8s.io/v1/networkpolicies',
  nodes: '/api/v1/nodes',
  endpointslices: '/apis/discovery.k8s.io/v1/endpointslices',
};

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'k8s');

const key = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export class FakeKubeApiServer {
  readonly requests: { method: string; path: string; query: URLSearchParams; authorization?: string }[] = [];
  private readonly collections = new Map<string, Collection>();
  private readonly history: WatchEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  private readonly failures = new Map<string, number[]>();
  private server: http.Server | undefined;
  private rv = 1000;
  private compactedBelow = 0;
  port = 0;

  constructor(private readonly tls?: { key: string; cert: string }) {
    for (const [name, p] of Object.entries(RESOURCE_PATHS)) {
      const list = JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as {
        kind: string;
        apiVersion: string;
        items: KubeObject[];
      };
      const objects = new Map(list.items.map((o) => [key(o), o]));
      this.collections.set(p, { kind: list.kind, apiVersion: list.apiVersion, objects });
    }
  }

  get url(): string {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  async start(port = this.port): Promise<void> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => this.handle(req, res);
    this.server = this.tls ? https.createServer(this.tls, handler) : http.createServer(handler);
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Stop answering (connections refused) until `start()` again on the same port. */
  async stop(): Promise<void> {
    this.closeWatches();
    const s = this.server;
    this.server = undefined;
    if (s) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  }

  /** End every open watch stream, as an API server does on its own timeout or restart. */
  closeWatches(): void {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
  }

  /** Forget history: a watch resuming from an older resourceVersion gets 410 Gone. */
  compact(): void {
    this.compactedBelow = this.rv;
    this.history.length = 0;
  }

  /** Answer the next `count` requests for `resourcePath` (list or watch) with `status`. */
  failNext(resourcePath: string, status: number, count = 1): void {
    this.failures.set(resourcePath, [...(this.failures.get(resourcePath) ?? []), ...Array<number>(count).fill(status)]);
  }

  apply(resource: keyof typeof RESOURCE_PATHS, type: WatchEvent['type'], object: KubeObject): void {
    const p = RESOURCE_PATHS[resource]!;
    const collection = this.collections.get(p)!;
    this.rv++;
    const stamped = { ...object, metadata: { ...object.metadata, resourceVersion: String(this.rv) } };
    if (type === 'DELETED') collection.objects.delete(key(stamped));
    else collection.objects.set(key(stamped), stamped);
    const event: WatchEvent = { rv: this.rv, path: p, type, object: stamped };
    this.history.push(event);
    for (const w of this.watchers) if (w.path === p) this.send(w, event);
  }

  get(resource: keyof typeof RESOURCE_PATHS, namespace: string, name: string): KubeObject | undefined {
    return this.collections.get(RESOURCE_PATHS[resource]!)?.objects.get(`${namespace}/${name}`);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    if (url.pathname === '/version' || url.pathname === '/version/') {
      return json(res, 200, { major: '1', minor: '29', gitVersion: 'v1.29.4', platform: 'linux/amd64' });
    }
    const collection = this.collections.get(url.pathname);
    if (!collection) return json(res, 404, status(404, 'NotFound', `the server could not find the requested resource`));
    const queued = this.failures.get(url.pathname);
    const failure = queued?.shift();
    if (failure !== undefined) {
      return json(res, failure, status(failure, failure === 403 ? 'Forbidden' : 'InternalError', `injected failure ${failure}`));
    }
    const fieldSelector = url.searchParams.get('fieldSelector') ?? undefined;
    if (url.searchParams.get('watch') === 'true') return this.watch(url, collection, fieldSelector, res);
    const items = [...collection.objects.values()].filter((o) => matches(o, fieldSelector));
    json(res, 200, { kind: collection.kind, apiVersion: collection.apiVersion, metadata: { resourceVersion: String(this.rv) }, items });
  }

  private watch(url: URL, _c: Collection, fieldSelector: string | undefined, res: http.ServerResponse): void {
    const from = Number(url.searchParams.get('resourceVersion') ?? '0');
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    if (from < this.compactedBelow) {
      // What a real API server sends when the requested version is older than its compaction window.
      res.write(`${JSON.stringify({ type: 'ERROR', object: status(410, 'Expired', `too old resource version: ${from} (${this.compactedBelow})`) })}\n`);
      res.end();
      return;
    }
    const w: Watcher = { path: url.pathname, fieldSelector, res };
    for (const e of this.history) if (e.path === w.path && e.rv > from) this.send(w, e);
    this.watchers.add(w);
    res.on('close', () => this.watchers.delete(w));
  }

  private send(w: Watcher, e: WatchEvent): void {
    if (!matches(e.object, w.fieldSelector)) return;
    w.res.write(`${JSON.stringify({ type: e.type, object: e.object })}\n`);
  }
}

function matches(o: KubeObject, fieldSelector: string | undefined): boolean {
  if (!fieldSelector) return true;
  return fieldSelector.split(',').every((term) => {
    const [field, value] = term.split('=');
    if (field === 'spec.nodeName') return o.spec?.nodeName === value;
    if (field === 'metadata.namespace') return o.metadata.namespace === value;
    if (field === 'metadata.name') return o.metadata.name === value;
    return false;
  });
}

function status(code: number, reason: string, message: string) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function json(res: http.ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
