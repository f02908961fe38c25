/** `stdout_output`: one line per alert on standard output. */
import { once } from 'node:events';
import { formatAlert } from '../format';
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
    return {
      async send(alert) {
        // Wait only when the stream asks us to (a slow pipe), which is what keeps the queue bounded.
        if (!out.write(`${formatAlert(alert, ctx.format)}\n`)) await once(out, 'drain');
      },
      async close() {
        // process.stdout must stay open for the host; only flushing is ours to do.
        if (out.writableNeedDrain) await once(out, 'drain');
      },
    };
  },
});
