/**
 * Builds every configured sink from a falco.yaml-shaped object and fans alerts out to them, each
 * behind its own delivery lane. This is what the CLI holds: `emit` per alert, `reopen` on SIGHUP,
 * `shutdown` on SIGTERM.
 */
import type { Writable } from 'node:stream';
import type { Alert, FormatOptions } from '@falco-ts/alert';
import type { DeliveryObserver, DrainResult, DropCause } from './channel';
import { DROP_CAUSES, DeliveryChannel } from './channel';
import type { ConfigOf, ConfigSchema } from './config-schema';
import { parseSection } from './config-schema';
import { configError } from './errors';
import type { FalcoMetrics } from './metrics';
import type { Sink, SinkContext, SinkDefinition } from './sink';
import { SINKS } from './sinks/index';
import { Spool } from './spool';

/** Top-level falco.yaml keys that shape every alert. */
export const FORMAT_SCHEMA = {
  json_output: { type: 'boolean', default: false, doc: 'Write alerts as JSON objects instead of text lines.' },
  json_include_output_property: { type: 'boolean', default: true, doc: 'Include `output` (the text line) in JSON alerts.' },
  json_include_tags_property: { type: 'boolean', default: true, doc: "Include the rule's `tags` in JSON alerts." },
  json_include_output_fields_property: { type: 'boolean', default: true, doc: 'Include `output_fields` in JSON alerts (Falcosidekick requires it).' },
  json_include_message_property: { type: 'boolean', default: false, doc: 'Include `message`: the output without time and priority.' },
  time_format_iso_8601: { type: 'boolean', default: false, doc: 'ISO 8601 UTC time in text alerts instead of local `HH:MM:SS.ns`.' },
  buffered_outputs: { type: 'boolean', default: false, doc: '`true`: the falco command holds stdout alerts in a 4 KiB block, written when full and at exit (`-U` forces `false`); every other sink writes through its own queue without blocking detection.' },
} as const satisfies ConfigSchema;

/** `outputs_queue`: the bound of every sink's in-memory queue and the shutdown deadline. */
export const QUEUE_SCHEMA = {
  capacity: { type: 'integer', default: 0, min: 0, doc: 'Alerts each sink may hold in memory; 0 means the default, 65536 (Falco treats 0 as unbounded; here every queue is bounded).' },
  drain_deadline_ms: { type: 'integer', default: 5000, min: 0, doc: 'On shutdown (SIGTERM), how long queued alerts may take to be delivered before what is left is spooled or counted as dropped.' },
} as const satisfies ConfigSchema;

/** Delivery keys every sink section accepts in addition to its own. */
export const DELIVERY_SCHEMA = {
  queue_capacity: { type: 'integer', default: 0, min: 0, doc: "This sink's queue bound; 0 uses `outputs_queue.capacity`." },
  max_retries: { type: 'integer', default: 5, min: 0, doc: 'Attempts after the first before an alert is dropped (`retries_exhausted`); unlimited with a spool.' },
  retry_backoff_ms: { type: 'integer', default: 200, min: 1, doc: 'First retry delay; doubled per attempt, with jitter.' },
  retry_max_backoff_ms: { type: 'integer', default: 30000, min: 1, doc: 'Longest retry delay.' },
  send_timeout_ms: { type: 'integer', default: 30000, min: 1, doc: 'An attempt that has not finished after this long counts as failed (a hung receiver).' },
} as const satisfies ConfigSchema;

/** Keys of sinks that may spool to disk (HTTP, NATS). */
export const SPOOL_SCHEMA = {
  spool_dir: { type: 'string', default: '', doc: 'When set, alerts are written here before delivery and survive receiver outages and restarts.' },
  spool_max_alerts: { type: 'integer', default: 100000, min: 1, doc: 'Undelivered alerts the spool holds; beyond it alerts are dropped and counted (`spool_full`).' },
} as const satisfies ConfigSchema;

const DEFAULT_QUEUE_CAPACITY = 65536;

export type FalcoConfig = Readonly<Record<string, unknown>>;

export interface OutputsOptions {
  /** Detector version (gRPC version service, metrics). */
  readonly version: string;
  readonly metrics?: FalcoMetrics;
  readonly log?: (message: string) => void;
  /** Where the stdout sink writes; process.stdout by default. */
  readonly stdout?: Writable;
  /** Sink registry to build from; all built-in sinks by default. */
  readonly sinks?: readonly SinkDefinition[];
}

