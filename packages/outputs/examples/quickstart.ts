// Run with: npx tsx packages/outputs/examples/quickstart.ts
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAlert } from '@falco-ts/alert';
import { FalcoMetrics, createOutputs } from '@falco-ts/outputs';

export async function quickstart(dir: string): Promise<{ lines: string[]; metrics: string }> {
  const metrics = new FalcoMetrics({ version: '0.1.0' });
  // The falco.yaml-shaped object the CLI has parsed (stdout and syslog are on unless turned off).
  const outputs = await createOutputs(
    {
      json_output: true,
      stdout_output: { enabled: false },
      syslog_output: { enabled: false },
      file_output: { enabled: true, filename: join(dir, 'events.json') },
    },
    { version: '0.1.0', metrics },
  );
  outputs.emit(
    createAlert({
      rule: 'Terminal shell in container',
      priority: 'Notice',
      source: 'syscall',
      output: 'A shell was spawned in a container (proc=bash)',
      tags: ['container', 'shell'],
      outputFields: { 'proc.name': 'bash', 'container.id': 'f00dfeed1234' },
    }),
  );
  await outputs.shutdown(); // what SIGTERM does: deliver what is queued, then close
  const lines = readFileSync(join(dir, 'events.json'), 'utf8').trim().split('\n');
  return { lines, metrics: await metrics.render() };
}

if (require.main === module) {
  void quickstart(mkdtempSync(join(tmpdir(), 'outputs-'))).then(({ lines, metrics }) => {
    console.log(lines.join('\n'));
    console.log(metrics.split('\n').filter((l) => l.startsWith('falcosecurity_falco_rules_matches_total')).join('\n'));
  });
}
