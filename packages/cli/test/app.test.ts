import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHIPPED_RULES_FILE } from '../src/config/defaults';
import { DEFAULT_CONFIG_FILE } from '../src/config/load';
import { DEFAULT_CONFIG, falco } from './helpers';

describe('the falco command: print-and-exit actions', () => {
  it('prints help with Falco\'s usage line and flags', async () => {
    const r = await falco(['-c', DEFAULT_CONFIG, '-h']);
    expect(r.code).toBe(0);
    for (const flag of ['Usage:', 'falco [OPTION...]', '--dry-run', '--list-events', '--plugin-info', '--page-size', '-V', '--validate']) {
      expect(r.stdout).toContain(flag);
    }
  });

  it('prints versions as text and as JSON', async () => {
    const text = await falco(['-c', DEFAULT_CONFIG, '--version']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Falco version: \d+\.\d+\.\d+\nLibs version: +0\.22\.1\nPlugin API: +3\.10\.0\nEngine: +0\.57\.0\nDriver:\n/);
    const json = await falco(['-c', DEFAULT_CONFIG, '--version', '-o', 'json_output=true']);
    expect(Object.keys(JSON.parse(json.stdout))).toEqual(
      expect.arrayContaining(['falco_version', 'libs_version', 'plugin_api_version', 'engine_version', 'driver_api_version', 'driver_schema_version', 'default_driver_version']),
    );
  });

  it('describes the built-in plugins the configuration loads', async () => {
    const r = await falco(['-c', DEFAULT_CONFIG, '--list-plugins', '-o', 'load_plugins[0]=container']);
    expect(r.stdout).toMatch(/^1 Plugins Loaded:\s+Name: container\s+Description: .*\s+Contact: .*\s+Version: .*\s+Capabilities:\s+- Field Extraction/);
    const info = await falco(['-c', DEFAULT_CONFIG, '--plugin-info=container']);
    expect(info.stdout).toMatch(/Init config schema type: JSON/);
    const bad = await falco(['-c', DEFAULT_CONFIG, '--list-plugins', '-o', 'load_plugins[0]=nosuch']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Error: Cannot load plugin 'nosuch'/);
  });

  it('fails with exit code 1 and a message for bad command lines and configurations', async () => {
    const unknown = await falco(['--no-such-flag']);
    expect(unknown).toMatchObject({ code: 1 });
    expect(unknown.stderr).toContain("Error: unknown option '--no-such-flag'");
    const noRules = await falco(['-c', '/dev/null']);
    expect(noRules.code).toBe(1);
    expect(noRules.stderr).toContain('You must specify at least one rules file');
    const badValue = await falco(['-c', DEFAULT_CONFIG, '-o', 'rule_matching=test', '-r', 'x.yaml']);
    expect(badValue.code).toBe(1);
    expect(badValue.stderr).toContain('Unknown rule matching strategy "test"');
  });

  it('logs to stderr with ISO 8601 times when asked', async () => {
    const r = await falco(['-c', '/dev/null', '-o', 'time_format_iso_8601=true', '-o', 'log_level=debug']);
    expect(r.stderr).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000: Falco version/);
    const quiet = await falco(['-c', '/dev/null', '-o', 'log_stderr=false']);
    expect(quiet.stderr).not.toMatch(/Falco version/);
  });
});

describe('the falco command with no configuration installed', () => {
  // As a Falco package does through /etc/falco/falco.yaml and config.d: the shipped default rules,
  // and container metadata on. (On a machine with /etc/falco/falco.yaml that file is used instead.)
  const noInstalledConfig = !existsSync(DEFAULT_CONFIG_FILE);

  (noInstalledConfig ? it : it.skip)('loads the default rules the package ships and the container plugin, with no -c and no -r', async () => {
    expect(existsSync(SHIPPED_RULES_FILE)).toBe(true);
    expect(readFileSync(SHIPPED_RULES_FILE, 'utf8')).toBe(readFileSync(join(__dirname, '../../../rules/falco_rules.yaml'), 'utf8'));
    const rules = await falco(['-L', '-o', 'log_level=debug']);
    expect(rules.code).toBe(0);
    expect(rules.stderr).toContain(`using the shipped defaults (rules ${SHIPPED_RULES_FILE}, container plugin loaded)`);
    for (const name of ['Terminal shell in container', 'Create files below dev', 'System binary outbound connection']) expect(rules.stdout).toContain(name);
    const plugins = await falco(['--list-plugins']);
    expect(plugins.stdout).toMatch(/^1 Plugins Loaded:\s+Name: container/);
    // -o still applies on top of the defaults, and an explicit -c gets only what it says.
    const off = await falco(['--list-plugins', '-o', 'load_plugins=[]']);
    expect(off.stdout).toMatch(/^0 Plugins Loaded/);
    const explicit = await falco(['-c', '/dev/null', '--list-plugins']);
    expect(explicit.stdout).toMatch(/^0 Plugins Loaded/);
  });
});
