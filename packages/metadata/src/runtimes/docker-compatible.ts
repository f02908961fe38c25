// A provider for any engine that speaks the Docker Engine API (Docker itself, Podman's
// compatibility socket). It inspects containers on request, follows the engine's event stream so
// records exist before anyone asks (a 50 ms container is inspected on its `create` event, while it
// still exists), and after every reconnect replays the events it missed and lists everything, so a
// runtime restart loses nothing.
import Docker from 'dockerode';
import { podIdentityFromLabels } from '../cri-labels';
import { parseImageRef, parseTimestampNs } from '../image-ref';
import type { ContainerProvider, ContainerSink, ProviderHealth } from '../provider';
import { Reconnector, type BackoffOptions } from '../reconnector';
import type { SocketOptions } from '../sockets';
import type { ContainerInfo, ContainerRuntime } from '../types';

export interface DockerCompatibleOptions extends SocketOptions {
  readonly backoff?: BackoffOptions;
}

interface EngineEvent {
  readonly Type?: string;
  readonly Action?: string;
  readonly id?: string;
  readonly Actor?: { readonly ID?: string };
  readonly time?: number;
  readonly timeNano?: number;
}

interface ImageFacts {
  readonly repoDigests: readonly string[];
}

const REFETCH_ACTIONS = new Set(['create', 'start', 'rename', 'update', 'restart', 'unpause']);

export class DockerCompatibleProvider implements ContainerProvider {
  private readonly client: Docker;
  private readonly reconnector: Reconnector;
  private sink: ContainerSink | undefined;
  private stream: NodeJS.ReadableStream | undefined;
  /** Seconds (with fraction) of the last event seen, for `since` on reconnect. */
  private lastEventTime: string | undefined;
  private readonly images = new Map<string, ImageFacts>();

  constructor(
    readonly name: string,
    readonly runtime: ContainerRuntime,
    private readonly socketPath: string,
    backoff?: BackoffOptions,
  ) {
    this.client = new Docker({ socketPath, timeout: 10000 });
    this.reconnector = new Reconnector(name, socketPath, () => void this.connect(), backoff);
  }

  start(sink: ContainerSink): void {
    this.sink = sink;
    this.reconnector.watchSocket(this.socketPath);
    void this.connect();
  }

  async fetch(id: string): Promise<ContainerInfo | undefined> {
    let inspect: Docker.ContainerInspectInfo;
    try {
      inspect = await this.client.getContainer(id).inspect();
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      this.reconnector.failed(err);
      throw err;
    }
    const image = await this.imageFacts(inspect.Image);
    return containerFromInspect(this.runtime, inspect, image);
  }

  health(): ProviderHealth {
    return this.reconnector.health();
  }

  async close(): Promise<void> {
    this.reconnector.close();
    this.dropStream();
  }

  private async connect(): Promise<void> {
    this.dropStream();
    let stream: NodeJS.ReadableStream;
    try {
      const since = this.lastEventTime;
      stream = await this.client.getEvents({
        ...(since === undefined ? {} : { since: since as unknown as number }),
        filters: { type: ['container'] },
      });
    } catch (err) {
      this.reconnector.failed(err);
      return;
    }
    if (this.reconnector.closed) {
      (stream as unknown as { destroy?: () => void }).destroy?.();
      return;
    }
    this.stream = stream;
    this.reconnector.connected();
    this.follow(stream);
    try {
      await this.resync();
    } catch (err) {
      this.reconnector.failed(err);
    }
  }

