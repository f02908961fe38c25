// Any runtime behind the Kubernetes CRI (CRI-O, containerd's CRI plugin) over its gRPC socket:
// ContainerStatus with verbose info (the OCI spec) for each container, PodSandboxStatus for the
// pod IP, and GetContainerEvents for lifecycle, falling back to polling ListContainers on
// runtimes that do not implement the event stream.
import * as grpc from '@grpc/grpc-js';
import { podIdentityFromLabels } from '../cri-labels';
import { CONTAINER_EVENT, NAMESPACE_NODE, criClient, type CriContainerStatus, type CriRuntimeClient, type CriSandboxStatus } from '../cri-api';
import { parseImageRef } from '../image-ref';
import { factsFromOciSpec, type OciSpec } from '../oci-spec';
import type { ContainerProvider, ContainerSink, ProviderHealth } from '../provider';
import { Reconnector } from '../reconnector';
import type { CriOptions } from '../providers/cri';
import type { ContainerInfo, ContainerMount, ContainerRuntime } from '../types';

const PROPAGATION = ['rprivate', 'rslave', 'rshared'];
const STATE_CREATED = 0;
const STATE_RUNNING = 1;
const STATE_EXITED = 2;

interface VerboseInfo {
  sandboxID?: string;
  privileged?: boolean;
  runtimeSpec?: OciSpec;
  config?: { linux?: { security_context?: { privileged?: boolean } } };
}

/** What the pod sandbox decides for all its containers: the IP and the pod-level namespaces. */
export interface SandboxFacts {
  readonly ip?: string;
  readonly hostNetwork: boolean;
  readonly hostIpc: boolean;
}

export function sandboxFacts(status: CriSandboxStatus | undefined): SandboxFacts {
  const options = status?.linux?.namespaces?.options;
  const ip = status?.network?.ip;
  return { ...(ip ? { ip } : {}), hostNetwork: options?.network === NAMESPACE_NODE, hostIpc: options?.ipc === NAMESPACE_NODE };
}

export function containerFromCri(runtime: ContainerRuntime, status: CriContainerStatus, info: VerboseInfo, sandbox?: SandboxFacts): ContainerInfo {
  const facts = factsFromOciSpec(info.runtimeSpec ?? {});
  const image = status.image?.user_specified_image || status.image?.image || '';
  const ref = parseImageRef(image);
  const digest = ref.digest ?? (status.image_ref.includes('@') ? status.image_ref.slice(status.image_ref.indexOf('@') + 1) : undefined);
  const imageId = (status.image_id || (status.image_ref.startsWith('sha256:') ? status.image_ref : '')).replace(/^sha256:/, '');
  const mounts: ContainerMount[] = status.mounts.map((m) => ({
    source: m.host_path,
    destination: m.container_path,
    mode: m.readonly ? 'ro' : '',
    rw: !m.readonly,
    propagation: PROPAGATION[m.propagation] ?? '',
  }));
  const linux = status.resources?.linux;
  const memoryLimit = linux && Number(linux.memory_limit_in_bytes) > 0 ? Number(linux.memory_limit_in_bytes) : facts.memoryLimit;
  const cpuLimit = linux && Number(linux.cpu_quota) > 0 && Number(linux.cpu_period) > 0 ? Number(linux.cpu_quota) / Number(linux.cpu_period) : facts.cpuLimit;
  const startedAt = BigInt(status.started_at || '0');
  const pod = podIdentityFromLabels(status.labels);
  const privileged = info.privileged ?? info.config?.linux?.security_context?.privileged ?? facts.privileged;
  const mesosTaskId = facts.env.find((e) => e.startsWith('MESOS_TASK_ID='))?.slice('MESOS_TASK_ID='.length);
  return {
    id: status.id,
    runtime,
    name: status.metadata?.name ?? status.id,
    image,
    ...(imageId ? { imageId } : {}),
    ...(ref.repository === undefined ? {} : { imageRepository: ref.repository }),
    ...(ref.tag === undefined ? {} : { imageTag: ref.tag }),
    ...(digest === undefined ? {} : { imageDigest: digest }),
    privileged,
    mounts,
    labels: status.labels,
    ...(facts.user === undefined ? {} : { user: facts.user }),
    ...(sandbox?.ip ? { ip: sandbox.ip } : {}),
    // Containers join the sandbox's namespaces by path, so the spec cannot tell a host namespace
    // from the pod's; the sandbox's own options can.
    hostNetwork: sandbox?.hostNetwork ?? facts.hostNetwork,
    hostPid: facts.hostPid,
    hostIpc: sandbox?.hostIpc ?? facts.hostIpc,
    ...(cpuLimit === undefined ? {} : { cpuLimit }),
    ...(facts.cpuShares === undefined ? {} : { cpuShares: facts.cpuShares }),
    ...(memoryLimit === undefined ? {} : { memoryLimit }),
    ...(startedAt > 0n ? { startTs: startedAt } : {}),
    ...(pod ? { pod: { ...pod, ...(info.sandboxID && !pod.sandboxId ? { sandboxId: info.sandboxID } : {}) } } : {}),
    ...(mesosTaskId ? { mesosTaskId } : {}),
  };
}

