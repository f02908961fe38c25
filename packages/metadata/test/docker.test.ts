// Against a real Docker engine started for this file (see test/support/dockerd.ts).
import Docker from 'dockerode';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { MetadataService, containerField, mesosField, optionsFromContainerPluginConfig, type ContainerInfo } from '../src';
import { JsonApiServer } from './support/json-api';
import { FakeKubeApiServer } from './support/kube-apiserver';
import { buildBusyboxImage, startDockerd, type DockerdEngine } from './support/dockerd';

const IMAGE = 'falco-ts/busybox:test';
jest.setTimeout(90000);

let engine: DockerdEngine;
let docker: Docker;
let imageId: string;
let service: MetadataService;

beforeAll(async () => {
  engine = await startDockerd();
  imageId = await buildBusyboxImage(engine.socketPath, IMAGE);
  docker = new Docker({ socketPath: engine.socketPath });
  service = new MetadataService({
    providers: { docker: { socketPath: engine.socketPath, backoff: { initialMs: 100, maxMs: 1000 } } },
    retainExitedMs: 60000,
  });
  await until(() => service.health().status === 'ok', 10000);
});

afterAll(async () => {
  await service?.close();
  await engine?.stop();
});

async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function untilAsync(check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function run(options: Docker.ContainerCreateOptions): Promise<Docker.Container> {
  const c = await docker.createContainer({ Image: IMAGE, Cmd: ['sleep', '60'], ...options });
  await c.start();
  return c;
}

/** What the detector shows for a container, field by field. */
function fields(info: ContainerInfo | undefined, names: string[]): Record<string, unknown> {
  return Object.fromEntries(names.map((n) => {
    const m = /^([^[]+)\[(.*)\]$/.exec(n);
    return [n, m ? containerField(info, m[1]!, m[2]) : containerField(info, n)];
  }));
}

test('a plain container', async () => {
  const before = BigInt(Date.now()) * 1_000_000n;
  const c = await run({ name: 'plain' });
  const info = await service.waitForContainer(c.id, 5000);
  expect(fields(info, [
    'container.id', 'container.full_id', 'container.name', 'container.image', 'container.image.repository',
    'container.image.tag', 'container.image.id', 'container.type', 'container.privileged', 'container.mounts',
    'container.host_network', 'container.host_pid', 'container.host_ipc', 'container.labels', 'container.healthcheck',
  ])).toEqual({
    'container.id': c.id.slice(0, 12),
    'container.full_id': c.id,
    'container.name': 'plain',
    'container.image': IMAGE,
    'container.image.repository': 'falco-ts/busybox',
    'container.image.tag': 'test',
    'container.image.id': imageId.replace('sha256:', ''),
    'container.type': 'docker',
    'container.privileged': false,
    'container.mounts': null,
    'container.host_network': false,
    'container.host_pid': false,
    'container.host_ipc': false,
    'container.labels': null,
    'container.healthcheck': null,
  });
  // The record taken on `create` gains its start time from the `start` event.
  await until(() => containerField(service.lookupContainer(c.id), 'container.start_ts') !== null, 2000);
  const startTs = containerField(service.lookupContainer(c.id), 'container.start_ts') as bigint;
  expect(startTs).toBeGreaterThanOrEqual(before - 2_000_000_000n);
  expect(startTs).toBeLessThanOrEqual(BigInt(Date.now()) * 1_000_000n);
  // The short id resolves too: cgroup parsers and users both use it.
  expect(service.lookupContainer(c.id.slice(0, 12))?.id).toBe(c.id);
  await c.remove({ force: true });
});

test('a privileged container', async () => {
  const c = await run({ name: 'priv', HostConfig: { Privileged: true } });
  expect((await c.inspect()).State.Running).toBe(true);
  const info = await service.waitForContainer(c.id, 5000);
  expect(fields(info, ['container.privileged', 'container.name'])).toEqual({
    'container.privileged': true,
    'container.name': 'priv',
  });
  await c.remove({ force: true });
});

test('a container mounting /proc and /etc from the host', async () => {
  const c = await run({ name: 'mounts', HostConfig: { Binds: ['/proc:/host/proc:ro', '/etc:/host/etc'] } });
  const info = await service.waitForContainer(c.id, 5000);
  expect(fields(info, [
    'container.mount.dest[/proc*]', 'container.mount.dest[/etc]', 'container.mount.dest[/var/run/docker.sock]',
    'container.mount.source[/host/proc]', 'container.mount.rdwr[/host/proc]', 'container.mount.rdwr[/host/etc]',
    'container.mount.mode[/host/proc]', 'container.mount.propagation[/host/etc]', 'container.mount[/host/proc]',
  ])).toEqual({
    'container.mount.dest[/proc*]': '/host/proc',
    'container.mount.dest[/etc]': '/host/etc',
    'container.mount.dest[/var/run/docker.sock]': null,
    'container.mount.source[/host/proc]': '/proc',
    'container.mount.rdwr[/host/proc]': 'false',
    'container.mount.rdwr[/host/etc]': 'true',
    'container.mount.mode[/host/proc]': 'ro',
    'container.mount.propagation[/host/etc]': 'rprivate',
    'container.mount[/host/proc]': '/proc:/host/proc:ro:false:rprivate',
  });
  const all = String(containerField(info, 'container.mounts')).split(',').sort();
  expect(all).toEqual(['/etc:/host/etc::true:rprivate', '/proc:/host/proc:ro:false:rprivate']);
  await c.remove({ force: true });
});

test('a container with labels, a user, limits and a healthcheck', async () => {
  const c = await run({
    name: 'labelled',
    User: '1000:1000',
    Labels: { app: 'shop', 'io.kubernetes.pod.name': 'web-0', 'io.kubernetes.pod.namespace': 'prod', 'io.kubernetes.pod.uid': 'u-1' },
    Healthcheck: { Test: ['CMD-SHELL', 'true'], Interval: 1_000_000_000 },
    HostConfig: { Memory: 64 * 1024 * 1024, NanoCpus: 500_000_000 },
  });
  const info = await service.waitForContainer(c.id, 5000);
  expect(fields(info, [
    'container.label[app]', 'container.label[missing]', 'container.labels', 'container.user',
    'container.memory_limit', 'container.cpu_limit', 'container.healthcheck',
  ])).toEqual({
    'container.label[app]': 'shop',
    'container.label[missing]': null,
    'container.labels': 'app:shop, io.kubernetes.pod.name:web-0, io.kubernetes.pod.namespace:prod, io.kubernetes.pod.uid:u-1',
    'container.user': '1000:1000',
    'container.memory_limit': 64 * 1024 * 1024,
    'container.cpu_limit': 0.5,
    'container.healthcheck': 'CMD-SHELL true',
  });
  // The CRI labels are the fast path for k8s.* without any API server.
  expect(service.k8sForContainer(c.id)?.podIdentity).toEqual({ name: 'web-0', namespace: 'prod', uid: 'u-1' });
  expect(service.k8sForContainer(c.id)).toBe(service.k8sForContainer(c.id));
  expect([service.field(c.id, 'k8s.pod.name'), service.field(c.id, 'k8s.ns.name'), service.field(c.id, 'container.label', 'app')])
    .toEqual(['web-0', 'prod', 'shop']);
  await c.remove({ force: true });
});

test('a container that lives for 50 ms still has its metadata after it is gone', async () => {
  const seen = new Set<string>();
  const off = service.onContainer((i) => seen.add(i.id));
  const c = await docker.createContainer({ Image: IMAGE, name: 'blink', Cmd: ['sleep', '0.05'], HostConfig: { AutoRemove: true } });
  await c.start();
  await c.wait().catch(() => undefined);
  await until(() => seen.has(c.id), 5000);
  off();
  // Gone from the engine...
  await untilAsync(async () => (await c.inspect().catch((e: { statusCode?: number }) => e.statusCode)) === 404, 5000);
  // ...but the detector still resolves it, from the record taken on the create event.
  const info = service.lookupContainer(c.id);
  expect(fields(info, ['container.name', 'container.image', 'container.type'])).toEqual({
    'container.name': 'blink',
    'container.image': IMAGE,
    'container.type': 'docker',
  });
});

test('a miss starts one fetch; unknown ids time out and are counted', async () => {
  const c = await docker.createContainer({ Image: IMAGE, Cmd: ['sleep', '60'] });
  // Not started: a lookup by id must still find it through inspect.
  const before = service.counters();
  const unknown = 'f'.repeat(64);
  expect(service.lookupContainer(unknown)).toBeUndefined();
  expect(await service.waitForContainer(unknown, 200)).toBeUndefined();
  const after = service.counters();
  expect(after.misses - before.misses).toBe(2);
  expect(after.fetches - before.fetches).toBe(1);
  expect(after.waitTimeouts - before.waitTimeouts).toBe(1);
  expect(after.notFound - before.notFound).toBe(1);
  expect((await service.waitForContainer(c.id, 5000))?.id).toBe(c.id);
  await c.remove({ force: true });
});

test('a service started later finds existing containers without being asked', async () => {
  const c = await run({ name: 'existing', Labels: { short: 'x', long: 'y'.repeat(20) } });
  // Configured as Falco's container plugin would be, with a label length cap.
  const late = new MetadataService({
    ...optionsFromContainerPluginConfig({ label_max_len: 10, engines: { docker: { sockets: ['/nonexistent/docker.sock', engine.socketPath] }, podman: { enabled: false }, containerd: { enabled: false }, cri: { enabled: false } } }),
  });
  try {
    await until(() => late.counters().cachedContainers > 0 && late.counters().pushed > 0, 10000);
    await until(() => late.counters().cachedContainers >= 1, 5000);
    const hit = late.lookupContainer(c.id);
    expect(hit?.name).toBe('existing');
    expect(hit?.labels).toEqual({ short: 'x' });
    expect(late.counters().fetches).toBe(0);
  } finally {
    await late.close();
    await c.remove({ force: true });
  }
});

test('Docker containers started by Mesos map to their task, framework and Marathon app', async () => {
  const api = new JsonApiServer();
  const fixture = (name: string) => JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'mesos', name), 'utf8')) as unknown;
  api.set('/master/state', fixture('master-state.json'));
  api.set('/v2/apps?embed=apps.tasks', fixture('marathon-apps.json'));
  await api.start();
  // The Docker containerizer names containers after the Mesos container id...
  const byName = await run({ name: 'mesos-0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d' });
  // ...and executors put the task id in the environment.
  const byEnv = await run({ name: 'chronos-job', Env: ['MESOS_TASK_ID=ct:1714640200000:0:nightly-report:'] });
  const combined = new MetadataService({
    providers: { docker: { socketPath: engine.socketPath }, mesos: { url: api.url }, marathon: { url: api.url } },
  });
  try {
    await until(() => combined.health().status === 'ok', 10000);
    await combined.waitForContainer(byName.id, 5000);
    await combined.waitForContainer(byEnv.id, 5000);
    const web = combined.mesosForContainer(byName.id.slice(0, 12));
    expect([mesosField(web, 'mesos.task.name'), mesosField(web, 'mesos.framework.name'), mesosField(web, 'marathon.app.id')])
      .toEqual(['web.shop', 'marathon', '/shop/web']);
    const job = combined.mesosForContainer(byEnv.id);
    expect([mesosField(job, 'mesos.task.name'), mesosField(job, 'mesos.framework.name'), mesosField(job, 'marathon.app.id')])
      .toEqual(['ChronosTask:nightly-report', 'chronos', null]);
  } finally {
    await combined.close();
    await api.stop();
    await byName.remove({ force: true });
    await byEnv.remove({ force: true });
  }
});

