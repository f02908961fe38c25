import { PassThrough } from 'node:stream';
import { formatJson, DEFAULT_FORMAT } from '@falco-ts/alert';
import { sampleAlert } from '../helpers/alerts';
import { buildOutputs } from '../helpers/build';

describe('stdout sink', () => {
  it('writes one JSON line per alert when json_output is on', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const { outputs } = await buildOutputs({ stdout_output: { enabled: true }, json_output: true }, { stdout: out });
    const alerts = [0, 1, 2].map((i) => sampleAlert(i));
    for (const a of alerts) outputs.emit(a);
    await outputs.idle();
    await outputs.shutdown();
    expect(text).toBe(alerts.map((a) => `${formatJson(a, { ...DEFAULT_FORMAT, json: true })}\n`).join(''));
    expect(outputs.stats().stdout.sent).toBe(3);
  });
});
