/**
 * End to end [privileged][slow]: the real `falco` command live (modern eBPF driver, default rules,
 * JSON alerts to a file), a private real dockerd, and the event generator performing every
 * behaviour on the host and in containers. Each expected rule must fire with the right fields, and
 * building this project must raise nothing above Notice. Needs root (CI runs as root) and the
 * built CLI (`pnpm build`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { BEHAVIOURS, CONTAINER_BEHAVIOURS, HOST_BEHAVIOURS } from '../../src';
import { startTestDocker, type TestDocker } from '../support/dockerd';
import { startFalco, type JsonAlert } from '../support/falco-live';

const MARKER_FIELD = 'proc.env[FALCO_EG_WORKLOAD]';
const SEVERITY = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'];
const REPO = path.resolve(__dirname, '../../../..');
const GENERATOR_BIN = path.join(REPO, 'tools/event-generator/dist/bin/event-generator.js');

interface Outcome { readonly behaviour: string; readonly ok: boolean; readonly line: string }

function countByRule(list: readonly JsonAlert[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of list) out[a.rule] = (out[a.rule] ?? 0) + 1;
  return out;
}

const privileged = process.getuid?.() === 0 ? describe : describe.skip;

/** Runs a command under a workload marker (inherited by all its descendants); resolves to its exit code and stdout. */
function runWorkload(marker: string, file: string, args: readonly string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, FALCO_EG_WORKLOAD: marker } });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

