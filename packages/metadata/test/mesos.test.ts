// Mesos master and Marathon providers against a local server answering their HTTP APIs from
// recorded-shape responses (test/fixtures/mesos/). No live Mesos or Marathon is used.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MetadataService, mesosField } from '../src';
import { mesosContainerIdFromName } from '../src/providers/mesos';
import { splitAppId } from '../src/providers/marathon';
import { JsonApiServer } from './support/json-api';

const fixture = (name: string) => JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'mesos', name), 'utf8')) as Record<string, unknown>;
const STATE = '/master/state';
const APPS = '/v2/apps?embed=apps.tasks';
const WEB_CONTAINER = '0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d';
const CHRONOS_CONTAINER = '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a';

async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const FIELDS = [
  'mesos.task.name', 'mesos.task.id', 'mesos.task.label[team]', 'mesos.task.labels', 'mesos.framework.name',
  'mesos.framework.id', 'marathon.app.name', 'marathon.app.id', 'marathon.app.group.name',
  'marathon.app.label[owner]', 'marathon.app.labels',
];

function fields(service: MetadataService, id: string): Record<string, unknown> {
  const meta = service.mesosForContainer(id);
  return Object.fromEntries(FIELDS.map((n) => {
    const m = /^([^[]+)\[(.*)\]$/.exec(n);
    return [n, m ? mesosField(meta, m[1]!, m[2]) : mesosField(meta, n)];
  }));
}

let server: JsonApiServer;
let service: MetadataService | undefined;

beforeEach(async () => {
  server = new JsonApiServer();
  server.set(STATE, fixture('master-state.json'));
  server.set(APPS, fixture('marathon-apps.json'));
  await server.start();
});
afterEach(async () => {
  await service?.close();
  service = undefined;
  await server.stop();
});

function start(intervalMs = 10000): MetadataService {
  const common = { url: server.url, intervalMs, backoff: { initialMs: 50, maxMs: 200 } };
  return new MetadataService({ providers: { mesos: common, marathon: common } });
}

test('tasks, frameworks and Marathon apps resolve for a Mesos container id', async () => {
  service = start();
  await until(() => service!.health().status === 'ok', 5000);
  expect(fields(service, WEB_CONTAINER)).toEqual({
    'mesos.task.name': 'web.shop',
    'mesos.task.id': 'shop_web.6f1c2d3e-08a1-11ef-9a7b-0242ac110002',
    'mesos.task.label[team]': 'storefront',
    'mesos.task.labels': 'HAPROXY_GROUP:external, team:storefront',
    'mesos.framework.name': 'marathon',
    'mesos.framework.id': 'b5a5b6c1-7f3e-4c2a-9d1e-0f2a3b4c5d6e-0000',
    'marathon.app.name': 'web',
    'marathon.app.id': '/shop/web',
    'marathon.app.group.name': '/shop',
    'marathon.app.label[owner]': 'storefront',
    'marathon.app.labels': 'HAPROXY_GROUP:external, owner:storefront',
  });
  // A task of another framework has no Marathon app.
  const chronos = service.mesosForContainer(CHRONOS_CONTAINER);
  expect(mesosField(chronos, 'mesos.framework.name')).toBe('chronos');
  expect(mesosField(chronos, 'marathon.app.id')).toBeNull();
  expect(service.mesosForContainer('no-such-container')).toBeUndefined();
  // Repeated lookups hand out the same object until a new snapshot arrives.
  expect(service.mesosForContainer(WEB_CONTAINER)).toBe(service.mesosForContainer(WEB_CONTAINER));
  expect(service.field(WEB_CONTAINER, 'marathon.app.group.name')).toBe('/shop');
  expect(service.field(WEB_CONTAINER, 'mesos.task.label', 'team')).toBe('storefront');
  expect(server.hits).toEqual(expect.arrayContaining([STATE, APPS]));
});

test('polling picks up new tasks', async () => {
  service = start(100);
  await until(() => service!.health().status === 'ok', 5000);
  const state = fixture('master-state.json') as { frameworks: { tasks: unknown[] }[] };
  state.frameworks[1]!.tasks.push({
    id: 'ct:1714641000000:0:hourly:', name: 'ChronosTask:hourly', framework_id: 'b5a5b6c1-7f3e-4c2a-9d1e-0f2a3b4c5d6e-0001',
    state: 'TASK_RUNNING', statuses: [{ state: 'TASK_RUNNING', container_status: { container_id: { value: 'new-container' } } }],
  });
  server.set(STATE, state);
  await until(() => mesosField(service!.mesosForContainer('new-container'), 'mesos.task.name') === 'ChronosTask:hourly', 5000);
});

test('errors and outages degrade health and recover, serving the last snapshot meanwhile', async () => {
  service = start(100);
  await until(() => service!.health().status === 'ok', 5000);
  server.failNext(500, 4);
  // The last error stays in the report after recovery, so this does not race the next poll.
  await until(() => service!.health().providers.some((p) => /HTTP 500/.test(p.lastError ?? '')), 5000);
  expect(mesosField(service.mesosForContainer(WEB_CONTAINER), 'mesos.task.name')).toBe('web.shop');
  await until(() => service!.health().status === 'ok', 5000);
  await server.stop();
  await until(() => service!.health().providers.every((p) => p.state !== 'connected'), 5000);
  expect(service.health().status).toBe('degraded');
  expect(service.health().providers[0]?.lastError).toMatch(/ECONNREFUSED/);
  await server.start();
  await until(() => service!.health().status === 'ok', 5000);
  expect(service.health().providers[0]?.reconnects).toBeGreaterThanOrEqual(1);
});

test('name and app-id helpers', () => {
  expect(mesosContainerIdFromName('mesos-0a9b8c7d-6e5f')).toBe('0a9b8c7d-6e5f');
  expect(mesosContainerIdFromName('mesos-agent-S0.0a9b8c7d-6e5f')).toBe('0a9b8c7d-6e5f');
  expect(mesosContainerIdFromName('web')).toBeUndefined();
  expect(splitAppId('/shop/web')).toEqual({ name: 'web', groupName: '/shop' });
  expect(splitAppId('/standalone')).toEqual({ name: 'standalone', groupName: '/' });
});
