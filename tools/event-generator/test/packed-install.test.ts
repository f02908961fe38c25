/**
 * The npm packages as a user gets them [privileged][slow]: every publishable package under
 * packages/ packed with `pnpm pack` (workspace versions replaced by real ones), the tarballs
 * installed with npm in an empty folder outside the workspace (the driver's addon and BPF objects
 * are built by its install script from the sources in its tarball), then each package README's
 * TypeScript examples run against the installed packages, and the installed `falco` captures live
 * on the defaults it ships. Needs root, the registry for third-party dependencies, and the eBPF
 * toolchain the driver's install script names.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as ts from 'typescript';

const REPO = path.resolve(__dirname, '../../..');
const REPO_URL = 'https://github.com/falco-ts/falco-ts';

interface Manifest {
  name: string;
  private?: boolean;
  description?: string;
  license?: string;
  keywords?: string[];
  homepage?: string;
  repository?: { url?: string; directory?: string };
  bugs?: { url?: string };
  engines?: { node?: string };
  dependencies?: Record<string, string>;
}

const PACKAGES = readdirSync(path.join(REPO, 'packages'))
  .map((dir) => ({ dir: path.join(REPO, 'packages', dir), manifest: JSON.parse(readFileSync(path.join(REPO, 'packages', dir, 'package.json'), 'utf8')) as Manifest }))
  .filter((p) => p.manifest.private !== true);

function run(file: string, args: readonly string[], cwd: string, timeoutMs: number, env: NodeJS.ProcessEnv = process.env): { code: number | null; out: string } {
  const r = spawnSync(file, args, { cwd, env, encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, out: `${r.stdout}${r.stderr}${r.error ? String(r.error) : ''}` };
}

/** The README's ```ts blocks, except those marked `ts sketch` (API outlines, not programs). */
function examples(readme: string): string[] {
  return [...readme.matchAll(/```ts([^\n]*)\n([\s\S]*?)```/g)].filter((m) => !/\bsketch\b/.test(m[1]!)).map((m) => m[2]!);
}

