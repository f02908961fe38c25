import type { FalcoConfig, FalcoMetrics, Outputs } from '@falco-ts/outputs';
import { createOutputs } from '@falco-ts/outputs';
import type { Writable } from 'node:stream';

/** Builds outputs with only the sinks `config` enables (stdout and syslog, on by default, are turned off). */
export async function buildOutputs(
  config: FalcoConfig,
  extra: { metrics?: FalcoMetrics; stdout?: Writable } = {},
): Promise<{ outputs: Outputs; logs: string[] }> {
  const logs: string[] = [];
  const outputs = await createOutputs(
    { stdout_output: { enabled: false }, syslog_output: { enabled: false }, ...config },
    { version: '0.42.1', log: (m) => logs.push(m), ...extra },
  );
  return { outputs, logs };
}