test("containerd's API, as dockerd runs it, reports the same containers", async () => {
  const viaContainerd = new MetadataService({
    providers: { containerd: { socketPath: engine.containerdSocket, namespaces: ['moby'], backoff: { initialMs: 100 } } },
  });
  const seen = new Set<string>();
  viaContainerd.onContainer((i) => seen.add(i.id));
  try {
    await until(() => viaContainerd.health().status === 'ok', 10000);
    const priv = await run({ HostConfig: { Privileged: true, Binds: ['/proc:/host/proc:ro', '/etc:/host/etc'], Memory: 32 * 1024 * 1024 } });
    const host = await run({ HostConfig: { NetworkMode: 'host', PidMode: 'host', IpcMode: 'host' } });
    const plain = await run({ User: '1000:1000' });
    // Delivered by the events service, without anyone asking.
    await until(() => seen.has(priv.id) && seen.has(host.id) && seen.has(plain.id), 10000);
    const p = viaContainerd.lookupContainer(priv.id);
    expect(fields(p, [
      'container.type', 'container.id', 'container.privileged', 'container.mount.dest[/proc*]',
      'container.mount.rdwr[/host/proc]', 'container.mount.rdwr[/host/etc]', 'container.memory_limit', 'container.host_network',
    ])).toEqual({
      'container.type': 'containerd',
      'container.id': priv.id.slice(0, 12),
      'container.privileged': true,
      'container.mount.dest[/proc*]': '/host/proc',
      'container.mount.rdwr[/host/proc]': 'false',
      'container.mount.rdwr[/host/etc]': 'true',
      'container.memory_limit': 32 * 1024 * 1024,
      'container.host_network': false,
    });
    expect(fields(viaContainerd.lookupContainer(host.id), ['container.host_network', 'container.host_pid', 'container.host_ipc', 'container.privileged']))
      .toEqual({ 'container.host_network': true, 'container.host_pid': true, 'container.host_ipc': true, 'container.privileged': false });
    expect(fields(viaContainerd.lookupContainer(plain.id), ['container.user', 'container.privileged', 'container.host_pid']))
      .toEqual({ 'container.user': '1000:1000', 'container.privileged': false, 'container.host_pid': false });
    // Lifecycle from the events service: removal keeps the record for the grace period.
    await plain.remove({ force: true });
    await until(() => viaContainerd.lookupContainer(plain.id)?.exitedAt !== undefined, 10000);
    await priv.remove({ force: true });
    await host.remove({ force: true });
  } finally {
    await viaContainerd.close();
  }
});

