// Kubernetes metadata from a k8s-metacollector: one Watch stream for this node's pods and the
// namespaces, deployments, replica sets, replication controllers and services they reference.
// The collector resolves the references itself (each pod event names the uids of its objects);
// this side keeps one table per kind and answers lookups from them, memoised per change.
import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { stripRuntimePrefix } from '../k8s-index';
import { COLLECTOR_KINDS, metadataClient, type CollectorEvent, type MetadataClient } from '../metacollector-api';
import type { KubernetesProvider, ProviderHealth } from '../provider';
import { Reconnector, type BackoffOptions } from '../reconnector';
import type { CriPodIdentity, K8sMetadata, K8sPodInfo, ObjectRef } from '../types';

const SWEEP_QUIET_MS = 300;

export interface CollectorOptions {
  readonly hostname: string;
  readonly port: number;
  /** Path of a PEM bundle of root certificates; without it (or when it cannot be read) the channel is insecure, as in the plugin. */
  readonly caPEMBundle?: string;
  readonly nodeName?: string;
  readonly backoff?: BackoffOptions;
}

interface Stored {
  readonly ref: ObjectRef;
  readonly namespace: string;
  readonly ip?: string;
  readonly containerIds: readonly string[];
  readonly refs: Readonly<Record<string, readonly string[]>>;
}

type Json = Record<string, unknown>;

function parse(text: string | undefined): Json {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
  } catch {
    return {};
  }
}

