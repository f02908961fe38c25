/**
 * The Prometheus registry with Falco's metric names (`falcosecurity_falco_*`, `falcosecurity_scap_*`,
 * `falcosecurity_evt_*`) and labels, plus this project's per-sink delivery counters. The CLI's web
 * server serves `render()` (or `metricsRequestHandler`) at `/metrics`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { availableParallelism, release } from 'node:os';
import type * as PromClient from 'prom-client';
import type { Registry } from 'prom-client';
import { defaultHostname, priorityLevel, type Alert } from '@falco-ts/alert';
import type { DeliveryObserver, DropCause } from './channel';
import {
  hostBootNs,
  hostMemoryUsedBytes,
  hostOpenFds,
  hostProcsRunning,
  processPssBytes,
  processVszBytes,
} from './proc-stats';

/** Kernel-side and userspace event counters, supplied by the driver through the CLI. */
export interface EventStats {
  /** Events read from the kernel (`falcosecurity_scap_n_evts_total`). */
  readonly nEvts: number;
  /** All kernel-side drops (`falcosecurity_scap_n_drops_total`). */
  readonly nDrops: number;
  /** Ring-buffer-full drops by syscall category and direction (`falcosecurity_scap_n_drops_buffer_total`). */
  readonly dropsBuffer?: readonly { readonly dir: 'enter' | 'exit'; readonly drop: string; readonly count: number }[];
  readonly nDropsScratchMap?: number;
  readonly nDropsPageFaults?: number;
  readonly nDropsBug?: number;
}

/** One metadata watch (a Kubernetes resource's list-and-watch loop), supplied through the CLI. */
export interface WatchStats {
  readonly provider: string;
  readonly resource: string;
  readonly state: 'listing' | 'watching' | 'failed';
  readonly objects: number;
  readonly events: number;
  readonly relists: number;
}

export interface MetricsOptions {
  readonly version: string;
  readonly hostname?: string;
  /** `scap.engine_name`, e.g. `modern_ebpf` or `replay`. */
  readonly engineName?: string;
  /** Enabled event sources (`syscall`, `k8s_audit`). */
  readonly sources?: readonly string[];
  readonly rulesFiles?: readonly { readonly fileName: string; readonly sha256: string }[];
  readonly configFiles?: readonly { readonly fileName: string; readonly sha256: string }[];
  /** Metric names are fixed, so each instance needs its own registry; one is created when absent. */
  readonly registry?: Registry;
}

const HELP_URL = 'https://falco.org/docs/metrics/';

/** Plain numbers bumped on the alert path and published by prom-client only when scraped. */
interface RuleCount {
  readonly labels: { readonly priority: string; readonly rule_name: string; readonly source: string; readonly tags: string };
  readonly tagCounts: readonly { n: number }[];
  n: number;
}

interface SinkCounts {
  sent: number;
  failed: number;
  readonly drops: Map<DropCause, number>;
}

export class FalcoMetrics implements DeliveryObserver {
  readonly registry: Registry;
  private readonly startNs = BigInt(Date.now()) * 1_000_000n;
  private readonly startCpu = process.cpuUsage();
  private readonly startHr = process.hrtime.bigint();
  private eventStats: (() => EventStats) | undefined;
  private watches: (() => readonly WatchStats[]) | undefined;
  private backlog: (() => readonly { readonly sink: string; readonly queued: number; readonly spooled: number }[]) | undefined;
  /**
   * rule → source → counts by priority level. Nested maps so counting builds no key string, and
   * plain numbers because prom-client's labelled `inc` hashes its labels on every call.
   */
  private readonly ruleCounts = new Map<string, Map<string, (RuleCount | undefined)[]>>();
  private readonly tagCounts = new Map<string, { n: number }>();
  private readonly sinkCounts = new Map<string, SinkCounts>();
  private queueDropCount = 0;

