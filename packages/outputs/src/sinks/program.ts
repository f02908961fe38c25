/**
 * `program_output`: runs a shell command and writes alerts to its standard input, either one
 * long-lived process (`keep_alive`, re-started if it exits) or one process per alert.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { formatAlert, type Alert } from '@falco-ts/alert';
import { deliveryError } from '../errors';
import { defineSink } from '../sink';

function startShell(command: string): ChildProcess {
  // stdout/stderr are inherited, as with Falco's popen(): the program's own output is the user's.
  return spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'inherit', 'inherit'] });
}

function writeLine(child: ChildProcess, line: string): Promise<void> {
  const stdin = child.stdin;
  if (stdin === null || stdin.destroyed) return Promise.reject(deliveryError('program', 'program stdin is closed'));
  return new Promise<void>((resolve, reject) => {
    stdin.write(line, (err) => (err ? reject(deliveryError('program', `cannot write to program: ${err.message}`, (err as NodeJS.ErrnoException).code)) : resolve()));
  });
}

async function runOnce(command: string, line: string): Promise<void> {
  const child = startShell(command);
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  child.stdin?.on('error', () => undefined); // EPIPE when the program ignores its input: not our failure
  child.stdin?.end(line);
  const [code, signal] = await exited;
  if (code !== 0) {
    // The program ran and saw the alert; running it again could repeat its side effects.
    throw deliveryError('program', `program exited with ${signal ?? `status ${code}`}`, undefined, false);
  }
}

export const programSink = defineSink({
  name: 'program',
  section: 'program_output',
  summary: 'Runs a shell command and writes each alert to its standard input.',
  spoolable: false,
  configSchema: {
    enabled: { type: 'boolean', default: false, doc: 'Send alerts to `program`.' },
    keep_alive: { type: 'boolean', default: false, doc: 'Start the program once and write every alert to it, instead of one process per alert.' },
    program: { type: 'string', default: "jq '{text: .output}' | curl -d @- -X POST https://hooks.slack.com/services/XXX", doc: 'Shell command line, run with `/bin/sh -c`.' },
  },
  create(config, ctx) {
    let child: ChildProcess | undefined;
    const persistent = (): ChildProcess => {
      if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
        const c = startShell(config.program);
        c.stdin?.on('error', () => undefined); // reported through the write callback instead
        c.on('exit', (code, signal) => {
          if (child === c) child = undefined;
          ctx.log(`program: exited with ${signal ?? `status ${code}`}; it is started again for the next alert`);
        });
        child = c;
      }
      return child;
    };
    const stop = async (): Promise<void> => {
      const c = child;
      child = undefined;
      if (c === undefined || c.exitCode !== null) return;
      const exited = once(c, 'exit');
      c.stdin?.end();
      await exited;
    };
    return {
      send(alert) {
        const line = `${formatAlert(alert, ctx.format)}\n`;
        return config.keep_alive ? writeLine(persistent(), line) : runOnce(config.program, line);
      },
      // Only a long-lived program can take several alerts at once; otherwise each gets its own process.
      ...(config.keep_alive
        ? {
            sendBatch(alerts: readonly Alert[]) {
              let text = '';
              for (const a of alerts) text += `${formatAlert(a, ctx.format)}\n`;
              return writeLine(persistent(), text);
            },
          }
        : {}),
      reopen: stop,
      close: stop,
    };
  },
});
