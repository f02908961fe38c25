/** `stdout_output`: one line per alert on standard output. */
import { once } from 'node:events';
import { formatAlert } from '@falco-ts/alert';
import { defineSink } from '../sink';

export const stdoutSink = defineSink({
  name: 'stdout',
  section: 'stdout_output',
  summary: 'Writes each alert as one line (text or JSON) to standard output.',
  spoolable: false,
  configSchema: {
    enabled: { type: 'boolean', default: true, doc: 'Write alerts to standard output.' },
  },
  create(_config, ctx) {
    const out = ctx.stdout;
    // Wait only when the stream asks us to (a slow pipe), which is what keeps the queue bounded.
    const write = async (text: string): Promise<void> => {
      if (!out.write(text)) await once(out, 'drain');
    };
    return {
      send: (alert) => write(`${formatAlert(alert, ctx.format)}\n`),
      sendBatch(alerts) {
        let text = '';
        for (const a of alerts) text += `${formatAlert(a, ctx.format)}\n`;
        return write(text);
      },
      async close() {
        // process.stdout must stay open for the host; only flushing is ours to do.
        if (out.writableNeedDrain) await once(out, 'drain');
      },
    };
  },
});