export class CriProvider implements ContainerProvider {
  readonly name = 'cri';
  /** CRI-O until the runtime's Version answer says otherwise. */
  runtime: ContainerRuntime = 'cri-o';
  private readonly client: CriRuntimeClient;
  private readonly reconnector: Reconnector;
  private readonly timeoutMs: number;
  private readonly pollMs: number;
  private sink: ContainerSink | undefined;
  private stream: grpc.ClientReadableStream<unknown> | undefined;
  private poller: NodeJS.Timeout | undefined;
  /** Container id → last CRI state seen (0 created, 1 running, 2 exited). */
  private known = new Map<string, number>();
  private readonly sandboxes = new Map<string, SandboxFacts>();

  constructor(private readonly socketPath: string, options: CriOptions) {
    const Client = criClient();
    this.client = new Client(`unix://${socketPath}`, grpc.credentials.createInsecure(), {
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 1000,
    });
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.pollMs = options.pollMs ?? 1000;
    this.reconnector = new Reconnector(this.name, socketPath, () => void this.connect(), options.backoff);
  }

  start(sink: ContainerSink): void {
    this.sink = sink;
    this.reconnector.watchSocket(this.socketPath);
    void this.connect();
  }

  async fetch(id: string): Promise<ContainerInfo | undefined> {
    let res: { status?: CriContainerStatus; info: Record<string, string> } | undefined;
    try {
      res = await this.call<{ container_id: string; verbose: boolean }, { status?: CriContainerStatus; info: Record<string, string> }>(
        this.client.ContainerStatus, { container_id: id, verbose: true },
      );
    } catch (err) {
      if ((err as grpc.ServiceError).code === grpc.status.NOT_FOUND) return undefined;
      // containerd's CRI answers an unknown id with UNKNOWN "not found" rather than NOT_FOUND.
      if (/not found|does not exist/i.test((err as Error).message)) return undefined;
      this.reconnector.failed(err);
      throw err;
    }
    if (!res?.status) return undefined;
    let info: VerboseInfo = {};
    try {
      info = JSON.parse(res.info['info'] ?? '{}') as VerboseInfo;
    } catch {
      // Without verbose info only the CRI status fields are reported.
    }
    const sandbox = info.sandboxID ? await this.sandbox(info.sandboxID) : undefined;
    return containerFromCri(this.runtime, res.status, info, sandbox);
  }

  health(): ProviderHealth {
    return this.reconnector.health();
  }

  async close(): Promise<void> {
    this.reconnector.close();
    this.stopFollowing();
    this.client.close();
  }

  private call<Req, Res>(method: (req: Req, md: grpc.Metadata, opts: grpc.CallOptions, cb: (e: grpc.ServiceError | null, v?: Res) => void) => unknown, req: Req): Promise<Res | undefined> {
    return new Promise((resolve, reject) => {
      method.call(this.client, req, new grpc.Metadata(), { deadline: Date.now() + this.timeoutMs }, (err, value) => (err ? reject(err) : resolve(value)));
    });
  }

