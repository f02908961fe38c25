import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFORMANCE_FALCO, falco } from './helpers';

const C = (p: string): string => join(CONFORMANCE_FALCO, p);
const quiet = ['-o', 'syslog_output.enabled=false', '-o', 'log_stderr=false', '-o', 'log_syslog=false'];
const JSON_CONFIG = C('configs/json_plugin_config.yaml');

function rulesFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'plugin-fields-'));
  const path = join(dir, 'rules.yaml');
  writeFileSync(path, text);
  return path;
}

const OPEN_RULES = `
- rule: open_with_json
  desc: an open whose plugin payload says test
  condition: evt.type=open and json.value[/test] = "test"
  output: json open (command=%proc.cmdline)
  priority: WARNING
- rule: open_plain
  desc: any open
  condition: evt.type=open and evt.dir=<
  output: open (command=%proc.cmdline)
  priority: WARNING
`;

describe('json plugin fields on the syscall source', () => {
  it('-L JSON: json fields compile in syscall rules and the rule lists the json plugin and asyncevent', async () => {
    const r = await falco(['-c', JSON_CONFIG, ...quiet, '-o', 'load_plugins[0]=json', '-o', 'json_output=true', '-L', '-r', rulesFile(OPEN_RULES)]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { rules: { info: { name: string }; details: { plugins: string[]; events: string[]; condition_fields: string[] } }[] };
    const withJson = doc.rules.find((x) => x.info.name === 'open_with_json')!;
    expect(withJson.details.plugins).toEqual(['json']);
    expect(withJson.details.events).toEqual(['asyncevent', 'open']);
    expect(withJson.details.condition_fields).toContain('json.value[/test]');
    expect(doc.rules.find((x) => x.info.name === 'open_plain')!.details.plugins).toEqual([]);
  });

  it('without the json plugin the same rules do not load', async () => {
    const r = await falco(['-c', JSON_CONFIG, ...quiet, '-o', 'load_plugins=[]', '-o', 'json_output=true', '-L', '-r', rulesFile(OPEN_RULES)]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/nonexistent field json\.value/);
  });

  it('json.value[] requires its argument, as the plugin does', async () => {
    const bad = rulesFile(OPEN_RULES.replace('json.value[/test]', 'json.value'));
    const r = await falco(['-c', JSON_CONFIG, ...quiet, '-o', 'load_plugins[0]=json', '-o', 'json_output=true', '-L', '-r', bad]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/json\.value requires an argument/);
  });

  it('replay: syscall events carry no plugin payload, so a json check never matches', async () => {
    const r = await falco([
      '-c', JSON_CONFIG, ...quiet, '-o', 'load_plugins[0]=json', '-o', 'json_output=true', '-o', 'json_include_output_property=false',
      '-r', rulesFile(OPEN_RULES), '-o', 'engine.kind=replay', '-o', `engine.replay.capture_file=${C('captures/cat_write.scap')}`,
    ]);
    expect(r.code).toBe(0);
    const rules = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => (JSON.parse(l) as { rule: string }).rule);
    expect(rules.filter((x) => x === 'open_plain')).toHaveLength(4);
    expect(rules).not.toContain('open_with_json');
  });
});
