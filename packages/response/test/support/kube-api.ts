/**
 * A local server speaking the Kubernetes API's wire protocol for single objects: GET, DELETE,
 * PATCH (JSON merge patch, RFC 7386), POST (201, `generateName` honoured) and PUT on the paths
 * the actions use, `Status` bodies with the API's codes for missing or conflicting objects. The
 * store starts from objects shaped like real API responses; every request is recorded so a test
 * can assert exactly what was sent (and that dry-run sent nothing). No live cluster is involved.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: unknown;
}

type Obj = Record<string, unknown>;

function status(code: number, reason: string, message: string): Obj {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Obj = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Obj) } : {};
  for (const [k, v] of Object.entries(patch as Obj)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export class KubeApiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly objects = new Map<string, Obj>();
  private server: http.Server | undefined;
  private version = 100;
  url = '';

  /** Seeds an object at its API path (e.g. `/api/v1/namespaces/ns/pods/name`). */
  put(path: string, object: Obj): void {
    this.objects.set(path, object);
  }

  get(path: string): Obj | undefined {
    return this.objects.get(path);
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const body = text ? (JSON.parse(text) as unknown) : undefined;
        const path = (req.url ?? '/').split('?')[0]!;
        this.requests.push({ method: req.method ?? '', path, contentType: req.headers['content-type'], body });
        const [code, answer] = this.answer(req.method ?? 'GET', path, body, req.headers['content-type']);
        res.writeHead(code, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((r) => {
      if (!this.server) return r();
      this.server.close(() => r());
      this.server.closeAllConnections();
    });
  }

  private answer(method: string, path: string, body: unknown, contentType: string | undefined): [number, Obj] {
    const existing = this.objects.get(path);
    const name = path.split('/').pop();
    const stamp = (o: Obj): Obj => ({ ...o, metadata: { ...(o.metadata as Obj), resourceVersion: String(++this.version) } });
    switch (method) {
      case 'GET':
        return existing ? [200, existing] : [404, status(404, 'NotFound', `${name} not found`)];
      case 'DELETE':
        if (!existing) return [404, status(404, 'NotFound', `${name} not found`)];
        this.objects.delete(path);
        return [200, existing];
      case 'PATCH': {
        if (!existing) return [404, status(404, 'NotFound', `${name} not found`)];
        if (contentType !== 'application/merge-patch+json') return [415, status(415, 'UnsupportedMediaType', `unsupported patch type ${contentType}`)];
        const patched = stamp(mergePatch(existing, body) as Obj);
        this.objects.set(path, patched);
        return [200, patched];
      }
      case 'PUT': {
        if (!existing) return [404, status(404, 'NotFound', `${name} not found`)];
        const sent = body as Obj;
        if ((sent.metadata as Obj | undefined)?.resourceVersion !== (existing.metadata as Obj).resourceVersion) {
          return [409, status(409, 'Conflict', 'the object has been modified; please apply your changes to the latest version and try again')];
        }
        const replaced = stamp(sent);
        this.objects.set(path, replaced);
        return [200, replaced];
      }
      case 'POST': {
        const sent = body as Obj;
        const meta = (sent.metadata as Obj | undefined) ?? {};
        const objName = (meta.name as string | undefined) ?? `${String(meta.generateName ?? 'obj-')}${Math.random().toString(36).slice(2, 7)}`;
        const at = `${path}/${objName}`;
        if (this.objects.has(at)) return [409, status(409, 'AlreadyExists', `${objName} already exists`)];
        const created = stamp({ ...sent, metadata: { ...meta, name: objName } });
        this.objects.set(at, created);
        return [201, created];
      }
      default:
        return [405, status(405, 'MethodNotAllowed', method)];
    }
  }
}
