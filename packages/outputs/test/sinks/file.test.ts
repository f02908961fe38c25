import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { formatText } from '@falco-ts/alert';
import { sampleAlert } from '../helpers/alerts';
import { buildOutputs } from '../helpers/build';
import { tempDir } from '../helpers/net';

describe('file sink', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('appends one text line per alert, opening the file for each alert by default', async () => {
    const filename = join(tmp.dir, 'events.txt');
    const { outputs } = await buildOutputs({ file_output: { enabled: true, filename }, time_format_iso_8601: true });
    outputs.emit(sampleAlert(0));
    outputs.emit(sampleAlert(1));
    await outputs.idle();
    expect(readFileSync(filename, 'utf8')).toBe(`${formatText(sampleAlert(0), true)}\n${formatText(sampleAlert(1), true)}\n`);
    await outputs.shutdown();
  });

  it('with keep_alive, keeps writing to the renamed file until reopen (SIGHUP), then to a new one', async () => {
    const filename = join(tmp.dir, 'events.txt');
    const rotated = join(tmp.dir, 'events.txt.1');
    const { outputs } = await buildOutputs({ file_output: { enabled: true, filename, keep_alive: true } });
    outputs.emit(sampleAlert(0));
    await outputs.idle();
    renameSync(filename, rotated);
    outputs.emit(sampleAlert(1));
    await outputs.idle();
    // Still the old descriptor: this is why log rotation needs the SIGHUP.
    expect(existsSync(filename)).toBe(false);
    await outputs.reopen();
    outputs.emit(sampleAlert(2));
    await outputs.idle();
    await outputs.shutdown();
    expect(readFileSync(rotated, 'utf8').trim().split('\n')).toHaveLength(2);
    expect(readFileSync(filename, 'utf8')).toBe(`${formatText(sampleAlert(2), false)}\n`);
  });
});
