// The one object other packages use. Lookups are synchronous Map reads (the event path never
// waits); a miss starts at most one asynchronous fetch per id. Providers also push records on
// their own (runtime events, informers), so most lookups hit before anyone misses.
import { closedError, configError, unknownProviderError } from './errors';
import type { ContainerProvider, ContainerSink, KubernetesProvider, MesosProvider, ProviderHealth } from './provider';
import { containerProviders, kubernetesProviders, mesosProviders, providerNames } from './providers';
import { containerField, k8sField, mesosField, type FieldValue } from './fields';
import type { ContainerInfo, ContainerRuntime, K8sMetadata, MesosMetadata } from './types';

export interface MetadataServiceOptions {
  /**
   * Providers to run, by name, each with its own options (`{}` for defaults). A provider that is
   * not named does not run.
   */
  readonly providers: Readonly<Record<string, object>>;
  /** How long a record stays resolvable after its container is destroyed (ms). Default 60000. */
  readonly retainExitedMs?: number;
  /** After a fetch finds nothing, do not ask again for this long (ms). Default 2000. */
  readonly negativeTtlMs?: number;
  /** Default bound for `waitForContainer` (ms). Default 100. */
  readonly waitMs?: number;
  /** Labels whose value is longer than this are not reported (Falco's `label_max_len`). */
  readonly labelMaxLen?: number;
}

export interface MetadataCounters {
  /** `lookupContainer` calls. */
  lookups: number;
  hits: number;
  misses: number;
  /** Fetches started by misses. */
  fetches: number;
  /** Fetches that failed because a runtime was unreachable or answered badly. */
  fetchErrors: number;
  /** Fetches that no runtime knew. */
  notFound: number;
  /** Records pushed by runtime events and resyncs. */
  pushed: number;
  waits: number;
  /** Waits that ended without metadata: the alert goes out with `<NA>` fields. */
  waitTimeouts: number;
}

export interface HealthReport {
  /** `ok` when every provider is connected. */
  readonly status: 'ok' | 'degraded';
  readonly providers: readonly ProviderHealth[];
}

type Waiter = (info: ContainerInfo | undefined) => void;

const SHORT_ID_LENGTH = 12;

export class MetadataService {
  private readonly containers = new Map<string, ContainerInfo>();
  /** 12-character short id → full id, because cgroup parsers and users both use short ids. */
  private readonly shortIds = new Map<string, string>();
  private readonly pending = new Map<string, Promise<ContainerInfo | undefined>>();
  private readonly negative = new Map<string, number>();
  private readonly removeAt = new Map<string, number>();
  private readonly waiters = new Map<string, Set<Waiter>>();
  private readonly listeners = new Set<(info: ContainerInfo) => void>();
  /** `k8s.*` answers from kubelet labels alone, one per record, so lookups do not allocate. */
  private readonly podIdentityOnly = new WeakMap<object, K8sMetadata>();
  private readonly mesosMemo = new Map<string, { generation: number; info: ContainerInfo | undefined; value: MesosMetadata | undefined }>();
  private readonly runtimes: ContainerProvider[] = [];
  private readonly kubernetes: KubernetesProvider | undefined;
  private readonly mesos: MesosProvider[] = [];
  private readonly sweeper: NodeJS.Timeout;
  private readonly retainExitedMs: number;
  private readonly negativeTtlMs: number;
  private readonly waitMs: number;
  private readonly labelMaxLen: number;
  private closed = false;
  private readonly stats: MetadataCounters = {
    lookups: 0, hits: 0, misses: 0, fetches: 0, fetchErrors: 0, notFound: 0, pushed: 0, waits: 0, waitTimeouts: 0,
  };

  constructor(options: MetadataServiceOptions) {
    this.retainExitedMs = nonNegative(options.retainExitedMs, 60000, 'retainExitedMs');
    this.negativeTtlMs = nonNegative(options.negativeTtlMs, 2000, 'negativeTtlMs');
    this.waitMs = nonNegative(options.waitMs, 100, 'waitMs');
    this.labelMaxLen = nonNegative(options.labelMaxLen, Infinity, 'labelMaxLen');
    for (const name of Object.keys(options.providers)) {
      if (!providerNames.includes(name)) throw unknownProviderError(name, providerNames);
    }
    const configured = (name: string) => options.providers[name];
    for (const def of containerProviders) {
      const o = configured(def.name);
      if (o) this.runtimes.push(def.create(o));
    }
    const k8s = kubernetesProviders.filter((d) => configured(d.name));
    this.kubernetes = k8s[0]?.create(configured(k8s[0].name) ?? {});
    for (const def of mesosProviders) {
      const o = configured(def.name);
      if (o) this.mesos.push(def.create(o));
    }
    const sink = this.sink();
    for (const p of this.runtimes) p.start(sink);
    this.kubernetes?.start();
    for (const p of this.mesos) p.start();
    this.sweeper = setInterval(() => this.sweep(), Math.max(250, Math.min(this.retainExitedMs, 5000)));
    this.sweeper.unref();
  }