  private async sandbox(sandboxId: string): Promise<SandboxFacts | undefined> {
    const cached = this.sandboxes.get(sandboxId);
    if (cached) return cached;
    try {
      const res = await this.call<{ pod_sandbox_id: string; verbose: boolean }, { status?: CriSandboxStatus }>(
        this.client.PodSandboxStatus, { pod_sandbox_id: sandboxId, verbose: false },
      );
      const facts = sandboxFacts(res?.status);
      if (this.sandboxes.size > 4096) this.sandboxes.clear();
      this.sandboxes.set(sandboxId, facts);
      return facts;
    } catch {
      return undefined;
    }
  }

  private async connect(): Promise<void> {
    this.stopFollowing();
    try {
      const version = await this.call<{ version: string }, { runtime_name: string }>(this.client.Version, { version: 'v1' });
      if (version?.runtime_name === 'containerd') this.runtime = 'containerd';
      else if (version?.runtime_name) this.runtime = 'cri-o';
    } catch (err) {
      this.reconnector.failed(err);
      return;
    }
    this.reconnector.connected();
    this.follow();
    try {
      await this.listAndDiff();
    } catch (err) {
      this.reconnector.failed(err);
    }
  }

  private follow(): void {
    const stream = this.client.GetContainerEvents({});
    this.stream = stream;
    stream.on('data', (e: { container_id: string; container_event_type: number; created_at: string }) => this.onEvent(e));
    stream.on('error', (err: grpc.ServiceError) => {
      if (this.stream !== stream || err.code === grpc.status.CANCELLED) return;
      this.stream = undefined;
      if (err.code === grpc.status.UNIMPLEMENTED) {
        // Older runtimes (containerd 1.6, CRI-O before 1.26): poll the list instead.
        this.poller = setInterval(() => void this.listAndDiff().catch((e: unknown) => this.lost(e)), this.pollMs);
        this.poller.unref();
        return;
      }
      this.lost(err);
    });
  }

  private lost(err: unknown): void {
    this.stopFollowing();
    this.reconnector.failed(err);
  }

  private onEvent(e: { container_id: string; container_event_type: number; created_at: string }): void {
    const sink = this.sink;
    if (!sink) return;
    const atNs = BigInt(e.created_at || '0');
    const at = atNs > 0n ? Number(atNs / 1_000_000n) : Date.now();
    switch (e.container_event_type) {
      case CONTAINER_EVENT.CREATED:
      case CONTAINER_EVENT.STARTED:
        this.known.set(e.container_id, e.container_event_type === CONTAINER_EVENT.STARTED ? STATE_RUNNING : STATE_CREATED);
        this.fetch(e.container_id).then((info) => info && sink.upsert(info), () => undefined);
        break;
      case CONTAINER_EVENT.STOPPED:
        sink.exited(e.container_id, at);
        break;
      case CONTAINER_EVENT.DELETED:
        this.known.delete(e.container_id);
        sink.destroyed(e.container_id, at);
        break;
      default:
        break;
    }
  }

  /**
   * Inspect containers not seen before or just started; report exits, and containers that
   * disappeared as destroyed. The only lifecycle source on runtimes without the event stream.
   */
  private async listAndDiff(): Promise<void> {
    const res = await this.call<{ filter?: object }, { containers: { id: string; state: number }[] }>(this.client.ListContainers, {});
    const now = new Map((res?.containers ?? []).map((c) => [c.id, c.state] as const));
    for (const id of this.known.keys()) if (!now.has(id)) this.sink?.destroyed(id, Date.now());
    const refetch: string[] = [];
    for (const [id, state] of now) {
      const before = this.known.get(id);
      if (before === undefined || (state === STATE_RUNNING && before !== STATE_RUNNING)) refetch.push(id);
      else if (state === STATE_EXITED && before !== STATE_EXITED) this.sink?.exited(id, Date.now());
    }
    this.known = now;
    for (const id of refetch) {
      const info = await this.fetch(id);
      if (info) this.sink?.upsert(info);
    }
  }

  private stopFollowing(): void {
    if (this.poller) clearInterval(this.poller);
    this.poller = undefined;
    this.stream?.cancel();
    this.stream = undefined;
  }
}
