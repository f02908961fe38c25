// Every provider module is registered and documented; every error code is documented.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { allProviders, providerNames, MetadataService, MetadataConfigError } from '../src';

const PROVIDERS_DIR = path.join(__dirname, '..', 'src', 'providers');
const DOC = readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'metadata.md'), 'utf8');

const modules = readdirSync(PROVIDERS_DIR).filter((f) => f.endsWith('.ts') && f !== 'index.ts');

test.each(modules)('%s exports one registered provider definition named after its file', (file) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = Object.values(require(path.join(PROVIDERS_DIR, file)) as Record<string, unknown>).filter(
    (v): v is { name: string; create: unknown } => typeof v === 'object' && v !== null && 'create' in v && 'kind' in v,
  );
  expect(exported).toHaveLength(1);
  const [definition] = exported;
  expect(definition!.name).toBe(path.basename(file, '.ts'));
  expect(allProviders).toContain(definition);
});

test.each(providerNames)('provider %s is documented with its options', (name) => {
  expect(DOC).toMatch(new RegExp(`^### \`${name}\`$`, 'm'));
});

test('every error code is documented', () => {
  const codes = [...readFileSync(path.join(__dirname, '..', 'src', 'errors.ts'), 'utf8').matchAll(/'(METADATA_[A-Z_]+)'/g)].map((m) => m[1]);
  expect(codes.length).toBeGreaterThan(3);
  for (const code of new Set(codes)) expect(DOC).toContain(`\`${code}\``);
});

test('an unknown provider or a bad duration is a configuration error with context', () => {
  expect(() => new MetadataService({ providers: { rkt: {} } })).toThrow(
    expect.objectContaining({ name: 'MetadataConfigError', code: 'METADATA_PROVIDER_UNKNOWN', context: { key: 'providers' } }),
  );
  expect(() => new MetadataService({ providers: {}, waitMs: -1 })).toThrow(MetadataConfigError);
  try {
    new MetadataService({ providers: {}, waitMs: -1 });
  } catch (err) {
    expect((err as MetadataConfigError).message).toBe('waitMs must be a non-negative number of milliseconds, got -1 [(config key waitMs)]');
    expect((err as MetadataConfigError).shortMessage).toBe('waitMs must be a non-negative number of milliseconds, got -1');
  }
});

test('a service with no providers answers nothing, quickly, and reports healthy', async () => {
  const service = new MetadataService({ providers: {} });
  expect(service.lookupContainer('abc')).toBeUndefined();
  expect(await service.waitForContainer('abc', 5)).toBeUndefined();
  expect(service.health()).toEqual({ status: 'ok', providers: [] });
  expect(service.counters()).toMatchObject({ lookups: 2, misses: 2, fetches: 0, waitTimeouts: 1 });
  await service.close();
});

test('importing the package loads no runtime client library until a provider needs it', () => {
  const tsx = path.join(__dirname, '..', '..', '..', 'node_modules', '.bin', 'tsx');
  const script = [
    `const m = require(${JSON.stringify(path.join(__dirname, '..', 'src', 'index.ts'))});`,
    "const loaded = () => ['@kubernetes/client-node', '@grpc/grpc-js', 'dockerode'].filter((p) => Object.keys(require.cache).some((k) => k.includes('/node_modules/' + p + '/')));",
    'const before = loaded();',
    "const s = new m.MetadataService({ providers: { docker: { socketPath: '/nonexistent/docker.sock' } } });",
    'console.log(JSON.stringify({ before, after: loaded() }));',
    's.close();',
  ].join('\n');
  const out = execFileSync(tsx, ['-e', script], { encoding: 'utf8' });
  const { before, after } = JSON.parse(out.trim().split('\n').pop()!) as { before: string[]; after: string[] };
  expect(before).toEqual([]);
  // dockerode brings grpc-js along itself; the Kubernetes client stays unloaded.
  expect(after).toContain('dockerode');
  expect(after).not.toContain('@kubernetes/client-node');
});