  private follow(stream: NodeJS.ReadableStream): void {
    let pending = '';
    stream.setEncoding?.('utf8');
    stream.on('data', (chunk: string | Buffer) => {
      pending += chunk.toString();
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        if (line) this.onEvent(line);
      }
    });
    const lost = (err?: unknown) => {
      if (this.stream !== stream) return;
      this.stream = undefined;
      this.reconnector.failed(err ?? new Error('event stream closed'));
    };
    stream.on('error', lost);
    stream.on('end', () => lost());
    stream.on('close', () => lost());
  }

  private onEvent(line: string): void {
    let event: EngineEvent;
    try {
      event = JSON.parse(line) as EngineEvent;
    } catch {
      return;
    }
    if (event.Type !== undefined && event.Type !== 'container') return;
    const id = event.Actor?.ID ?? event.id;
    const action = event.Action ?? '';
    if (!id || !this.sink) return;
    if (event.timeNano) this.lastEventTime = nanosToSinceParam(event.timeNano);
    else if (event.time) this.lastEventTime = String(event.time);
    const at = event.timeNano ? Math.floor(event.timeNano / 1e6) : Date.now();
    const sink = this.sink;
    if (action === 'die' || action === 'kill' || action === 'oom') {
      if (action === 'die') sink.exited(id, at);
    } else if (action === 'destroy') {
      sink.destroyed(id, at);
    } else if (REFETCH_ACTIONS.has(action) || action.startsWith('health_status')) {
      if (action === 'start' && event.timeNano) sink.started(id, BigInt(Math.round(event.timeNano)));
      this.fetch(id).then(
        (info) => info && sink.upsert(info),
        () => undefined,
      );
    }
  }

  /** Everything that exists now, including what was created while we were away. */
  private async resync(): Promise<void> {
    const list = await this.client.listContainers({ all: true });
    for (const entry of list) {
      const info = await this.fetch(entry.Id);
      if (info && this.sink) this.sink.upsert(info);
    }
  }

  private async imageFacts(imageId: string): Promise<ImageFacts | undefined> {
    const cached = this.images.get(imageId);
    if (cached) return cached;
    try {
      const image = await this.client.getImage(imageId).inspect();
      const facts = { repoDigests: image.RepoDigests ?? [] };
      this.images.set(imageId, facts);
      return facts;
    } catch {
      return undefined;
    }
  }

  private dropStream(): void {
    const s = this.stream as unknown as { destroy?: () => void } | undefined;
    this.stream = undefined;
    s?.destroy?.();
  }
}

/** Docker's `since` accepts `seconds.nanoseconds`; exact, so the replay starts at the last event. */
function nanosToSinceParam(timeNano: number): string {
  const ns = BigInt(Math.round(timeNano));
  return `${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, '0')}`;
}

export function containerFromInspect(
  runtime: ContainerRuntime,
  c: Docker.ContainerInspectInfo,
  image?: ImageFacts,
): ContainerInfo {
  const labels = c.Config?.Labels ?? {};
  const host = c.HostConfig ?? {};
  const ref = parseImageRef(c.Config?.Image ?? '');
  const repoDigest = ref.repository ? image?.repoDigests.find((d) => d.startsWith(`${ref.repository}@`)) : undefined;
  const digest = ref.digest ?? repoDigest?.slice(repoDigest.indexOf('@') + 1);
  const ip = (c.NetworkSettings as { IPAddress?: string } | undefined)?.IPAddress || Object.values(c.NetworkSettings?.Networks ?? {}).find((n) => n.IPAddress)?.IPAddress;
  const test = c.Config?.Healthcheck?.Test;
  const healthStatus = c.State?.Health?.Status;
  const cpuLimit = host.NanoCpus ? host.NanoCpus / 1e9 : host.CpuQuota && host.CpuPeriod ? host.CpuQuota / host.CpuPeriod : undefined;
  const startTs = parseTimestampNs(c.State?.StartedAt);
  const pod = podIdentityFromLabels(labels);
  const mesosTaskId = c.Config?.Env?.find((e) => e.startsWith('MESOS_TASK_ID='))?.slice('MESOS_TASK_ID='.length);
  return {
    id: c.Id,
    runtime,
    name: c.Name.replace(/^\//, ''),
    image: c.Config?.Image ?? '',
    imageId: c.Image.replace(/^sha256:/, ''),
    ...(ref.repository === undefined ? {} : { imageRepository: ref.repository }),
    ...(ref.tag === undefined ? {} : { imageTag: ref.tag }),
    ...(digest === undefined ? {} : { imageDigest: digest }),
    privileged: host.Privileged === true,
    mounts: (c.Mounts ?? []).map((m) => ({
      source: m.Source,
      destination: m.Destination,
      mode: m.Mode ?? '',
      rw: m.RW,
      propagation: m.Propagation ?? '',
    })),
    labels,
    user: c.Config?.User ?? '',
    ...(ip ? { ip } : {}),
    hostNetwork: host.NetworkMode === 'host',
    hostPid: host.PidMode === 'host',
    hostIpc: host.IpcMode === 'host',
    ...(cpuLimit === undefined ? {} : { cpuLimit }),
    ...(host.CpuShares ? { cpuShares: host.CpuShares } : {}),
    ...(host.Memory ? { memoryLimit: host.Memory } : {}),
    ...(test && test.length && test[0] !== 'NONE' ? { healthcheck: { test, ...(healthStatus ? { status: healthStatus } : {}) } } : {}),
    ...(startTs === undefined ? {} : { startTs }),
    ...(pod ? { pod } : {}),
    ...(mesosTaskId ? { mesosTaskId } : {}),
  };
}
