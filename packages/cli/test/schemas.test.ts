/**
 * `--config-schema` and `--rule-schema` from the real command, checked with a JSON Schema
 * validator against the files this project ships and the conformance data: what our readers
 * accept must validate, and what they reject for a key's type or value must not.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { Engine } from '@falco-ts/engine';
import { CONFORMANCE_FALCO, DEFAULT_CONFIG } from './helpers';
import { buildSources } from '../src/detector/sources';
import type { AppContext } from '../src/context';
import { interpretConfig } from '../src/config/falco-config';
import { loadConfig } from '../src/config/load';

const BIN = join(__dirname, '../dist/bin/falco.js');
const REPO = join(__dirname, '../../..');
const CONFORMANCE = join(CONFORMANCE_FALCO, '..');

function schemaFrom(flag: string): object {
  const r = spawnSync(process.execPath, [BIN, flag], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as object;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

const ajv = new Ajv({ allErrors: true, strict: false });

describe('--config-schema', () => {
  const validate = ajv.compile(schemaFrom('--config-schema'));
  const check = (file: string): boolean => validate(parseYaml(readFileSync(file, 'utf8')) ?? {});

  it.each([
    ['the image configuration', join(REPO, 'deploy/docker/falco.yaml')],
    ["Falco's shipped falco.yaml", DEFAULT_CONFIG],
  ])('validates %s', (_what, file) => {
    expect(check(file) ? [] : validate.errors).toEqual([]);
  });

  it('validates the Helm chart configuration', () => {
    const values = parseYaml(readFileSync(join(REPO, 'deploy/helm/falco-ts/values.yaml'), 'utf8')) as { config: object };
    expect(validate(values.config) ? [] : validate.errors).toEqual([]);
  });

  it('agrees with the command on every conformance configuration: accepted ones validate, refused values do not', () => {
    const dir = join(CONFORMANCE_FALCO, 'configs');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(10);
    const disagreements: string[] = [];
    for (const f of files) {
      let accepted = true;
      try {
        interpretConfig(loadConfig(join(dir, f), [], {}).tree);
      } catch {
        accepted = false;
      }
      if (check(join(dir, f)) !== accepted) disagreements.push(`${f}: command ${accepted ? 'accepts' : 'refuses'}, schema ${accepted ? 'refuses' : 'accepts'}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('refuses wrong types and values', () => {
    expect(validate({ json_output: 3 })).toBe(false);
    expect(validate({ rule_matching: 'some' })).toBe(false);
    expect(validate({ engine: { kind: 'kernel' } })).toBe(false);
    expect(validate({ http_output: { enabled: 'yes' } })).toBe(false);
    expect(validate({ metrics: { interval: 'hourly' } })).toBe(false);
    expect(validate({ priority: 'WARNING', json_output: 'true', outputs_queue: { capacity: 10 } })).toBe(true);
  });
});

describe('--rule-schema', () => {
  const validate = ajv.compile(schemaFrom('--rule-schema'));
  const documentsOf = (file: string): unknown[] => parseAllDocuments(readFileSync(file, 'utf8')).map((d) => (Array.isArray(d) ? null : d.toJS()));
  const failures = (file: string): string[] =>
    documentsOf(file)
      .filter((doc) => !validate(doc))
      .map(() => `${file}: ${ajv.errorsText(validate.errors)}`);

  it("validates this project's rules", () => {
    const files = yamlFiles(join(REPO, 'rules'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(files.flatMap(failures)).toEqual([]);
  });

  it('validates the upstream rules packs in the conformance data', () => {
    const files = yamlFiles(join(CONFORMANCE, 'rules'));
    expect(files.length).toBeGreaterThan(5);
    expect(files.flatMap(failures)).toEqual([]);
  });

  it('validates every conformance rules file the engine loads', () => {
    const ctx = { config: interpretConfig({ load_plugins: ['k8saudit', 'json'] }), io: { env: {} } } as unknown as AppContext;
    const files = yamlFiles(join(CONFORMANCE_FALCO, 'rules'));
    let loaded = 0;
    const bad: string[] = [];
    for (const f of files) {
      const engine = new Engine(buildSources(ctx).all);
      if (!engine.loadRules(readFileSync(f, 'utf8'), f).successful) continue;
      loaded++;
      bad.push(...failures(f));
    }
    expect(loaded).toBeGreaterThan(40);
    expect(bad).toEqual([]);
  });

  it('refuses items the loader refuses for their shape', () => {
    expect(validate([{ rule: 'r', desc: 'd', condition: 'evt.type=open', output: 'o', priority: 'Loud' }])).toBe(false);
    expect(validate([{ rule: 'r', condition: 'c', outputs: 'typo' }])).toBe(false);
    expect(validate([{ macro: 'bad name', condition: 'c' }])).toBe(false);
    expect(validate([{ rule: 'r', condition: 'c', override: { priority: 'append' } }])).toBe(false);
    expect(validate([{ list: 'l', items: [1, 'a'] }, { macro: 'm', condition: 'c' }, { rule: 'r', priority: 'info', enabled: false, override: { condition: 'append' } }])).toBe(true);
  });
});
