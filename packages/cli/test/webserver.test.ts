import { FalcoMetrics } from '@falco-ts/outputs';
import { WebServer, type HealthCheck } from '../src/webserver';

async function get(port: number, path: string, init?: RequestInit): Promise<{ status: number; body: string }> {
  const r = await fetch(`http://127.0.0.1:${port}${path}`, init);
  return { status: r.status, body: await r.text() };
}

describe('web server', () => {
  let server: WebServer;
  let checks: HealthCheck[] = [];
  const audit: string[] = [];

  beforeAll(async () => {
    server = await WebServer.start({
      listenAddress: '127.0.0.1',
      listenPort: 0,
      healthzEndpoint: '/healthz',
      health: () => checks,
      metrics: new FalcoMetrics({ version: '0.1.0' }),
      k8sAudit: (body) => {
        try {
          JSON.parse(body);
        } catch {
          return 'body is not JSON';
        }
        audit.push(body);
        return undefined;
      },
    });
  });
  afterAll(() => server.close());

  it('reports health from the live checks', async () => {
    checks = [{ name: 'driver', ok: true, detail: 'attached' }];
    expect(await get(server.port, '/healthz')).toMatchObject({ status: 200 });
    checks = [{ name: 'events', ok: false, detail: 'no event for 120 s' }];
    const bad = await get(server.port, '/healthz');
    expect(bad.status).toBe(503);
    expect(JSON.parse(bad.body)).toEqual({ status: 'unhealthy', checks });
  });

  it('serves versions and Prometheus metrics', async () => {
    const v = await get(server.port, '/versions');
    expect(JSON.parse(v.body)).toHaveProperty('engine_version');
    const m = await get(server.port, '/metrics');
    expect(m.status).toBe(200);
    expect(m.body).toContain('falcosecurity_falco_');
  });

  it('accepts audit events on the webhook and rejects bad bodies', async () => {
    expect((await get(server.port, '/k8s-audit', { method: 'POST', body: '{"kind":"Event"}' })).status).toBe(200);
    expect((await get(server.port, '/k8s-audit', { method: 'POST', body: 'nope' })).status).toBe(400);
    expect(audit).toEqual(['{"kind":"Event"}']);
    expect((await get(server.port, '/nope')).status).toBe(404);
  });
});