  /**
   * Synchronous cache read for the event path. On a miss it starts one asynchronous fetch (from
   * `runtime` when the caller knows it, else from every runtime in turn) and returns undefined.
   */
  lookupContainer(id: string, runtime?: ContainerRuntime): ContainerInfo | undefined {
    this.stats.lookups++;
    const info = this.cached(id);
    if (info !== undefined) {
      this.stats.hits++;
      return info;
    }
    this.stats.misses++;
    this.startFetch(id, runtime);
    return undefined;
  }

  /**
   * For alerts: the record now if cached, else wait at most `ms` for a fetch or a runtime event to
   * deliver it. Resolves undefined when time runs out (counted in `waitTimeouts`).
   */
  waitForContainer(id: string, ms: number = this.waitMs, runtime?: ContainerRuntime): Promise<ContainerInfo | undefined> {
    const hit = this.lookupContainer(id, runtime);
    if (hit !== undefined || this.closed) return Promise.resolve(hit);
    this.stats.waits++;
    return new Promise((resolve) => {
      const key = this.waitKey(id);
      let set = this.waiters.get(key);
      if (!set) this.waiters.set(key, (set = new Set()));
      const waiters = set;
      const done: Waiter = (info) => {
        clearTimeout(timer);
        waiters.delete(done);
        if (waiters.size === 0 && this.waiters.get(key) === waiters) this.waiters.delete(key);
        if (info === undefined) this.stats.waitTimeouts++;
        resolve(info);
      };
      const timer = setTimeout(() => done(this.cached(id)), ms);
      waiters.add(done);
    });
  }

  /** `k8s.*` metadata for a container, from the CRI labels and the informer caches. */
  k8sForContainer(id: string): K8sMetadata | undefined {
    const info = this.cached(id);
    const fullId = info?.id ?? id;
    const fromApi = this.kubernetes?.forContainer(fullId, info?.pod);
    if (fromApi) return fromApi;
    if (!info?.pod) return undefined;
    let labelsOnly = this.podIdentityOnly.get(info.pod);
    if (!labelsOnly) this.podIdentityOnly.set(info.pod, (labelsOnly = { podIdentity: info.pod, services: [] }));
    return labelsOnly;
  }

  /** `mesos.*` and `marathon.*` metadata for a container, from the polled caches. */
  mesosForContainer(id: string): MesosMetadata | undefined {
    if (this.mesos.length === 0) return undefined;
    const info = this.cached(id);
    // Memoised per container until a provider swaps in a new snapshot or the record changes.
    let generation = 0;
    for (const p of this.mesos) generation += p.generation();
    const memo = this.mesosMemo.get(id);
    if (memo && memo.generation === generation && memo.info === info) return memo.value;
    let merged: MesosMetadata | undefined;
    for (const p of this.mesos) {
      const m = p.forContainer(info?.id ?? id, info, merged);
      if (m) merged = merged ? { ...merged, ...m } : m;
    }
    if (this.mesosMemo.size > 10000) this.mesosMemo.clear();
    this.mesosMemo.set(id, { generation, info, value: merged });
    return merged;
  }

  /**
   * One field's value for a container, as an alert shows it (`null` for `<NA>`): the whole lookup
   * behind `container.*`, `k8s.*`, `mesos.*` and `marathon.*` in one synchronous call.
   */
  field(containerId: string, name: string, arg?: string): FieldValue {
    if (name.startsWith('container.')) return containerField(this.lookupContainer(containerId), name, arg);
    if (name.startsWith('k8s.')) return k8sField(this.k8sForContainer(containerId), name, arg);
    if (name.startsWith('mesos.') || name.startsWith('marathon.')) return mesosField(this.mesosForContainer(containerId), name, arg);
    return null;
  }