export interface SinkStats {
  sent: number;
  failed: number;
  dropped: Record<DropCause, number>;
}

interface PlannedSink {
  readonly def: SinkDefinition;
  readonly config: Record<string, unknown>;
  readonly delivery: ConfigOf<typeof DELIVERY_SCHEMA>;
  readonly spool: ConfigOf<typeof SPOOL_SCHEMA> | undefined;
}

export interface OutputsPlan {
  readonly format: FormatOptions;
  readonly queueCapacity: number;
  readonly drainDeadlineMs: number;
  readonly sinks: readonly PlannedSink[];
}

function section(config: FalcoConfig, key: string): unknown {
  return config[key];
}

function enabledIn(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null) return false;
  const e = (raw as Record<string, unknown>).enabled;
  return e === true || e === 'true';
}

/** Validates the whole config and decides which sinks run, without opening anything. */
export function planOutputs(config: FalcoConfig, registry: readonly SinkDefinition[] = SINKS): OutputsPlan {
  const g = parseSection(FORMAT_SCHEMA, config, '(top level)');
  const q = parseSection(QUEUE_SCHEMA, section(config, 'outputs_queue'), 'outputs_queue');
  const sinks: PlannedSink[] = [];
  for (const def of registry) {
    const own = section(config, def.section);
    // Sinks whose default is on (stdout, syslog) run unless their section turns them off.
    const explicitlyEnabled = enabledIn(own);
    const defaultOn = def.configSchema.enabled?.default === true;
    const ownEnabled = own === undefined || own === null ? defaultOn : explicitlyEnabled || (defaultOn && (own as Record<string, unknown>).enabled === undefined);
    const extras = def.extraSections ?? [];
    if (!ownEnabled || !extras.every((s) => enabledIn(section(config, s)))) continue;
    const merged: Record<string, unknown> = {};
    for (const s of extras) Object.assign(merged, section(config, s) as Record<string, unknown>);
    if (own !== undefined && own !== null) {
      if (typeof own !== 'object' || Array.isArray(own)) throw configError(def.section, 'expected a mapping', own);
      Object.assign(merged, own);
    }
    const cfg = parseSection(def.configSchema, merged, def.section) as Record<string, unknown>;
    const delivery = parseSection(DELIVERY_SCHEMA, merged, def.section);
    const spoolCfg = def.spoolable ? parseSection(SPOOL_SCHEMA, merged, def.section) : undefined;
    if (!def.spoolable && typeof merged.spool_dir === 'string' && merged.spool_dir !== '') {
      throw configError(`${def.section}.spool_dir`, `the ${def.name} sink cannot spool; only ${registry.filter((d) => d.spoolable).map((d) => d.section).join(' and ')} can`);
    }
    // Types first (every key), then the checks that read values together.
    def.validate?.(cfg as ConfigOf<ConfigSchema>);
    sinks.push({ def, config: cfg, delivery, spool: spoolCfg });
  }
  return {
    format: {
      json: g.json_output,
      includeOutput: g.json_include_output_property,
      includeTags: g.json_include_tags_property,
      includeOutputFields: g.json_include_output_fields_property,
      includeMessage: g.json_include_message_property,
      timeIso8601: g.time_format_iso_8601,
    },
    queueCapacity: q.capacity === 0 ? DEFAULT_QUEUE_CAPACITY : q.capacity,
    drainDeadlineMs: q.drain_deadline_ms,
    sinks,
  };
}

function emptyStats(): SinkStats {
  const dropped = {} as Record<DropCause, number>;
  for (const c of DROP_CAUSES) dropped[c] = 0;
  return { sent: 0, failed: 0, dropped };
}

/** Keeps per-sink counts (for `stats()`) and forwards them to the Prometheus metrics. */
class CountingObserver implements DeliveryObserver {
  readonly stats = new Map<string, SinkStats>();
  constructor(private readonly metrics: FalcoMetrics | undefined) {}

  private of(sink: string): SinkStats {
    let s = this.stats.get(sink);
    if (s === undefined) {
      s = emptyStats();
      this.stats.set(sink, s);
    }
    return s;
  }

  sent(sink: string): void {
    this.of(sink).sent++;
    this.metrics?.sent(sink);
  }

  failed(sink: string): void {
    this.of(sink).failed++;
    this.metrics?.failed(sink);
  }

  dropped(sink: string, cause: DropCause, count: number): void {
    this.of(sink).dropped[cause] += count;
    this.metrics?.dropped(sink, cause, count);
  }
}

