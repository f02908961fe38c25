/**
 * Start-up cost guard: the built `falco` executable must not load optional clients (gRPC, NATS,
 * Prometheus, the syslog addon) or rarely needed parsers (ohm, re2js) when the run does not use
 * them. Each is tens of milliseconds of start-up, and a stray top-level import brings it back.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFORMANCE_FALCO } from './helpers';

const BIN = join(__dirname, '../dist/bin/falco.js');
const RULES = join(__dirname, '../../../rules/falco_rules.yaml');
const CAPTURE = join(CONFORMANCE_FALCO, 'captures/ping_sendto.scap');

/** Packages a run with the default outputs (stdout only) and the default rules never needs. */
const OPTIONAL = ['@grpc/grpc-js', '@grpc/proto-loader', 'nats', 'prom-client', 'node-unix-socket', 'ohm-js', 're2js'];

let dir: string;
let preload: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'falco-startup-'));
  preload = join(dir, 'record-modules.js');
  // Writes every module file loaded by the process when it exits.
  writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(process.env.MODULES_OUT, Object.keys(require.cache).join('\\n')));\n`);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function loadedModules(args: readonly string[]): { status: number | null; modules: string[]; stderr: string } {
  const out = join(dir, 'modules.txt');
  rmSync(out, { force: true });
  const r = spawnSync(process.execPath, ['-r', preload, BIN, ...args], { env: { ...process.env, MODULES_OUT: out }, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, modules: readFileSync(out, 'utf8').split('\n'), stderr: r.stderr };
}

function loadedPackages(modules: readonly string[], names: readonly string[]): string[] {
  return names.filter((name) => modules.some((m) => m.includes(`/node_modules/${name}/`)));
}

test('--version loads neither the engine, the driver nor the outputs', () => {
  const r = loadedModules(['-c', '/dev/null', '--version']);
  expect(r.status).toBe(0);
  // Reading falco.yaml takes the rule-loading limits from the engine's dependency-free
  // `loader/limits` subpath; any other engine module (its index above all) must stay unloaded.
  const allowed = ['/packages/engine/dist/loader/limits.js'];
  const siblings = ['engine', 'driver', 'outputs', 'filter-lang', 'metadata'].filter((pkg) =>
    r.modules.some((m) => m.includes(`/packages/${pkg}/dist/`) && !allowed.some((a) => m.endsWith(a))),
  );
  expect(siblings).toEqual([]);
  expect(loadedPackages(r.modules, OPTIONAL)).toEqual([]);
});

test('a replay with the default rules and stdout output loads no optional client or parser', () => {
  const r = loadedModules([
    '-c', '/dev/null', '-r', RULES,
    '-o', 'engine.kind=replay', '-o', `engine.replay.capture_file=${CAPTURE}`, '-o', 'syslog_output.enabled=false',
  ]);
  expect(r.stderr).toContain('Replayed 1516 events');
  expect(r.status).toBe(0);
  // The run itself did load the detector: the guard would be empty otherwise.
  expect(r.modules.some((m) => m.includes('/packages/engine/dist/'))).toBe(true);
  expect(loadedPackages(r.modules, OPTIONAL)).toEqual([]);
  // An empty configuration, word-valued -o overrides and rules in the fast reader's YAML subset
  // need no general YAML parser.
  expect(loadedPackages(r.modules, ['yaml'])).toEqual([]);
});