  /** Called for every record a provider delivers (pushed or fetched). Returns an unsubscribe. */
  onContainer(listener: (info: ContainerInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  health(): HealthReport {
    const providers = [
      ...this.runtimes.map((p) => p.health()),
      ...(this.kubernetes ? [this.kubernetes.health()] : []),
      ...this.mesos.map((p) => p.health()),
    ];
    return { status: providers.every((p) => p.state === 'connected') ? 'ok' : 'degraded', providers };
  }

  /** A copy of the counters, plus the cache size, for Prometheus. */
  counters(): MetadataCounters & { cachedContainers: number } {
    return { ...this.stats, cachedContainers: this.containers.size };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweeper);
    for (const set of [...this.waiters.values()]) for (const w of [...set]) w(undefined);
    await Promise.all([
      ...this.runtimes.map((p) => p.close()),
      ...(this.kubernetes ? [this.kubernetes.close()] : []),
      ...this.mesos.map((p) => p.close()),
    ]);
  }

  /** Resolves once the Kubernetes informers have listed (or immediately without Kubernetes). */
  async kubernetesSynced(timeoutMs = 10000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.kubernetes && !this.kubernetes.synced()) {
      if (this.closed) throw closedError();
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 25));
    }
    return true;
  }

  private cached(id: string): ContainerInfo | undefined {
    const direct = this.containers.get(id);
    if (direct !== undefined || id.length !== SHORT_ID_LENGTH) return direct;
    const full = this.shortIds.get(id);
    return full === undefined ? undefined : this.containers.get(full);
  }

  private waitKey(id: string): string {
    return id.length > SHORT_ID_LENGTH && /^[0-9a-f]+$/.test(id) ? id.slice(0, SHORT_ID_LENGTH) : id;
  }

  private startFetch(id: string, runtime: ContainerRuntime | undefined): void {
    if (this.closed || this.pending.has(id)) return;
    const until = this.negative.get(id);
    if (until !== undefined && until > Date.now()) return;
    const candidates = runtime ? this.runtimes.filter((p) => p.runtime === runtime) : this.runtimes;
    if (candidates.length === 0) return;
    this.stats.fetches++;
    const fetch = (async () => {
      let failed = false;
      for (const p of candidates) {
        try {
          const info = await p.fetch(id);
          if (info) return info;
        } catch {
          failed = true;
        }
      }
      if (failed) this.stats.fetchErrors++;
      else this.stats.notFound++;
      return undefined;
    })();
    this.pending.set(id, fetch);
    void fetch.then((info) => {
      this.pending.delete(id);
      if (info) this.store(info);
      else this.negative.set(id, Date.now() + this.negativeTtlMs);
    });
  }

  private store(fetched: ContainerInfo): void {
    if (this.closed) return;
    const info = this.withoutLongLabels(fetched);
    const previous = this.containers.get(info.id);
    // A late inspect must not resurrect a container the runtime already reported gone.
    const record = previous?.exitedAt !== undefined && info.exitedAt === undefined && this.removeAt.has(info.id)
      ? { ...info, exitedAt: previous.exitedAt }
      : info;
    this.containers.set(info.id, record);
    this.shortIds.set(info.id.slice(0, SHORT_ID_LENGTH), info.id);
    this.negative.delete(info.id);
    this.negative.delete(info.id.slice(0, SHORT_ID_LENGTH));
    for (const key of new Set([info.id, info.id.slice(0, SHORT_ID_LENGTH)])) {
      const set = this.waiters.get(key);
      if (set) for (const w of [...set]) w(record);
    }
    for (const l of this.listeners) l(record);
  }

  private withoutLongLabels(info: ContainerInfo): ContainerInfo {
    if (this.labelMaxLen === Infinity) return info;
    const entries = Object.entries(info.labels);
    if (entries.every(([, v]) => v.length <= this.labelMaxLen)) return info;
    return { ...info, labels: Object.fromEntries(entries.filter(([, v]) => v.length <= this.labelMaxLen)) };
  }

  private sink(): ContainerSink {
    return {
      upsert: (info) => {
        this.stats.pushed++;
        this.store(info);
      },
      started: (id, startTs) => {
        const info = this.containers.get(id);
        if (info && info.startTs === undefined) this.containers.set(id, { ...info, startTs });
      },
      exited: (id, at) => {
        const info = this.containers.get(id);
        if (info && info.exitedAt === undefined) this.containers.set(id, { ...info, exitedAt: at });
      },
      destroyed: (id, at) => {
        const info = this.containers.get(id);
        if (info && info.exitedAt === undefined) this.containers.set(id, { ...info, exitedAt: at });
        this.removeAt.set(id, Date.now() + this.retainExitedMs);
      },
    };
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, at] of this.removeAt) {
      if (at > now) continue;
      this.removeAt.delete(id);
      this.containers.delete(id);
      if (this.shortIds.get(id.slice(0, SHORT_ID_LENGTH)) === id) this.shortIds.delete(id.slice(0, SHORT_ID_LENGTH));
    }
    for (const [id, until] of this.negative) if (until <= now) this.negative.delete(id);
  }
}

function nonNegative(value: number | undefined, fallback: number, key: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw configError(key, `${key} must be a non-negative number of milliseconds, got ${value}`);
  return value;
}