test('a real container in a pod: k8s.* through the pod status and the controller chain', async () => {
  const api = new FakeKubeApiServer();
  await api.start();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fts-kc-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'local',
    clusters: [{ name: 'local', cluster: { server: api.url } }],
    users: [{ name: 'u', user: { token: 't' } }],
    contexts: [{ name: 'local', context: { cluster: 'local', user: 'u' } }],
  }));
  // No kubelet labels on this container: only the pod status links it to its pod.
  const c = await run({ name: 'k8s_nginx_shop' });
  const both = new MetadataService({
    providers: { docker: { socketPath: engine.socketPath }, kubernetes: { kubeconfig, nodeName: 'node-1' } },
  });
  try {
    expect(await both.kubernetesSynced(10000)).toBe(true);
    api.apply('pods', 'ADDED', {
      metadata: {
        name: 'web-7d9c6b5f4-abcde', namespace: 'shop', uid: 'pod-uid-1', labels: { app: 'web', tier: 'frontend' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9c6b5f4', uid: '8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d', controller: true }],
      },
      spec: { nodeName: 'node-1' },
      status: { podIP: '10.244.1.40', containerStatuses: [{ name: 'nginx', containerID: `docker://${c.id}` }] },
    });
    await both.waitForContainer(c.id, 5000);
    const short = c.id.slice(0, 12);
    await until(() => both.field(short, 'k8s.pod.name') !== null, 5000);
    expect(['container.name', 'k8s.pod.name', 'k8s.pod.ip', 'k8s.ns.label', 'k8s.rs.name', 'k8s.deployment.name', 'k8s.svc.name']
      .map((f) => both.field(short, f, f === 'k8s.ns.label' ? 'team' : undefined)))
      .toEqual(['k8s_nginx_shop', 'web-7d9c6b5f4-abcde', '10.244.1.40', 'payments', 'web-7d9c6b5f4', 'web', 'web, web-internal']);
  } finally {
    await both.close();
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
    await c.remove({ force: true });
  }
});