function labelsOf(meta: Json): Record<string, string> {
  const l = meta['labels'];
  if (typeof l !== 'object' || l === null) return {};
  return Object.fromEntries(Object.entries(l as Json).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function stored(e: CollectorEvent): Stored {
  const meta = parse(e.meta);
  const status = parse(e.status);
  const statuses = ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses'].flatMap((k) =>
    Array.isArray(status[k]) ? (status[k] as Json[]) : [],
  );
  const refs: Record<string, string[]> = {};
  for (const [kind, l] of Object.entries(e.refs?.resources ?? {})) refs[kind] = [...(l.list ?? [])];
  return {
    ref: { name: typeof meta['name'] === 'string' ? meta['name'] : '', uid: e.uid, labels: labelsOf(meta) },
    namespace: typeof meta['namespace'] === 'string' ? meta['namespace'] : '',
    ...(typeof status['podIP'] === 'string' && status['podIP'] !== '' ? { ip: status['podIP'] } : {}),
    containerIds: statuses.map((s) => s['containerID']).filter((id): id is string => typeof id === 'string' && id !== '').map(stripRuntimePrefix),
    refs,
  };
}

export class MetacollectorClient implements KubernetesProvider {
  readonly name = 'kubernetes';
  private readonly endpoint: string;
  private readonly node: string;
  private readonly credentials: grpc.ChannelCredentials;
  private readonly caError: string | undefined;
  private readonly reconnector: Reconnector;
  private client: MetadataClient | undefined;
  private stream: grpc.ClientReadableStream<CollectorEvent> | undefined;
  /** kind → uid → object. */
  private readonly tables = new Map<string, Map<string, Stored>>();
  /**
   * After a reconnect the collector resends its whole view. What the old stream left is kept
   * (lookups keep answering) until the new stream has been quiet for SWEEP_QUIET_MS; then every
   * object the new stream did not send is dropped, so nothing stale survives an outage.
   */
  private seen: Set<string> | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private freshStream = false;
  private received = false;
  private events = 0;
  private streams = 0;
  private generation = 0;
  private indexed = -1;
  private readonly byContainer = new Map<string, Stored>();
  private readonly answers = new Map<string, { generation: number; identity: CriPodIdentity | undefined; meta: K8sMetadata | undefined }>();

  constructor(options: CollectorOptions) {
    this.endpoint = `${options.hostname}:${options.port}`;
    this.node = options.nodeName ?? process.env['FALCO_K8S_NODE_NAME'] ?? process.env['NODE_NAME'] ?? os.hostname();
    let ca: Buffer | undefined;
    if (options.caPEMBundle) {
      try {
        ca = readFileSync(options.caPEMBundle);
      } catch (err) {
        this.caError = `cannot read the PEM bundle ${options.caPEMBundle} (${(err as Error).message}); the channel is insecure`;
      }
    }
    this.credentials = ca ? grpc.credentials.createSsl(ca) : grpc.credentials.createInsecure();
    this.reconnector = new Reconnector(this.name, this.endpoint, () => this.open(), options.backoff);
  }

  start(): void {
    this.open();
  }

  synced(): boolean {
    return this.received;
  }

  health(): ProviderHealth {
    const h = this.reconnector.health();
    const objects = [...this.tables.values()].reduce((n, t) => n + t.size, 0);
    return {
      ...h,
      ...(h.lastError === undefined && this.caError !== undefined ? { lastError: this.caError } : {}),
      watches: [
        {
          resource: 'collector stream',
          state: h.state === 'connected' ? 'watching' : this.received ? 'failed' : 'listing',
          objects,
          events: this.events,
          relists: Math.max(0, this.streams - 1),
          ...(h.lastError === undefined ? {} : { lastError: h.lastError }),
        },
      ],
    };
  }

  forContainer(containerId: string, identity?: CriPodIdentity): K8sMetadata | undefined {
    const cached = this.answers.get(containerId);
    if (cached && cached.generation === this.generation && cached.identity === identity) return cached.meta;
    this.reindex();
    const pod = this.byContainer.get(containerId) ?? (identity ? this.tables.get('Pod')?.get(identity.uid) : undefined);
    const meta = pod ? this.resolve(pod, identity) : identity ? { podIdentity: identity, services: [] } : undefined;
    if (this.answers.size > 10000) this.answers.clear();
    this.answers.set(containerId, { generation: this.generation, identity, meta });
    return meta;
  }

  async close(): Promise<void> {
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.reconnector.close();
    this.stream?.cancel();
    this.client?.close();
  }

  private open(): void {
    if (this.reconnector.closed) return;
    const Client = metadataClient();
    this.client ??= new Client(this.endpoint, this.credentials);
    const stream = this.client.Watch({ nodeName: this.node, resourceKinds: Object.fromEntries(COLLECTOR_KINDS.map((k) => [k, 'true'])) });
    this.stream = stream;
    this.streams++;
    this.freshStream = true;
    stream.on('data', (e: CollectorEvent) => {
      if (stream !== this.stream) return;
      if (this.freshStream) {
        this.freshStream = false;
        if (this.received) this.seen = new Set();
        this.reconnector.connected();
      }
      this.apply(e);
      if (this.seen) {
        this.seen.add(e.uid);
        if (this.sweepTimer) clearTimeout(this.sweepTimer);
        this.sweepTimer = setTimeout(() => this.sweep(), SWEEP_QUIET_MS);
        this.sweepTimer.unref();
      }
    });
    stream.on('error', (err: grpc.ServiceError) => {
      if (stream !== this.stream || this.reconnector.closed) return;
      this.reconnector.failed(new Error(`k8s-metacollector at ${this.endpoint}: ${err.details || err.message}`));
    });
    stream.on('end', () => {
      if (stream !== this.stream) return;
      this.reconnector.failed(new Error(`k8s-metacollector at ${this.endpoint} ended the watch`));
    });
  }

  /** Drops what the resent view no longer has. */
  private sweep(): void {
    const seen = this.seen;
    this.seen = undefined;
    if (!seen) return;
    for (const table of this.tables.values()) for (const uid of [...table.keys()]) if (!seen.has(uid)) table.delete(uid);
    this.generation++;
  }

  private apply(e: CollectorEvent): void {
    this.events++;
    this.received = true;
    const kind = e.kind === 'ReplicaController' ? 'ReplicationController' : e.kind;
    let table = this.tables.get(kind);
    if (!table) this.tables.set(kind, (table = new Map()));
    if (e.reason === 'Delete') table.delete(e.uid);
    else if (e.reason === 'Create' || e.reason === 'Update') table.set(e.uid, stored(e));
    else return;
    this.generation++;
  }

  private reindex(): void {
    if (this.indexed === this.generation) return;
    this.byContainer.clear();
    for (const pod of this.tables.get('Pod')?.values() ?? []) {
      for (const id of pod.containerIds) {
        this.byContainer.set(id, pod);
        if (id.length === 64) this.byContainer.set(id.slice(0, 12), pod);
      }
    }
    this.indexed = this.generation;
  }

  private object(pod: Stored, kind: string): ObjectRef | undefined {
    const uid = pod.refs[kind]?.[0];
    return uid === undefined ? undefined : this.tables.get(kind)?.get(uid)?.ref;
  }

  private resolve(pod: Stored, identity: CriPodIdentity | undefined): K8sMetadata {
    const info: K8sPodInfo = {
      ...pod.ref,
      namespace: pod.namespace,
      ...(pod.ip ? { ip: pod.ip } : {}),
      nodeName: this.node,
      containerIds: pod.containerIds,
    };
    const namespace = this.object(pod, 'Namespace');
    const replicaSet = this.object(pod, 'ReplicaSet');
    const deployment = this.object(pod, 'Deployment');
    const replicationController = this.object(pod, 'ReplicationController') ?? this.object(pod, 'ReplicaController');
    const services = (pod.refs['Service'] ?? [])
      .map((uid) => this.tables.get('Service')?.get(uid)?.ref)
      .filter((r): r is ObjectRef => r !== undefined)
      .sort((a, b) => a.name.localeCompare(b.name));
    return {
      pod: info,
      ...(identity ? { podIdentity: identity } : {}),
      ...(namespace ? { namespace } : {}),
      ...(replicaSet ? { replicaSet } : {}),
      ...(deployment ? { deployment } : {}),
      ...(replicationController ? { replicationController } : {}),
      services,
    };
  }
}
