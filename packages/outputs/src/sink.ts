/**
 * The sink contract and its registry entry. Each sink lives in `src/sinks/<name>.ts` and exports
 * one `defineSink({...})`; `src/sinks/index.ts` lists them all (a meta-test checks the list and
 * the docs against the directory).
 */
import type { Writable } from 'node:stream';
import type { Alert, FormatOptions } from '@falco-ts/alert';
import type { ConfigOf, ConfigSchema } from './config-schema';

export interface SinkContext {
  /** Global formatting settings (`json_output`, `json_include_*`, `time_format_iso_8601`). */
  readonly format: FormatOptions;
  /** Detector version, reported by the gRPC version service and the HTTP user agent. */
  readonly version: string;
  /** Diagnostics for a person (connection lost, reconnected); never alert data. */
  readonly log: (message: string) => void;
  /** Where the stdout sink writes (process.stdout unless a host redirects it). */
  readonly stdout: Writable;
  /** For sinks that keep their own buffer (gRPC): counts alerts it had to discard. */
  readonly countDrop: (count: number) => void;
}

export interface Sink {
  /** Delivers one alert; rejects (ideally with a DeliveryError) when it could not. */
  send(alert: Alert): Promise<void>;
  /**
   * Delivers several alerts in order, in as few writes or round trips as the transport allows.
   * All-or-nothing as far as the lane is concerned: on rejection the whole batch is retried, so a
   * receiver may see some alerts twice (at-least-once). The array is reused by the caller: read
   * it before the first `await`.
   */
  sendBatch?(alerts: readonly Alert[]): Promise<void>;
  /** Re-opens files or connections, e.g. after log rotation (SIGHUP). */
  reopen?(): Promise<void>;
  /** Flushes and releases resources; called once, after the sink's queue has drained. */
  close(): Promise<void>;
}

export interface SinkDefinition<S extends ConfigSchema = ConfigSchema> {
  /** Short name used in metrics labels and logs, e.g. `http`. */
  readonly name: string;
  /** The falco.yaml section that configures and enables it, e.g. `http_output`. */
  readonly section: string;
  /** Further sections merged into the config (the gRPC sink also reads `grpc`). */
  readonly extraSections?: readonly string[];
  /** One line for the docs. */
  readonly summary: string;
  readonly configSchema: S;
  /** Whether `spool_dir` may be set: only sinks whose receivers can be down for a while. */
  readonly spoolable: boolean;
  /**
   * Checks values that types alone cannot (a URL, an address, a template) without opening
   * anything, so a dry run reports them; throws OutputsConfigError.
   */
  validate?(config: ConfigOf<S>): void;
  create(config: ConfigOf<S>, ctx: SinkContext): Sink | Promise<Sink>;
}

export function defineSink<S extends ConfigSchema>(def: SinkDefinition<S>): SinkDefinition<S> {
  return def;
}
