// A local HTTP server answering GET routes with JSON bodies (recorded-shape fixtures for the Mesos
// master and Marathon), with injectable failures and a stop/start that keeps the port.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export class JsonApiServer {
  readonly hits: string[] = [];
  private readonly routes = new Map<string, unknown>();
  private readonly failures: number[] = [];
  private server: http.Server | undefined;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** `route` is path plus query as the client sends it. */
  set(route: string, body: unknown): void {
    this.routes.set(route, body);
  }

  failNext(status: number, count = 1): void {
    for (let i = 0; i < count; i++) this.failures.push(status);
  }

  async start(port = this.port): Promise<void> {
    this.server = http.createServer((req, res) => {
      this.hits.push(req.url ?? '');
      const failure = this.failures.shift();
      const body = this.routes.get(req.url ?? '');
      const status = failure ?? (body === undefined ? 404 : 200);
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(status === 200 ? JSON.stringify(body) : JSON.stringify({ message: `status ${status}` }));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
