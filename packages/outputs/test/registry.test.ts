/** Meta-tests: every sink module is registered and documented, and the docs are current. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SinkDefinition } from '@falco-ts/outputs';
import { FalcoMetrics, SINKS } from '@falco-ts/outputs';
import { DOC_PATH, renderDoc } from '../scripts/gen-docs';
import { quickstart } from '../examples/quickstart';
import { tempDir } from './helpers/net';

const SINK_DIR = join(__dirname, '..', 'src', 'sinks');
const sinkFiles = readdirSync(SINK_DIR).filter((f) => f.endsWith('.ts') && f !== 'index.ts');

function isSinkDefinition(v: unknown): v is SinkDefinition {
  return typeof v === 'object' && v !== null && typeof (v as SinkDefinition).create === 'function' && typeof (v as SinkDefinition).section === 'string';
}

describe('sink registry', () => {
  it.each(sinkFiles)('%s defines exactly one sink, and it is registered', (file) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(join(SINK_DIR, file)) as Record<string, unknown>;
    const defs = Object.values(mod).filter(isSinkDefinition);
    expect(defs).toHaveLength(1);
    expect(SINKS).toContain(defs[0]);
    expect(`${defs[0].name}.ts`).toBe(file);
  });

  it('registers nothing that has no module', () => {
    expect(SINKS.map((s) => `${s.name}.ts`).sort()).toEqual([...sinkFiles].sort());
  });

  it('gives every sink an enabled key and a unique section', () => {
    expect(new Set(SINKS.map((s) => s.section)).size).toBe(SINKS.length);
    for (const s of SINKS) expect(s.configSchema.enabled?.type).toBe('boolean');
  });
});

describe('docs', () => {
  const doc = readFileSync(DOC_PATH, 'utf8');

  it('docs/outputs.md is current with the schemas (run `pnpm gen`)', () => {
    expect(renderDoc(doc)).toBe(doc);
  });

  it('docs/outputs.md has a section for every sink listing each of its keys', () => {
    for (const s of SINKS) {
      const start = doc.indexOf(`\n### ${s.section}\n`);
      expect(start).toBeGreaterThan(0);
      const end = doc.indexOf('\n### ', start + 1);
      const section = doc.slice(start, end < 0 ? undefined : end);
      for (const key of Object.keys(s.configSchema)) expect(section).toContain(`| \`${key}\` |`);
    }
  });

  it('docs/metrics.md documents every metric the registry exposes', async () => {
    const metricsDoc = readFileSync(join(DOC_PATH, '..', 'metrics.md'), 'utf8');
    const m = new FalcoMetrics({ version: '1.0.0', engineName: 'replay', rulesFiles: [{ fileName: 'r.yaml', sha256: '0' }], configFiles: [{ fileName: 'c.yaml', sha256: '0' }] });
    const names = (await m.registry.getMetricsAsJSON()).map((x) => x.name);
    expect(names.length).toBeGreaterThan(25);
    for (const n of names) expect(metricsDoc).toContain(`\`${n}\``);
  });

  it('the README example is the file the test runs, and it works', async () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    expect(readme).toContain(readFileSync(join(__dirname, '..', 'examples', 'quickstart.ts'), 'utf8'));
    const tmp = tempDir();
    try {
      const { lines, metrics } = await quickstart(tmp.dir);
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0])).toMatchObject({ rule: 'Terminal shell in container', priority: 'Notice', output_fields: { 'proc.name': 'bash' } });
      expect(metrics).toContain('falcosecurity_falco_rules_matches_total{priority="5",rule_name="Terminal shell in container",source="syscall",tags="container, shell"} 1');
    } finally {
      tmp.cleanup();
    }
  });
});
