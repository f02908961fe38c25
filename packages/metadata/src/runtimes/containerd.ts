// containerd over its gRPC API: containers from the containers service (the OCI spec inside each
// gives privileges, mounts, namespaces and limits), lifecycle from the events service. Namespaces
// are containerd's, not Linux's: `k8s.io` for Kubernetes, `moby` for Docker, `default` for ctr.
import * as grpc from '@grpc/grpc-js';
import { podIdentityFromLabels, CRI_LABEL_CONTAINER_NAME } from '../cri-labels';
import { containerIdOfEvent, containerdClients, timestampToNs, type ContainerdContainer, type ContainersClient, type EventsClient } from '../containerd-api';
import { parseImageRef } from '../image-ref';
import { factsFromOciSpec, type OciSpec } from '../oci-spec';
import type { ContainerProvider, ContainerSink, ProviderHealth } from '../provider';
import { Reconnector } from '../reconnector';
import type { ContainerdOptions } from '../providers/containerd';
import type { ContainerInfo } from '../types';

const DEFAULT_NAMESPACES = ['k8s.io', 'moby', 'default'];

export function containerFromContainerd(c: ContainerdContainer): ContainerInfo {
  let spec: OciSpec = {};
  if (c.spec?.value?.length) {
    try {
      spec = JSON.parse(c.spec.value.toString('utf8')) as OciSpec;
    } catch {
      // A spec we cannot read leaves the spec-derived fields at their defaults.
    }
  }
  const facts = factsFromOciSpec(spec);
  const ref = parseImageRef(c.image);
  const pod = podIdentityFromLabels(c.labels);
  const mesosTaskId = facts.env.find((e) => e.startsWith('MESOS_TASK_ID='))?.slice('MESOS_TASK_ID='.length);
  return {
    id: c.id,
    runtime: 'containerd',
    name: c.labels[CRI_LABEL_CONTAINER_NAME] ?? c.labels['nerdctl/name'] ?? c.id,
    image: c.image,
    ...(ref.repository === undefined ? {} : { imageRepository: ref.repository }),
    ...(ref.tag === undefined ? {} : { imageTag: ref.tag }),
    ...(ref.digest === undefined ? {} : { imageDigest: ref.digest }),
    privileged: facts.privileged,
    mounts: facts.mounts,
    labels: c.labels,
    ...(facts.user === undefined ? {} : { user: facts.user }),
    hostNetwork: facts.hostNetwork,
    hostPid: facts.hostPid,
    hostIpc: facts.hostIpc,
    ...(facts.cpuLimit === undefined ? {} : { cpuLimit: facts.cpuLimit }),
    ...(facts.cpuShares === undefined ? {} : { cpuShares: facts.cpuShares }),
    ...(facts.memoryLimit === undefined ? {} : { memoryLimit: facts.memoryLimit }),
    ...(pod ? { pod } : {}),
    ...(mesosTaskId ? { mesosTaskId } : {}),
  };
}

export class ContainerdProvider implements ContainerProvider {
  readonly name = 'containerd';
  readonly runtime = 'containerd' as const;
  private readonly containers: ContainersClient;
  private readonly events: EventsClient;
  private readonly reconnector: Reconnector;
  private readonly namespaces: readonly string[];
  private readonly timeoutMs: number;
  private stream: grpc.ClientReadableStream<unknown> | undefined;
  private sink: ContainerSink | undefined;

  constructor(private readonly socketPath: string, options: ContainerdOptions) {
    const { containers, events } = containerdClients();
    const address = `unix://${socketPath}`;
    // Reconnection is ours (with backoff visible in health); keep grpc's own retries short.
    const channel = { 'grpc.initial_reconnect_backoff_ms': 100, 'grpc.max_reconnect_backoff_ms': 1000 };
    this.containers = new containers(address, grpc.credentials.createInsecure(), channel);
    this.events = new events(address, grpc.credentials.createInsecure(), channel);
    this.namespaces = options.namespaces ?? DEFAULT_NAMESPACES;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.reconnector = new Reconnector(this.name, socketPath, () => this.connect(), options.backoff);
  }