privileged('live detection of the generated behaviours [privileged][slow]', () => {
  let docker: TestDocker;
  let alerts: JsonAlert[] = [];
  const outcomes: Outcome[] = [];
  let generatorExit: number | null = null;
  let buildExit: number | null = null;
  let falcoExit: number | null = null;
  let falcoStderr = '';
  const containers = new Map<string, { id: string; name: string }>();
  const genMarker = `generator-${process.pid}`;
  const buildMarker = `build-${process.pid}`;

  beforeAll(async () => {
    docker = await startTestDocker();
    const falco = await startFalco([MARKER_FIELD], 60000, docker.dockerHost);
    try {
      await new Promise((r) => setTimeout(r, 500));
      // The generator command; its processes carry the marker, so its alerts are told from others'.
      if (!existsSync(GENERATOR_BIN)) throw new Error(`${GENERATOR_BIN} is missing: pnpm build`);
      const gen = await runWorkload(genMarker, process.execPath, [GENERATOR_BIN, '--docker-host', docker.dockerHost, '--image', docker.image, '--pause', '50']);
      generatorExit = gen.code;
      for (const line of gen.stdout.split('\n').filter(Boolean)) {
        const m = /^(ok  |FAIL) (\S+) -> .*?(?: \[container ([0-9a-f]{64}) (\S+)\])?(?::|$)/.exec(line);
        if (m === null) continue;
        outcomes.push({ behaviour: m[2]!, ok: m[1] === 'ok  ', line });
        if (m[3] !== undefined) containers.set(m[2]!, { id: m[3], name: m[4]! });
      }
      // The benign workload: building this package with the TypeScript compiler.
      const out = mkdtempSync('/tmp/falco-eg-build-');
      try {
        buildExit = (await runWorkload(buildMarker, path.join(REPO, 'node_modules/.bin/tsc'), [
          '-p', 'tools/event-generator/tsconfig.build.json', '--outDir', out, '--tsBuildInfoFile', path.join(out, 'build.tsbuildinfo'),
        ])).code;
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
      await new Promise((r) => setTimeout(r, 1500));
    } finally {
      falcoExit = await falco.stop();
      falcoStderr = falco.stderr();
      alerts = falco.alerts();
    }
  }, 240000);

  afterAll(async () => {
    await docker?.stop();
  }, 60000);

  const ours = (): JsonAlert[] => alerts.filter((a) => a.output_fields[MARKER_FIELD] === genMarker);

  it('falco runs live and stops cleanly on SIGINT', () => {
    expect([falcoExit, falcoStderr]).toEqual([0, falcoStderr]);
  });

  it('the generator command performs every behaviour', () => {
    expect(outcomes.filter((o) => !o.ok).map((o) => o.line)).toEqual([]);
    expect(outcomes.map((o) => o.behaviour)).toEqual(BEHAVIOURS.map((b) => b.name));
    expect(generatorExit).toBe(0);
  });

  it.each(HOST_BEHAVIOURS.map((b) => [b.name, b] as const))('host behaviour %s raises its rule with the right fields', (_n, b) => {
    const hits = ours().filter((a) => a.rule === b.rule);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.some((a) => Object.entries(b.expect).every(([k, v]) => a.output_fields[k] === v))).toBe(true);
    for (const a of hits) expect(a.output_fields['container.id'] ?? 'host').toBe('host');
  });

  it('the generator\'s host processes raise exactly the alerts their behaviours account for, by rule', () => {
    const expected: Record<string, number> = {};
    for (const b of HOST_BEHAVIOURS) {
      for (const [rule, n] of [[b.rule, b.alerts] as const, ...Object.entries(b.alsoRaises ?? {})]) expected[rule] = (expected[rule] ?? 0) + n;
    }
    expect(countByRule(ours())).toEqual(expected);
  });

  it.each(CONTAINER_BEHAVIOURS.map((b) => [b.name, b] as const))('container behaviour %s raises exactly its alerts, its rule\'s with the container\'s name and image', (_n, b) => {
    const c = containers.get(b.name);
    expect(c).toBeDefined();
    const inIt = alerts.filter((a) => a.output_fields['container.id'] === c!.id.slice(0, 12));
    expect(countByRule(inIt)).toEqual({ [b.rule]: b.alerts, ...b.alsoRaises });
    for (const a of inIt.filter((x) => x.rule === b.rule)) {
      expect(a.output_fields).toMatchObject({ 'container.name': c!.name, 'container.image.repository': 'falco-ts/busybox' });
    }
  });

  it('names the process, file, user and container of a host read of /etc/shadow', () => {
    const a = ours().find((x) => x.rule === 'Read sensitive file untrusted' && x.output_fields['container.id'] === 'host');
    expect(a?.output_fields).toMatchObject({ 'proc.name': 'head', 'fd.name': '/etc/shadow', 'user.name': 'root', 'container.id': 'host' });
  });

  // Container processes do not inherit this process's environment, so they are found by container id.
  const inContainer = (behaviour: string, rule: string): JsonAlert[] => {
    const c = containers.get(behaviour);
    expect(c).toBeDefined();
    return alerts.filter((a) => a.rule === rule && a.output_fields['container.id'] === c!.id.slice(0, 12));
  };

  it('a read of /etc/shadow inside a container raises its rule with the file and the container id', () => {
    const hits = inContainer('container-read-sensitive-file', 'Read sensitive file untrusted');
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]!.output_fields['fd.name']).toBe('/etc/shadow');
    // The busybox image has no /etc/passwd: uid 0 has no name inside it.
    expect(hits[0]!.output_fields['user.name']).not.toBe('nobody');
  });

  it('docker exec -it raises Terminal shell in container for its shell (parent: the runtime) and the shell it starts; docker exec sh -c does not', () => {
    const hits = inContainer('container-shell', 'Terminal shell in container');
    expect(hits.map((a) => [a.output_fields['proc.name'], a.output_fields['proc.cmdline']])).toEqual([
      ['sh', "sh -c /bin/sh -c /bin/true; exit 0"],
      ['sh', 'sh -c /bin/true'],
    ]);
    expect(hits[1]!.output_fields['proc.pname']).toBe('sh');
    for (const a of hits) expect(a.output_fields['proc.tty']).not.toBe(0);
  });

  it('names the process of a container read of /etc/shadow', () => {
    const [a] = inContainer('container-read-sensitive-file', 'Read sensitive file untrusted');
    expect(a!.output_fields['proc.name']).toBe('cat');
  });

  // Container name, image, privilege and mounts come from the runtime's metadata (the container
  // plugin reading the private dockerd).
  it('container name and image come from the runtime', () => {
    const c = containers.get('container-read-sensitive-file')!;
    const [a] = inContainer('container-read-sensitive-file', 'Read sensitive file untrusted');
    expect(a!.output_fields).toMatchObject({ 'container.name': c.name, 'container.image.repository': 'falco-ts/busybox' });
  });

  it('privileged and sensitive-mount containers raise their rules; an ordinary one does not', () => {
    expect(inContainer('privileged-container', 'Launch privileged container').length).toBeGreaterThan(0);
    expect(inContainer('sensitive-mount-container', 'Launch sensitive mount container').length).toBeGreaterThan(0);
    expect(inContainer('container-shell', 'Launch privileged container')).toEqual([]);
  });

  it('every container behaviour ran in its own container', () => {
    expect([...containers.keys()].sort()).toEqual(CONTAINER_BEHAVIOURS.map((b) => b.name).sort());
  });

  it('building this project raises nothing above Notice', () => {
    expect(buildExit).toBe(0);
    const loud = alerts.filter((a) => a.output_fields[MARKER_FIELD] === buildMarker && SEVERITY.indexOf(a.priority) < SEVERITY.indexOf('Notice'));
    expect(loud.map((a) => a.output)).toEqual([]);
  });
});