test("the README's example runs and prints the container's fields", async () => {
  const c = await run({ name: 'readme-example', HostConfig: { Privileged: true } });
  const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const example = /## Example[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(example).toBeDefined();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fts-readme-'));
  try {
    const file = path.join(dir, 'example.ts');
    writeFileSync(file, example!.replace("'@falco-ts/metadata'", JSON.stringify(path.join(__dirname, '..', 'src', 'index.ts'))));
    const tsx = path.join(__dirname, '..', '..', '..', 'node_modules', '.bin', 'tsx');
    const { stdout } = await promisify(execFile)(tsx, [file], {
      env: { ...process.env, DOCKER_SOCKET: engine.socketPath, CONTAINER_ID: c.id.slice(0, 12) },
    });
    expect(stdout).toContain('container.name=readme-example\ncontainer.image.repository=falco-ts/busybox\ncontainer.privileged=true\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await c.remove({ force: true });
  }
});

test('a runtime that appears later is picked up from its socket directory, not by waiting out the backoff', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ftsd-'));
  const socketPath = path.join(dir, 'docker.sock');
  // A backoff this long means only the directory watch can bring the connection up in time.
  const waiting = new MetadataService({ providers: { docker: { socketPath, backoff: { initialMs: 120000, maxMs: 120000 } } } });
  let late: DockerdEngine | undefined;
  try {
    await until(() => waiting.health().providers[0]?.state === 'disconnected', 5000);
    expect(waiting.health().providers[0]?.lastError).toMatch(/ENOENT/);
    late = await startDockerd({ dir });
    await until(() => waiting.health().status === 'ok', 10000);
  } finally {
    await waiting.close();
    await late?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('killing and restarting dockerd loses nothing once it is back', async () => {
  const before = await run({ name: 'before-crash' });
  await service.waitForContainer(before.id, 5000);
  await engine.kill();
  await until(() => service.health().status === 'degraded', 10000);
  const down = service.health().providers[0]!;
  expect(down.state).not.toBe('connected');
  expect(down.lastError).toBeTruthy();
  // What was known stays known while the runtime is down.
  expect(service.lookupContainer(before.id)?.name).toBe('before-crash');

  const delivered = new Set<string>();
  const off = service.onContainer((i) => delivered.add(i.id));
  await engine.restart();
  // Created right after the engine is back, before anyone looks it up: the reconnect (event
  // replay plus a full listing) must deliver it by itself.
  const after = await docker.createContainer({ Image: IMAGE, name: 'after-crash', Cmd: ['sleep', '60'] });
  await until(() => service.health().status === 'ok', 20000);
  const healthy = service.health().providers[0]!;
  expect(healthy.reconnects).toBeGreaterThanOrEqual(1);
  const fetchesBefore = service.counters().fetches;
  await until(() => delivered.has(after.id), 10000);
  off();
  expect(service.lookupContainer(after.id)?.name).toBe('after-crash');
  expect(service.counters().fetches).toBe(fetchesBefore);
  expect(service.lookupContainer(before.id)?.name).toBe('before-crash');
  await after.remove({ force: true });
  await before.remove({ force: true });
});