  constructor(opts: MetricsOptions) {
    // prom-client is loaded by the first instance, not at import: it is ~35 ms of start-up that
    // runs without metrics would otherwise pay.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Counter, Gauge, Registry } = require('prom-client') as typeof PromClient;
    const registry = opts.registry ?? new Registry();
    this.registry = registry;
    const reg = [registry];
    const help = (what: string): string => `${what} (${HELP_URL})`;
    const info = (name: string, what: string, labels: Record<string, string>): void => {
      const g = new Gauge({ name, help: help(what), labelNames: Object.keys(labels), registers: reg });
      g.set(labels, 1);
    };

    info('falcosecurity_falco_version_info', 'detector version', { version: opts.version });
    info('falcosecurity_evt_hostname_info', 'host name put in alerts', { hostname: opts.hostname ?? defaultHostname() });
    info('falcosecurity_falco_kernel_release_info', 'kernel release', { kernel_release: release() });
    if (opts.engineName !== undefined) info('falcosecurity_scap_engine_name_info', 'capture engine', { engine_name: opts.engineName });
    const sourceInfo = new Gauge({ name: 'falcosecurity_falco_evt_source_info', help: help('enabled event sources'), labelNames: ['evt_source'], registers: reg });
    for (const s of opts.sources ?? ['syscall']) sourceInfo.set({ evt_source: s }, 1);
    const fileInfo = (name: string, what: string, files: MetricsOptions['rulesFiles']): void => {
      if (files === undefined || files.length === 0) return;
      const g = new Gauge({ name, help: help(what), labelNames: ['file_name', 'sha256'], registers: reg });
      for (const f of files) g.set({ file_name: f.fileName, sha256: f.sha256 }, 1);
    };
    fileInfo('falcosecurity_falco_sha256_rules_files_info', 'loaded rules files', opts.rulesFiles);
    fileInfo('falcosecurity_falco_sha256_config_files_info', 'loaded config files', opts.configFiles);

    const startNs = this.startNs;
    new Gauge({
      name: 'falcosecurity_falco_start_timestamp_nanoseconds',
      help: help('detector start time'),
      registers: reg,
      collect() {
        this.set(Number(startNs));
      },
    });
    const cpuRatio = (): number => this.cpuRatio();
    const statsNow = (): EventStats | undefined => this.eventStats?.();
    const startHr = this.startHr;
    const gauge = (name: string, what: string, read: () => number | undefined): void => {
      new Gauge({
        name,
        help: help(what),
        registers: reg,
        collect() {
          const v = read();
          if (v !== undefined) this.set(v);
        },
      });
    };
    gauge('falcosecurity_falco_host_boot_timestamp_nanoseconds', 'host boot time', hostBootNs);
    gauge('falcosecurity_falco_host_num_cpus_total', 'CPUs on the host', () => availableParallelism());
    gauge('falcosecurity_falco_cpu_usage_ratio', 'CPU time used by the detector over its wall time (1 = one CPU)', cpuRatio);
    gauge('falcosecurity_falco_memory_rss_bytes', 'resident set size', () => process.memoryUsage.rss());
    gauge('falcosecurity_falco_memory_vsz_bytes', 'virtual memory size', processVszBytes);
    gauge('falcosecurity_falco_memory_pss_bytes', 'proportional set size', processPssBytes);
    gauge('falcosecurity_falco_host_memory_used_bytes', 'memory in use on the host', hostMemoryUsedBytes);
    gauge('falcosecurity_falco_host_open_fds_total', 'open file handles on the host', hostOpenFds);
    gauge('falcosecurity_falco_host_procs_running_total', 'runnable processes on the host', hostProcsRunning);
    new Counter({
      name: 'falcosecurity_falco_duration_seconds_total',
      help: help('seconds since the detector started'),
      registers: reg,
      collect() {
        this.reset();
        this.inc(Math.floor(Number(process.hrtime.bigint() - startHr) / 1e9));
      },
    });

    const ruleCounts = this.ruleCounts;
    const tagCounts = this.tagCounts;
    const sinkCounts = this.sinkCounts;
    const queueDrops = (): number => this.queueDropCount;
    new Counter({
      name: 'falcosecurity_falco_rules_matches_total',
      help: help('alerts by rule, priority (0 Emergency … 7 Debug), source and tags'),
      labelNames: ['priority', 'rule_name', 'source', 'tags'],
      registers: reg,
      collect() {
        this.reset();
        for (const bySource of ruleCounts.values()) {
          for (const byPriority of bySource.values()) for (const c of byPriority) if (c !== undefined) this.inc(c.labels, c.n);
        }
      },
    });
    new Counter({
      name: 'falcosecurity_falco_rules_matches_by_tag_total',
      help: help('alerts counted once per tag of the matching rule'),
      labelNames: ['tag'],
      registers: reg,
      collect() {
        this.reset();
        for (const [tag, c] of tagCounts) this.inc({ tag }, c.n);
      },
    });
    new Counter({
      name: 'falcosecurity_falco_outputs_queue_num_drops_total',
      help: help('alerts dropped because an output queue was full'),
      registers: reg,
      collect() {
        this.reset();
        this.inc(queueDrops());
      },
    });
    const perSink = (name: string, what: string, read: (c: SinkCounts) => number): void => {
      new Counter({
        name,
        help: help(what),
        labelNames: ['sink'],
        registers: reg,
        collect() {
          this.reset();
          for (const [sink, c] of sinkCounts) this.inc({ sink }, read(c));
        },
      });
    };
    perSink('falcosecurity_falco_outputs_sent_total', 'alerts delivered, by sink', (c) => c.sent);
    perSink('falcosecurity_falco_outputs_failed_total', 'failed delivery attempts, by sink', (c) => c.failed);
    new Counter({
      name: 'falcosecurity_falco_outputs_drops_total',
      help: help('alerts that never reached their receiver, by sink and cause'),
      labelNames: ['sink', 'cause'],
      registers: reg,
      collect() {
        this.reset();
        for (const [sink, c] of sinkCounts) for (const [cause, n] of c.drops) this.inc({ sink, cause }, n);
      },
    });
    const backlogNow = (): readonly { sink: string; queued: number; spooled: number }[] => this.backlog?.() ?? [];
    new Gauge({
      name: 'falcosecurity_falco_outputs_queue_length',
      help: help('alerts waiting in memory, by sink'),
      labelNames: ['sink'],
      registers: reg,
      collect() {
        this.reset();
        for (const b of backlogNow()) this.set({ sink: b.sink }, b.queued);
      },
    });
    new Gauge({
      name: 'falcosecurity_falco_outputs_spool_length',
      help: help('alerts waiting in the on-disk spool, by sink'),
      labelNames: ['sink'],
      registers: reg,
      collect() {
        this.reset();
        for (const b of backlogNow()) this.set({ sink: b.sink }, b.spooled);
      },
    });

    const scapCounter = (name: string, what: string, read: (s: EventStats) => number | undefined): void => {
      new Counter({
        name,
        help: help(what),
        registers: reg,
        collect() {
          const stats = statsNow();
          const v = stats === undefined ? undefined : read(stats);
          this.reset();
          if (v !== undefined) this.inc(v);
        },
      });
    };
    scapCounter('falcosecurity_scap_n_evts_total', 'events read from the kernel', (s) => s.nEvts);
    scapCounter('falcosecurity_scap_n_drops_total', 'events dropped kernel-side, all causes', (s) => s.nDrops);
    scapCounter('falcosecurity_scap_n_drops_scratch_map_total', 'drops: event larger than the scratch map', (s) => s.nDropsScratchMap);
    scapCounter('falcosecurity_scap_n_drops_page_faults_total', 'drops: page fault while reading user memory', (s) => s.nDropsPageFaults);
    scapCounter('falcosecurity_scap_n_drops_bug_total', 'drops: unexpected driver state', (s) => s.nDropsBug);
    new Counter({
      name: 'falcosecurity_scap_n_drops_buffer_total',
      help: help('drops: ring buffer full, by syscall category and direction'),
      labelNames: ['dir', 'drop'],
      registers: reg,
      collect() {
        this.reset();
        for (const d of statsNow()?.dropsBuffer ?? []) this.inc({ dir: d.dir, drop: d.drop }, d.count);
      },
    });
    const watchesNow = (): readonly WatchStats[] => this.watches?.() ?? [];
    const watchGauge = (name: string, what: string, read: (w: WatchStats) => number): void => {
      new Gauge({
        name,
        help: help(what),
        labelNames: ['provider', 'resource'],
        registers: reg,
        collect() {
          this.reset();
          for (const w of watchesNow()) this.set({ provider: w.provider, resource: w.resource }, read(w));
        },
      });
    };
    const watchCounter = (name: string, what: string, read: (w: WatchStats) => number): void => {
      new Counter({
        name,
        help: help(what),
        labelNames: ['provider', 'resource'],
        registers: reg,
        collect() {
          this.reset();
          for (const w of watchesNow()) this.inc({ provider: w.provider, resource: w.resource }, read(w));
        },
      });
    };
    watchGauge('falcosecurity_falco_metadata_watch_up', 'metadata watches: 1 while watching, 0 while listing or failed', (w) => (w.state === 'watching' ? 1 : 0));
    watchGauge('falcosecurity_falco_metadata_watch_objects', 'metadata watches: objects held', (w) => w.objects);
    watchCounter('falcosecurity_falco_metadata_watch_events_total', 'metadata watches: changes applied', (w) => w.events);
    watchCounter('falcosecurity_falco_metadata_watch_relists_total', 'metadata watches: lists after the first', (w) => w.relists);
  }

