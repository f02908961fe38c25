import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

// falcosecurity/falco userspace/falco/configuration.cpp (webserver.ssl_enabled, ssl_certificate):
// with TLS on, /healthz and /metrics are served over HTTPS with the one-file PEM (key + chain).
describe('web server over TLS', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'falco-web-tls-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const httpsGet = (port: number, path: string, ca: string): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const req = https.get({ host: '127.0.0.1', port, path, ca, servername: 'localhost' }, (res) => {
        let body = '';
        res.on('data', (b: Buffer) => (body += b.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
    });

  it('serves HTTPS with webserver.ssl_certificate and refuses plain HTTP', async () => {
    const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]);
    expect(r.status).toBe(0);
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const pem = join(dir, 'falco.pem');
    writeFileSync(pem, readFileSync(join(dir, 'key.pem'), 'utf8') + cert);
    const server = await WebServer.start({ listenAddress: '127.0.0.1', listenPort: 0, healthzEndpoint: '/healthz', health: () => [], metrics: new FalcoMetrics({ version: '0.1.0' }), sslCertificate: pem });
    try {
      expect(await httpsGet(server.port, '/healthz', cert)).toMatchObject({ status: 200 });
      const m = await httpsGet(server.port, '/metrics', cert);
      expect(m.status).toBe(200);
      expect(m.body).toContain('falcosecurity_falco_version_info');
      await expect(fetch(`http://127.0.0.1:${server.port}/healthz`)).rejects.toThrow();
    } finally {
      await server.close();
    }
  });

  it('fails to start when the certificate file cannot be read', async () => {
    await expect(WebServer.start({ listenAddress: '127.0.0.1', listenPort: 0, healthzEndpoint: '/healthz', health: () => [], sslCertificate: join(dir, 'none.pem') })).rejects.toThrow(/cannot read webserver.ssl_certificate/);
  });
});
