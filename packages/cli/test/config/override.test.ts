import { parse as parseYaml } from 'yaml';
import { applyOverride, parseOverridePath, parseOverrideValue } from '../../src/config/override';
import { ConfigError } from '../../src/errors';

describe('-o key=value overrides', () => {
  it('parses values as YAML scalars', () => {
    expect(parseOverrideValue('true')).toBe(true);
    expect(parseOverrideValue('.1')).toBe(0.1);
    expect(parseOverrideValue('/tmp/x.txt')).toBe('/tmp/x.txt');
    expect(parseOverrideValue('')).toBe('');
    expect(parseOverrideValue('*')).toBe('*');
  });

  it('reads every value as YAML does, including those it takes without loading yaml', () => {
    const values = [
      'replay', 'modern_ebpf', '/tmp/x.scap', './x.scap', '../shared/c.scap', '.hidden', '..x', '.', '..', '/etc/falco/rules.d', 'info', 'a-b_c.d/e', 'Infinity', 'NaN', 'e5', 'yes', 'no', 'on', 'off', 'y',
      'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL', '~', 'tRue', 'nulls',
      '0', '5', '-3', '+7', '0x1f', '0o17', '1e3', '.5', '.inf', '-.inf', '.nan', '007', '1_000',
      'a b', 'a: b', '[a, b]', '{a: 1}', '"quoted"', "'single'", '#comment', 'x#y', 'x #y', '- item', '&anchor x', '*alias', '!tag x', '%x', '@x', '`x',
    ];
    for (const v of values) {
      let expected: unknown;
      try {
        expected = parseYaml(v) as unknown;
      } catch {
        expected = v;
      }
      expect({ v, parsed: parseOverrideValue(v) }).toEqual({ v, parsed: expected });
    }
  });

  it('parses paths with indexes and append markers', () => {
    expect(parseOverridePath('rules[].disable.tag', '')).toEqual([{ key: 'rules' }, { append: true }, { key: 'disable' }, { key: 'tag' }]);
    expect(parseOverridePath('load_plugins[0]', '')).toEqual([{ key: 'load_plugins' }, { index: 0 }]);
  });

  it('sets nested keys, creating mappings', () => {
    const c: Record<string, unknown> = { engine: { kind: 'modern_ebpf', replay: { capture_file: '' } } };
    applyOverride(c, 'engine.kind=replay');
    applyOverride(c, 'engine.replay.capture_file=captures/a.scap');
    applyOverride(c, 'file_output.filename=/tmp/out.txt');
    expect(c).toEqual({ engine: { kind: 'replay', replay: { capture_file: 'captures/a.scap' } }, file_output: { filename: '/tmp/out.txt' } });
  });

  it('appends rule selection items in order and replaces indexed items', () => {
    const c: Record<string, unknown> = { load_plugins: ['container', 'json'] };
    applyOverride(c, 'rules[].disable.rule=*');
    applyOverride(c, 'rules[].enable.tag=a');
    applyOverride(c, 'load_plugins[0]=k8saudit');
    expect(c['rules']).toEqual([{ disable: { rule: '*' } }, { enable: { tag: 'a' } }]);
    expect(c['load_plugins']).toEqual(['k8saudit', 'json']);
  });

  it('rejects malformed overrides with a typed error', () => {
    expect(() => applyOverride({}, 'novalue')).toThrow(ConfigError);
    expect(() => applyOverride({}, 'a[5]=x')).toThrow(/past the end/);
    try {
      applyOverride({}, '=x');
    } catch (e) {
      expect((e as ConfigError).code).toBe('CONFIG_BAD_OVERRIDE');
      expect((e as ConfigError).context.file).toBe('-o');
    }
  });
});
