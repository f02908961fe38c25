/** Append/override/redefinition semantics, one Falco behaviour per case. */
import { load } from './rule-tester';

const base = (name = 'test_rule', extra = ''): string =>
  `- rule: ${name}\n  desc: d\n  condition: evt.type = close\n  output: user=%user.name\n  priority: INFO\n${extra}`;
const condOf = (yaml: string, rule = 'test_rule'): string | undefined => {
  const { engine } = load(yaml);
  return engine.describe().rules.find((r) => r.info.name === rule)?.details.condition_compiled;
};

describe('append and override', () => {
  it('a key that cannot be appended is an error pointing at the override entry', () => {
    const { result } = load(
      base('r') + `- rule: r\n  desc: x\n  condition: and proc.name = cat\n  priority: WARNING\n  override:\n    desc: replace\n    condition: append\n    priority: append\n`,
    );
    expect(result.successful).toBe(false);
    expect(result.errors[0]!.message).toBe("Key 'priority' cannot be appended to, use 'replace' instead");
    expect(result.toJSON().errors[0]!.context.snippet).toContain('priority: append');
  });

  it('an invalid override operation lists the allowed ones', () => {
    const { result } = load(base('r') + `- rule: r\n  condition: x\n  override:\n    condition: merge\n`);
    expect(result.errors[0]!.message).toBe("Invalid override operation for key 'condition': 'merge'. Allowed values are: append replace ");
  });

  it('macro append after the definition, with the deprecated flag', () => {
    const yaml = `- macro: m\n  condition: evt.type in (open,openat)\n- macro: m\n  condition: or evt.type = openat2\n  append: true\n${base('test_rule').replace('evt.type = close', 'm')}`;
    expect(condOf(yaml)).toBe('(evt.type in (open, openat) or evt.type = openat2)');
  });

  it('macro append before the definition is an error', () => {
    const { result } = load(`- macro: m\n  condition: or evt.type = openat2\n  append: true\n- macro: m\n  condition: evt.type = open\n`);
    expect(result.errors[0]!.message).toBe("Macro uses 'append' or 'override.condition: append' but no macro by that name already exists");
  });

  it('a misspelt override key is ignored (schema fails) and the list is redefined', () => {
    const yaml = `- list: l\n  items: [a, b]\n  override_written_wrong:\n    items: append\n- list: l\n  items: [c]\n${base('test_rule').replace('evt.type = close', 'evt.type = execve and proc.name in (l)')}`;
    const { engine, result } = load(yaml);
    expect(result.schemaValidation).toMatch(/^failed/);
    expect(engine.describe().rules[0]!.details.condition_compiled).toBe('(evt.type = execve and proc.name in (c))');
  });

  it('list replace before the definition defines it, and the later definition wins', () => {
    const yaml = `- list: l\n  items: [a]\n  override:\n    items: replace\n- list: l\n  items: [b]\n${base('test_rule').replace('evt.type = close', 'proc.name in (l) and evt.type = open')}`;
    expect(condOf(yaml)).toBe('(proc.name in (b) and evt.type = open)');
  });

  it('keys outside the override set are errors', () => {
    const { result } = load(base() + `- rule: test_rule\n  desc: x\n  condition: and proc.name = cat\n  priority: WARNING\n  override:\n    desc: replace\n    condition: append\n`);
    expect(result.errors[0]!.message).toContain("Unexpected key 'priority'");
  });

  it('a disabled rule is not in the default ruleset and gives no warning', () => {
    const { engine, result } = load(base('test_rule', '  enabled: false\n'));
    expect(result.hasWarnings).toBe(false);
    expect(engine.enabledRuleCount()).toBe(0);
  });

  it('a standalone enabled item enables an earlier rule, with a deprecation warning', () => {
    const { engine, result } = load(base('test_rule', '  enabled: false\n') + `- rule: test_rule\n  enabled: true\n`);
    expect(result.warnings.map((w) => w.message)).toContain(
      "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry under the 'override' key (i.e. 'enabled: replace').",
    );
    expect(engine.enabledRuleCount()).toBe(1);
  });

  it('a full redefinition replaces the rule', () => {
    const yaml = base('test_rule', '  enabled: false\n') + base('test_rule', '  enabled: true\n').replace('evt.type = close', 'proc.name = cat');
    const { engine } = load(yaml);
    expect(engine.enabledRuleCount()).toBe(1);
    expect(engine.describe().rules[0]!.details.condition_compiled).toBe('proc.name = cat');
  });

  it('replacing exceptions requires complete exception definitions', () => {
    const yaml =
      base('test_rule', '  exceptions:\n    - name: e\n      fields: proc.name\n      comps: in\n      values: [cat]\n') +
      `- rule: test_rule\n  exceptions:\n    - name: e\n      values: [echo]\n  override:\n    exceptions: append\n` +
      `- rule: test_rule\n  exceptions:\n    - name: e\n      values: [id]\n  override:\n    exceptions: replace\n`;
    const { result } = load(yaml);
    expect(result.successful).toBe(false);
    expect(result.hasWarnings).toBe(false);
    expect(result.errors[0]!.message).toBe("Item has no mapping for key 'fields'");
  });
});