  /** `createOutputs` connects its lanes here so queue and spool lengths are read at every scrape. */
  setBacklogSource(source: () => readonly { readonly sink: string; readonly queued: number; readonly spooled: number }[]): void {
    this.backlog = source;
  }

  /** The CLI passes the metadata providers' watches (Kubernetes) here; read at every scrape. */
  setWatchSource(source: () => readonly WatchStats[]): void {
    this.watches = source;
  }

  /** The CLI passes the driver's counters here; they are read at every scrape. */
  setEventStatsSource(source: () => EventStats): void {
    this.eventStats = source;
  }

  private cpuRatio(): number {
    const cpu = process.cpuUsage(this.startCpu);
    const wallUs = Number(process.hrtime.bigint() - this.startHr) / 1000;
    return wallUs > 0 ? (cpu.user + cpu.system) / wallUs : 0;
  }

  /** Counts one alert: three map lookups and a few additions, nothing allocated after a rule's first alert. */
  ruleMatched(alert: Alert): void {
    let bySource = this.ruleCounts.get(alert.rule);
    if (bySource === undefined) {
      bySource = new Map();
      this.ruleCounts.set(alert.rule, bySource);
    }
    let byPriority = bySource.get(alert.source);
    if (byPriority === undefined) {
      byPriority = [];
      bySource.set(alert.source, byPriority);
    }
    const level = priorityLevel(alert.priority);
    let c = byPriority[level];
    if (c === undefined) {
      const tags = [...alert.tags].sort();
      c = {
        labels: { priority: String(level), rule_name: alert.rule, source: alert.source, tags: tags.join(', ') },
        tagCounts: tags.map((tag) => {
          let t = this.tagCounts.get(tag);
          if (t === undefined) {
            t = { n: 0 };
            this.tagCounts.set(tag, t);
          }
          return t;
        }),
        n: 0,
      };
      byPriority[level] = c;
    }
    c.n++;
    for (const t of c.tagCounts) t.n++;
  }

  private sink(name: string): SinkCounts {
    let c = this.sinkCounts.get(name);
    if (c === undefined) {
      c = { sent: 0, failed: 0, drops: new Map() };
      this.sinkCounts.set(name, c);
    }
    return c;
  }

  sent(sink: string): void {
    this.sink(sink).sent++;
  }

  failed(sink: string): void {
    this.sink(sink).failed++;
  }

  dropped(sink: string, cause: DropCause, count: number): void {
    const c = this.sink(sink);
    c.drops.set(cause, (c.drops.get(cause) ?? 0) + count);
    if (cause === 'queue_full') this.queueDropCount += count;
  }

  /** Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** A `node:http` handler that answers with the metrics (mount it at `/metrics`). */
export function metricsRequestHandler(metrics: FalcoMetrics): (req: IncomingMessage, res: ServerResponse) => void {
  return (_req, res) => {
    metrics.render().then(
      (body) => {
        res.writeHead(200, { 'Content-Type': metrics.contentType });
        res.end(body);
      },
      (err: unknown) => {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(`metrics unavailable: ${err instanceof Error ? err.message : String(err)}\n`);
      },
    );
  };
}
