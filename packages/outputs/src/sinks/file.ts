/** `file_output`: appends alerts to a file; re-opened on SIGHUP so log rotation works. */
import type { FileHandle } from 'node:fs/promises';
import { appendFile, open } from 'node:fs/promises';
import { formatAlert } from '@falco-ts/alert';
import { defineSink } from '../sink';

export const fileSink = defineSink({
  name: 'file',
  section: 'file_output',
  summary: 'Appends each alert as one line to a file.',
  spoolable: false,
  configSchema: {
    enabled: { type: 'boolean', default: false, doc: 'Append alerts to `filename`.' },
    keep_alive: {
      type: 'boolean',
      default: false,
      doc: 'Keep the file open between alerts (re-opened on SIGHUP) instead of opening and closing it for each alert.',
    },
    filename: { type: 'string', default: './events.txt', doc: 'The file alerts are appended to; created when missing.' },
  },
  create(config, ctx) {
    let handle: FileHandle | undefined;
    const closeHandle = async (): Promise<void> => {
      const h = handle;
      handle = undefined;
      await h?.close();
    };
    const append = async (text: string): Promise<void> => {
      if (!config.keep_alive) {
        await appendFile(config.filename, text);
        return;
      }
      handle ??= await open(config.filename, 'a');
      await handle.write(text);
    };
    return {
      send: (alert) => append(`${formatAlert(alert, ctx.format)}\n`),
      // Several queued alerts go out in one write (and, without keep_alive, one open).
      sendBatch(alerts) {
        let text = '';
        for (const a of alerts) text += `${formatAlert(a, ctx.format)}\n`;
        return append(text);
      },
      reopen: closeHandle,
      close: closeHandle,
    };
  },
});
