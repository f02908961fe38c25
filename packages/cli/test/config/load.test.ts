import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interpretConfig } from '../../src/config/falco-config';
import { expandEnv, loadConfig } from '../../src/config/load';
import { ConfigError } from '../../src/errors';

const SHIPPED = join(__dirname, '../../../../../shared/conformance/falco/configs/default/falco.yaml');

function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'falco-cli-config-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('loading falco.yaml', () => {
  it("reads Falco 0.42's shipped configuration with its defaults", () => {
    const { tree } = loadConfig(SHIPPED, [], {});
    const c = interpretConfig(tree);
    expect(c.engineKind).toBe('modern_ebpf');
    expect(c.rulesFiles).toEqual(['/etc/falco/falco_rules.yaml', '/etc/falco/falco_rules.local.yaml', '/etc/falco/rules.d']);
    expect(c.drops).toEqual({ threshold: 0.1, actions: ['log', 'alert'], rate: 0.03333, maxBurst: 1, simulateDrops: false });
    expect(c.webserver.listenPort).toBe(8765);
    expect(c.ruleMatching).toBe('first');
  });

  it('merges config_files includes (directory members in order, lists appended) before -o overrides', () => {
    const dir = scratch({
      'falco.yaml': 'config_files:\n  - conf.d\n  - {path: missing.yaml}\nload_plugins: []\njson_output: false\n',
      'conf.d/b.yaml': 'load_plugins: [json]\n',
      'conf.d/a.yaml': 'load_plugins: [container]\njson_output: true\n',
    });
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const loaded = loadConfig('falco.yaml', ['json_output=false'], {});
      expect(loaded.tree['load_plugins']).toEqual(['container', 'json']);
      expect(loaded.tree['json_output']).toBe(false);
      expect(loaded.files.map((f) => f.slice(dir.length))).toEqual(['/falco.yaml', '/conf.d/a.yaml', '/conf.d/b.yaml']);
      expect(loaded.notes[0]).toMatch(/missing.yaml does not exist/);
    } finally {
      process.chdir(cwd);
    }
  });

  it('expands ${VAR} references from the environment', () => {
    expect(expandEnv('${HOME}/x $${HOME}', { HOME: '/root' })).toBe('/root/x ${HOME}');
    const dir = scratch({ 'c.yaml': 'plugins:\n  - name: k8saudit\n    open_params: ${EVENTS}\n' });
    const c = interpretConfig(loadConfig(join(dir, 'c.yaml'), [], { EVENTS: '/data/a.json' }).tree);
    expect(c.plugins[0]).toEqual({ name: 'k8saudit', openParams: '/data/a.json', initConfig: undefined });
  });

  it('reports YAML errors with the file and position', () => {
    const dir = scratch({ 'bad.yaml': 'a: [1,\nb: }\n' });
    expect(() => loadConfig(join(dir, 'bad.yaml'), [], {})).toThrow(ConfigError);
    try {
      loadConfig(join(dir, 'bad.yaml'), [], {});
    } catch (e) {
      expect((e as ConfigError).code).toBe('CONFIG_BAD_YAML');
      expect((e as ConfigError).context.line).toBeGreaterThan(0);
    }
    expect(() => loadConfig(join(dir, 'nope.yaml'), [], {})).toThrow(/Cannot read config file .*no such file/);
  });

  it('validates values as Falco does', () => {
    expect(() => interpretConfig({ rule_matching: 'test' })).toThrow('Unknown rule matching strategy "test"--must be one of first, all');
    expect(() => interpretConfig({ syscall_event_drops: { actions: ['ignore', 'log'] } })).toThrow(
      'syscall event drop action "log" does not make sense with the "ignore" action',
    );
    expect(() => interpretConfig({ syscall_event_drops: { threshold: 1.1 } })).toThrow(/threshold must be a double in the range \[0, 1\]/);
    expect(() => interpretConfig({ priority: 'loud' })).toThrow(/Unknown priority "loud"/);
    expect(() => interpretConfig({ json_output: 'maybe' })).toThrow(/json_output must be a boolean/);
    expect(interpretConfig({ priority: 'INFO' }).minPriority).toBe(6);
    expect(interpretConfig({ rules: [{ disable: { rule: '*' } }, { enable: { tag: 'a' } }] }).ruleSelections).toEqual([
      { action: 'disable', by: 'rule', value: '*' },
      { action: 'enable', by: 'tag', value: 'a' },
    ]);
  });
});
