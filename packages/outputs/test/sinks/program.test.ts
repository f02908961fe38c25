import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_FORMAT, formatJson } from '@falco-ts/alert';
import { sampleAlert } from '../helpers/alerts';
import { buildOutputs } from '../helpers/build';
import { tempDir } from '../helpers/net';

describe('program sink', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  const json = (i: number): string => `${formatJson(sampleAlert(i), { ...DEFAULT_FORMAT, json: true })}\n`;

  it('with keep_alive, one shell process receives every alert on stdin', async () => {
    const file = join(tmp.dir, 'out.jsonl');
    const { outputs } = await buildOutputs({ json_output: true, program_output: { enabled: true, keep_alive: true, program: `cat > ${file}` } });
    for (let i = 0; i < 20; i++) outputs.emit(sampleAlert(i));
    await outputs.idle();
    await outputs.shutdown();
    expect(readFileSync(file, 'utf8')).toBe([...Array(20).keys()].map(json).join(''));
  });

  it('without keep_alive, runs the program once per alert', async () => {
    const file = join(tmp.dir, 'out.jsonl');
    const { outputs } = await buildOutputs({ json_output: true, program_output: { enabled: true, program: `cat >> ${file}` } });
    for (let i = 0; i < 3; i++) outputs.emit(sampleAlert(i));
    await outputs.idle();
    await outputs.shutdown();
    expect(readFileSync(file, 'utf8')).toBe([0, 1, 2].map(json).join(''));
    expect(outputs.stats().program.sent).toBe(3);
  });

  it('counts a program that fails as a rejected alert and does not re-run it', async () => {
    const file = join(tmp.dir, 'runs');
    const { outputs, logs } = await buildOutputs({ program_output: { enabled: true, program: `echo run >> ${file}; exit 3` } });
    outputs.emit(sampleAlert(0));
    await outputs.idle();
    await outputs.shutdown();
    expect(readFileSync(file, 'utf8')).toBe('run\n');
    expect(outputs.stats().program.dropped.rejected).toBe(1);
    expect(logs.join('\n')).toContain('program exited with status 3');
  });

  it('restarts a keep_alive program that exited', async () => {
    const file = join(tmp.dir, 'out');
    // `head -n 1` exits after one line; the next alert must start it again.
    const { outputs } = await buildOutputs({ program_output: { enabled: true, keep_alive: true, program: `head -n 1 >> ${file}` } });
    outputs.emit(sampleAlert(0));
    await outputs.idle();
    await new Promise((r) => setTimeout(r, 200));
    outputs.emit(sampleAlert(1));
    await outputs.idle();
    await outputs.shutdown();
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
  });
});
