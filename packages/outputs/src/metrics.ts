/**
 * The Prometheus registry with Falco's metric names (`falcosecurity_falco_*`, `falcosecurity_scap_*`,
 * `falcosecurity_evt_*`) and labels, plus this project's per-sink delivery counters. The CLI's web
 * server serves `render()` (or `metricsRequestHandler`) at `/metrics`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { availableParallelism, release } from 'node:os';
import { Counter, Gauge, Registry } from 'prom-client';
import type { Alert } from './alert';
import { defaultHostname, priorityLevel } from './alert';
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

interface RuleCounters {
  readonly match: Counter.Internal;
  readonly byTag: readonly Counter.Internal[];
}

export class FalcoMetrics implements DeliveryObserver {
  readonly registry: Registry;
  private readonly startNs = BigInt(Date.now()) * 1_000_000n;
  private readonly startCpu = process.cpuUsage();
  private readonly startHr = process.hrtime.bigint();
  private eventStats: (() => EventStats) | undefined;
  private backlog: (() => readonly { readonly sink: string; readonly queued: number; readonly spooled: number }[]) | undefined;
  /** rule → source → counters by priority level; nested maps so counting builds no key string. */
  private readonly ruleCounters = new Map<string, Map<string, (RuleCounters | undefined)[]>>();

  private readonly rulesMatches: Counter<string>;
  private readonly rulesMatchesByTag: Counter<string>;
  private readonly queueDrops: Counter<string>;
  private readonly outputsSent: Counter<string>;
  private readonly outputsFailed: Counter<string>;
  private readonly outputsDrops: Counter<string>;

  constructor(opts: MetricsOptions) {
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

    this.rulesMatches = new Counter({
      name: 'falcosecurity_falco_rules_matches_total',
      help: help('alerts by rule, priority (0 Emergency … 7 Debug), source and tags'),
      labelNames: ['priority', 'rule_name', 'source', 'tags'],
      registers: reg,
    });
    this.rulesMatchesByTag = new Counter({
      name: 'falcosecurity_falco_rules_matches_by_tag_total',
      help: help('alerts counted once per tag of the matching rule'),
      labelNames: ['tag'],
      registers: reg,
    });
    this.queueDrops = new Counter({
      name: 'falcosecurity_falco_outputs_queue_num_drops_total',
      help: help('alerts dropped because an output queue was full'),
      registers: reg,
    });
    this.outputsSent = new Counter({
      name: 'falcosecurity_falco_outputs_sent_total',
      help: help('alerts delivered, by sink'),
      labelNames: ['sink'],
      registers: reg,
    });
    this.outputsFailed = new Counter({
      name: 'falcosecurity_falco_outputs_failed_total',
      help: help('failed delivery attempts, by sink'),
      labelNames: ['sink'],
      registers: reg,
    });
    this.outputsDrops = new Counter({
      name: 'falcosecurity_falco_outputs_drops_total',
      help: help('alerts that never reached their receiver, by sink and cause'),
      labelNames: ['sink', 'cause'],
      registers: reg,
    });
    this.queueDrops.inc(0);
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
  }

  /** `createOutputs` connects its lanes here so queue and spool lengths are read at every scrape. */
  setBacklogSource(source: () => readonly { readonly sink: string; readonly queued: number; readonly spooled: number }[]): void {
    this.backlog = source;
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

  /** Counts one alert; label children are cached per rule so this is a map lookup and two adds. */
  ruleMatched(alert: Alert): void {
    let bySource = this.ruleCounters.get(alert.rule);
    if (bySource === undefined) {
      bySource = new Map();
      this.ruleCounters.set(alert.rule, bySource);
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
        match: this.rulesMatches.labels({
          priority: String(level),
          rule_name: alert.rule,
          source: alert.source,
          tags: tags.join(', '),
        }),
        byTag: tags.map((tag) => this.rulesMatchesByTag.labels({ tag })),
      };
      byPriority[level] = c;
    }
    c.match.inc();
    for (const t of c.byTag) t.inc();
  }

  sent(sink: string): void {
    this.outputsSent.inc({ sink });
  }

  failed(sink: string): void {
    this.outputsFailed.inc({ sink });
  }

  dropped(sink: string, cause: DropCause, count: number): void {
    this.outputsDrops.inc({ sink, cause }, count);
    if (cause === 'queue_full') this.queueDrops.inc(count);
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