  start(sink: ContainerSink): void {
    this.sink = sink;
    this.reconnector.watchSocket(this.socketPath);
    this.connect();
  }

  async fetch(id: string): Promise<ContainerInfo | undefined> {
    for (const ns of this.namespaces) {
      const found = await this.get(ns, id);
      if (found) return containerFromContainerd(found);
    }
    return undefined;
  }

  health(): ProviderHealth {
    return this.reconnector.health();
  }

  async close(): Promise<void> {
    this.reconnector.close();
    this.stream?.cancel();
    this.containers.close();
    this.events.close();
  }

  private get(namespace: string, id: string): Promise<ContainerdContainer | undefined> {
    return new Promise((resolve, reject) => {
      this.containers.Get({ id }, nsMetadata(namespace), { deadline: Date.now() + this.timeoutMs }, (err, res) => {
        if (err?.code === grpc.status.NOT_FOUND) return resolve(undefined);
        if (err) {
          this.reconnector.failed(err);
          return reject(err);
        }
        resolve(res?.container);
      });
    });
  }

  private list(namespace: string): Promise<ContainerdContainer[]> {
    return new Promise((resolve, reject) => {
      this.containers.List({ filters: [] }, nsMetadata(namespace), { deadline: Date.now() + this.timeoutMs }, (err, res) =>
        err ? reject(err) : resolve(res?.containers ?? []),
      );
    });
  }

  private connect(): void {
    this.stream?.cancel();
    // Subscribe before listing so nothing created in between is missed.
    const stream = this.events.Subscribe({ filters: this.namespaces.map((ns) => `namespace==${ns}`) });
    this.stream = stream;
    // containerd sends no headers on the stream until the first event, so a listing proves the
    // connection (and delivers everything that exists).
    this.resync().then(
      () => this.stream === stream && this.reconnector.connected(),
      (err: unknown) => {
        if (this.stream !== stream) return;
        this.stream = undefined;
        stream.cancel();
        this.reconnector.failed(err);
      },
    );
    stream.on('data', (envelope: { topic: string; namespace: string; timestamp?: { seconds: string; nanos: number }; event?: { value: Buffer } }) =>
      this.onEvent(envelope.namespace, envelope.topic, envelope.event?.value, timestampToNs(envelope.timestamp)),
    );
    stream.on('error', (err: grpc.ServiceError) => {
      if (this.stream !== stream || err.code === grpc.status.CANCELLED) return;
      this.stream = undefined;
      this.reconnector.failed(err);
    });
    stream.on('end', () => {
      if (this.stream !== stream) return;
      this.stream = undefined;
      this.reconnector.failed(new Error('event stream ended'));
    });
  }

  private onEvent(namespace: string, topic: string, payload: Buffer | undefined, at: bigint | undefined): void {
    const sink = this.sink;
    const id = payload ? containerIdOfEvent(payload) : undefined;
    if (!sink || !id) return;
    const ms = at === undefined ? Date.now() : Number(at / 1_000_000n);
    switch (topic) {
      case '/containers/create':
      case '/containers/update':
        this.get(namespace, id).then((c) => c && sink.upsert(containerFromContainerd(c)), () => undefined);
        break;
      case '/tasks/start':
        if (at !== undefined) sink.started(id, at);
        break;
      case '/tasks/exit':
        sink.exited(id, ms);
        break;
      case '/containers/delete':
        sink.destroyed(id, ms);
        break;
      default:
        break;
    }
  }

  private async resync(): Promise<void> {
    for (const ns of this.namespaces) {
      for (const c of await this.list(ns)) this.sink?.upsert(containerFromContainerd(c));
    }
  }
}

function nsMetadata(namespace: string): grpc.Metadata {
  const md = new grpc.Metadata();
  md.set('containerd-namespace', namespace);
  return md;
}
