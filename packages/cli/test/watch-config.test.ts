import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { falco } from './helpers';

const RULE = `
- rule: never
  desc: a rule that never fires
  condition: evt.num = 0
  output: never
  priority: INFO
`;

/** Runs the detector without a driver for `seconds`, calling `during` half a second in. */
async function runWhile(config: string, rules: string, during: () => void) {
  const timer = setTimeout(during, 500);
  try {
    return await falco([
      '-c', config, '-r', rules, '-M', '2',
      '-o', 'engine.kind=nodriver', '-o', 'watch_config_files=true', '-o', 'log_level=info', '-o', 'log_stderr=true',
      '-o', 'syslog_output.enabled=false', '-o', 'webserver.enabled=false',
    ]);
  } finally {
    clearTimeout(timer);
  }
}

describe('watch_config_files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'falco-watch-'));
  const rules = join(dir, 'rules.yaml');
  writeFileSync(rules, RULE);

  it('reloads when a watched rules file changes', async () => {
    const run = await runWhile('/dev/null', rules, () => writeFileSync(rules, `${RULE}\n# edited\n`));
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/rules\.yaml changed: configuration and 1 rules files reloaded/);
  });

  it('does not watch a device given as the configuration file', async () => {
    const run = await runWhile('/dev/null', rules, () => writeFileSync('/dev/null', 'noise'));
    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(/reloaded/);
  });
});
