/**
 * The outputs a run delivers to, replaceable while it runs. A reload whose configuration changes
 * the output settings (`json_output`, a sink's section, `outputs_queue`, ...) builds new outputs and
 * hands over without losing or reordering an alert: alerts emitted during the hand-over are held,
 * the old outputs drain everything they queued (within their drain deadline) and close, then the
 * held alerts go to the new outputs, in order, before any later one.
 */
import type { Alert } from '@falco-ts/alert';
import { createOutputs, type DrainResult, type FalcoMetrics, type Outputs, type SinkStats } from '@falco-ts/outputs';
import type { YamlMap } from '../config/override';
import { BlockBufferedStream } from './buffered-stream';
import type { Writable } from 'node:stream';

/** One set of outputs and the stream its stdout sink writes to (buffered or not). */
export interface OutputsGeneration {
  outputs: Outputs;
  stdout: Writable;
}

export interface OutputsFactoryOptions {
  version: string;
  metrics?: FalcoMetrics;
  log: (message: string) => void;
  /** The stream under stdout alerts (process.stdout, or a collector in tests). */
  stdout: Writable;
}

/** Builds outputs from a configuration tree; `buffered_outputs` wraps stdout in a block buffer. */
export async function createGeneration(tree: YamlMap, buffered: boolean, o: OutputsFactoryOptions): Promise<OutputsGeneration> {
  const stdout = buffered ? new BlockBufferedStream(o.stdout) : o.stdout;
  const outputs = await createOutputs(tree, { version: o.version, metrics: o.metrics, log: o.log, stdout });
  return { outputs, stdout };
}

/** Top-level keys that are not sink sections but shape every alert or queue. */
const SHARED_OUTPUT_KEYS = [
  'json_output', 'json_include_output_property', 'json_include_tags_property', 'json_include_output_fields_property',
  'json_include_message_property', 'time_format_iso_8601', 'buffered_outputs', 'outputs_queue',
];

/**
 * The part of a configuration tree the outputs are built from: the shared keys above and every
 * `*_output` section plus `grpc` (merged into the gRPC output). Two trees with equal settings need
 * no new outputs.
 */
export function outputSettings(tree: YamlMap): string {
  const keys = Object.keys(tree)
    .filter((k) => SHARED_OUTPUT_KEYS.includes(k) || k.endsWith('_output') || k === 'grpc')
    .sort();
  return JSON.stringify(keys.map((k) => [k, tree[k]]));
}

async function close(g: OutputsGeneration): Promise<DrainResult[]> {
  const results = await g.outputs.shutdown();
  if (g.stdout instanceof BlockBufferedStream) await g.stdout.flush();
  return results;
}

export class SwitchableOutputs {
  private held: Alert[] | undefined;
  private switching: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private current: OutputsGeneration) {}

  emit(alert: Alert): void {
    if (this.held !== undefined) this.held.push(alert);
    else this.current.outputs.emit(alert);
  }

  stats(): Record<string, SinkStats> {
    return this.current.outputs.stats();
  }

  /** Re-opens files and connections of the current outputs (SIGHUP with unchanged settings). */
  async reopen(): Promise<void> {
    await this.switching;
    await this.current.outputs.reopen();
  }

  /**
   * Drains and closes the current outputs, then makes `next` current. Resolves with the old
   * outputs' drain results once the hand-over is complete.
   */
  replace(next: OutputsGeneration): Promise<DrainResult[]> {
    const run = this.switching.then(async () => {
      if (this.closed) {
        await close(next);
        return [];
      }
      this.held = [];
      const old = this.current;
      try {
        return await close(old);
      } finally {
        this.current = next;
        const held = this.held;
        this.held = undefined;
        for (const a of held) next.outputs.emit(a);
      }
    });
    this.switching = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Waits for a hand-over in progress, then drains and closes the current outputs. */
  async shutdown(): Promise<DrainResult[]> {
    await this.switching;
    this.closed = true;
    return close(this.current);
  }
}