export class Outputs {
  private closed = false;

  /** @internal use `createOutputs` */
  constructor(
    readonly channels: readonly DeliveryChannel[],
    private readonly observer: CountingObserver,
    private readonly metrics: FalcoMetrics | undefined,
    readonly drainDeadlineMs: number,
  ) {}

  /** Hands one alert to every sink. Never waits and never throws; drops are counted. */
  emit(alert: Alert): void {
    if (alert.source !== 'internal') this.metrics?.ruleMatched(alert);
    for (let i = 0; i < this.channels.length; i++) this.channels[i].push(alert);
  }

  /** Sinks' delivery counts so far, by sink name. */
  stats(): Record<string, SinkStats> {
    const out: Record<string, SinkStats> = {};
    for (const ch of this.channels) out[ch.name] = this.observer.stats.get(ch.name) ?? emptyStats();
    return out;
  }

  /** Resolves when every alert emitted so far has been delivered or dropped. */
  async idle(): Promise<void> {
    await Promise.all(this.channels.map((c) => c.idle()));
  }

  /** Re-opens files and connections (SIGHUP, after log rotation). */
  async reopen(): Promise<void> {
    await Promise.all(this.channels.map((c) => c.reopen()));
  }

  /**
   * Delivers what is queued within the deadline, then closes every sink. Undelivered alerts stay
   * in a spool when the sink has one (sent after the next start) and are counted otherwise.
   */
  async shutdown(deadlineMs: number = this.drainDeadlineMs): Promise<DrainResult[]> {
    if (this.closed) return [];
    this.closed = true;
    return Promise.all(this.channels.map((c) => c.drain(deadlineMs)));
  }
}

/** Builds and starts every sink the config enables. Throws OutputsConfigError for bad config. */
export async function createOutputs(config: FalcoConfig, options: OutputsOptions): Promise<Outputs> {
  const plan = planOutputs(config, options.sinks ?? SINKS);
  const log = options.log ?? ((m: string) => process.stderr.write(`outputs: ${m}\n`));
  const observer = new CountingObserver(options.metrics);
  const channels: DeliveryChannel[] = [];
  try {
    for (const p of plan.sinks) {
      const ctx: SinkContext = {
        format: plan.format,
        version: options.version,
        log,
        stdout: options.stdout ?? process.stdout,
        countDrop: (n) => observer.dropped(p.def.name, 'buffer_full', n),
      };
      const sink: Sink = await p.def.create(p.config as ConfigOf<ConfigSchema>, ctx);
      let spool: Spool | undefined;
      if (p.spool !== undefined && p.spool.spool_dir !== '') {
        spool = Spool.open(p.spool.spool_dir, p.spool.spool_max_alerts);
        for (const e of spool.corrupt) log(`${p.def.name}: skipped unreadable spool entry: ${e.message}`);
        if (spool.size > 0) log(`${p.def.name}: ${spool.size} alerts from the spool will be sent first`);
      }
      channels.push(
        new DeliveryChannel(p.def.name, sink, {
          capacity: p.delivery.queue_capacity === 0 ? plan.queueCapacity : p.delivery.queue_capacity,
          maxRetries: p.delivery.max_retries,
          backoff: { initialMs: p.delivery.retry_backoff_ms, maxMs: p.delivery.retry_max_backoff_ms },
          sendTimeoutMs: p.delivery.send_timeout_ms,
          spool,
          observer,
          log,
        }),
      );
    }
  } catch (err) {
    await Promise.all(channels.map((c) => c.drain(0)));
    throw err;
  }
  options.metrics?.setBacklogSource(() => channels.map((c) => ({ sink: c.name, queued: c.queued, spooled: c.spooled })));
  return new Outputs(channels, observer, options.metrics, plan.drainDeadlineMs);
}

/**
 * SIGHUP re-opens outputs; SIGTERM and SIGINT drain them within the deadline, then call `onDone`
 * (by default, exit). Returns a function that removes the handlers.
 */
export function installSignalHandlers(outputs: Outputs, onDone: (results: DrainResult[]) => void = () => process.exit(0)): () => void {
  const hup = (): void => void outputs.reopen();
  const term = (): void => {
    void outputs.shutdown().then(onDone);
  };
  process.on('SIGHUP', hup);
  process.on('SIGTERM', term);
  process.on('SIGINT', term);
  return () => {
    process.off('SIGHUP', hup);
    process.off('SIGTERM', term);
    process.off('SIGINT', term);
  };
}