/** An example as a module node runs: ES module, or CommonJS when it tests `require.main`. */
function transpile(source: string): { file: string; text: string } {
  const cjs = source.includes('require.main');
  const module = cjs ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext;
  const text = ts.transpileModule(source, { compilerOptions: { module, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
  return { file: cjs ? 'cjs' : 'mjs', text };
}

const privileged = process.getuid?.() === 0 ? describe : describe.skip;

privileged('the packed packages installed in an empty folder [privileged][slow]', () => {
  let work: string;
  let tarballs: Map<string, string>;
  let app: string;
  let install: { code: number | null; out: string };

  beforeAll(() => {
    work = mkdtempSync('/tmp/falco-ts-packed-');
    const packs = path.join(work, 'tarballs');
    tarballs = new Map();
    for (const p of PACKAGES) {
      const r = run('pnpm', ['pack', '--pack-destination', packs], p.dir, 120000);
      if (r.code !== 0) throw new Error(`pnpm pack in ${p.dir} failed: ${r.out}`);
    }
    for (const f of readdirSync(packs)) {
      const manifest = JSON.parse(run('tar', ['-xzOf', path.join(packs, f), 'package/package.json'], packs, 10000).out) as Manifest;
      tarballs.set(manifest.name, path.join(packs, f));
    }
    app = path.join(work, 'app');
    run('mkdir', ['-p', app], work, 5000);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'packed-install-check', version: '1.0.0', private: true }));
    install = run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs.values()], app, 900000);
  }, 1000000);

  afterAll(() => {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it('packs every publishable package', () => {
    expect([...tarballs.keys()].sort()).toEqual(PACKAGES.map((p) => p.manifest.name).sort());
  });

  it.each(PACKAGES.map((p) => [p.manifest.name, p] as const))('%s: the tarball holds the build, README and LICENSE, no build info, and complete metadata', (name, p) => {
    const files = run('tar', ['-tzf', tarballs.get(name)!], work, 10000).out.split('\n').filter(Boolean);
    expect(files).toEqual(expect.arrayContaining(['package/package.json', 'package/README.md', 'package/LICENSE', 'package/dist/index.js']));
    expect(files.filter((f) => f.endsWith('.tsbuildinfo') || f.startsWith('package/src/') || f.startsWith('package/test/'))).toEqual([]);
    expect(readFileSync(path.join(p.dir, 'LICENSE'), 'utf8')).toBe(readFileSync(path.join(REPO, 'LICENSE'), 'utf8'));
    const m = JSON.parse(run('tar', ['-xzOf', tarballs.get(name)!, 'package/package.json'], work, 10000).out) as Manifest;
    expect(m).toMatchObject({ license: 'Apache-2.0', homepage: expect.stringContaining(REPO_URL), bugs: { url: `${REPO_URL}/issues` }, engines: { node: '>=20' } });
    expect(m.repository).toEqual({ type: 'git', url: `git+${REPO_URL}.git`, directory: path.relative(REPO, p.dir) });
    expect(m.description!.length).toBeGreaterThan(10);
    expect(m.keywords!.length).toBeGreaterThan(0);
    expect(Object.values(m.dependencies ?? {}).filter((v) => v.startsWith('workspace:'))).toEqual([]);
  });

  it.each(PACKAGES.map((p) => [p.manifest.name, p] as const))('%s: README links are absolute and those into this repository name files that exist', (_name, p) => {
    const readme = readFileSync(path.join(p.dir, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    expect(links.filter((l) => !/^(https?:\/\/|#)/.test(l))).toEqual([]);
    const prefix = `${REPO_URL}/blob/main/`;
    const missing = links.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length).split('#')[0]!).filter((f) => !existsSync(path.join(REPO, f)));
    expect(missing).toEqual([]);
  });

  it('the driver tarball carries the sources its install script builds, not a prebuilt addon', () => {
    const files = run('tar', ['-tzf', tarballs.get('@falco-ts/driver')!], work, 10000).out.split('\n');
    expect(files).toEqual(expect.arrayContaining(['package/binding.gyp', 'package/scripts/build-native.sh', 'package/scripts/build-bpf.sh', 'package/native/addon.cc', 'package/bpf/license.bpf.c']));
    expect(files.filter((f) => f.startsWith('package/build/'))).toEqual([]);
    const cli = run('tar', ['-tzf', tarballs.get('@falco-ts/cli')!], work, 10000).out.split('\n');
    expect(cli).toContain('package/dist/rules/falco_rules.yaml');
  });

  it('npm installs the tarballs, building the driver\'s addon with its BPF objects', () => {
    expect([install.code, install.out]).toEqual([0, install.out]);
    expect(existsSync(path.join(app, 'node_modules/@falco-ts/driver/build/Release/falco_ts_driver.node'))).toBe(true);
    expect(existsSync(path.join(app, 'node_modules/@falco-ts/driver/build/bpf/driver.bpf.o'))).toBe(true);
  });

  it('a driver build without its tools fails and names the missing tool', () => {
    const driver = path.join(app, 'node_modules/@falco-ts/driver');
    // Outside npm's install lifecycle, nothing puts node-gyp on PATH.
    const r = run('/bin/sh', ['scripts/build-native.sh'], driver, 30000, { PATH: '/usr/bin:/bin' });
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/build-native: 'node-gyp' not found\. Install it: npm install -g node-gyp/);
  });

  it.each(PACKAGES.flatMap((p) => examples(readFileSync(path.join(p.dir, 'README.md'), 'utf8')).map((src, i) => [`${p.manifest.name} example ${i + 1}`, src] as const)))(
    '%s runs against the installed packages',
    (title, src) => {
      const { file, text } = transpile(src);
      const script = path.join(app, `${title.replace(/[^a-z0-9]+/gi, '-')}.${file}`);
      writeFileSync(script, text);
      const r = run(process.execPath, [script], app, 60000);
      expect([r.code, r.out]).toEqual([0, r.out]);
    },
    90000,
  );

  it('the installed falco, with no configuration, captures live and alerts with the shipped rules', async () => {
    const bin = path.join(app, 'node_modules/.bin/falco');
    const child = spawn(bin, ['-M', '12', '-o', 'json_output=true', '-o', 'syslog_output.enabled=false'], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const deadline = Date.now() + 60000;
    while (!err.includes('with the modern eBPF driver') && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(err).toContain('with the modern eBPF driver');
    await new Promise((r) => setTimeout(r, 1000));
    run('/bin/sh', ['-c', 'head -c1 /etc/shadow >/dev/null; exit $?'], app, 10000);
    expect(await exited).toBe(0);
    const alerts = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { rule: string; output_fields: Record<string, unknown> });
    expect(alerts.some((a) => a.rule === 'Read sensitive file untrusted' && a.output_fields['proc.name'] === 'head' && a.output_fields['fd.name'] === '/etc/shadow')).toBe(true);
  }, 120000);
});
