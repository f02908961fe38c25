#!/usr/bin/env node
/**
 * `scap`: see what a capture holds.
 *   scap info FILE [--json]   blocks by type, events by type name, threads, fds, time span
 *   scap print FILE           one line per event: number, timestamp, cpu, tid, direction, type, args
 *   scap capture -w FILE      record a live capture (the live driver's command, src/live/)
 */
import { CaptureFormatError } from '../errors';
import { captureCommand } from '../live/lazy';
import { openScap } from '../scap/reader';
import { formatTimestamp, summarizeCapture, type CaptureSummary } from '../scap/summary';
import { BatchCursor } from '../view/event-view';
import { eventTypeName, renderArgs } from '../view/render';

class Output {
  private buf = '';
  async line(s: string): Promise<void> {
    this.buf += `${s}\n`;
    if (this.buf.length >= 64 * 1024) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.buf === '') return;
    const chunk = this.buf;
    this.buf = '';
    if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
}

function infoText(s: CaptureSummary): string {
  const lines = [
    `file        ${s.file}${s.compressed ? ' (gzip)' : ''}`,
    `version     ${s.version}`,
    `hostname    ${s.hostname ?? '-'}`,
    `events      ${s.events} delivered (${s.storedEvents} stored; old layouts converted, folded enter events dropped)`,
    `threads     ${s.threads}`,
    `fds         ${s.fds}`,
    `users       ${s.users} users, ${s.groups} groups`,
    `interfaces  ${s.interfaces}`,
    `time span   ${s.firstTs === null ? '-' : `${formatTimestamp(BigInt(s.firstTs))} .. ${formatTimestamp(BigInt(s.lastTs!))} (${s.durationSeconds.toFixed(6)} s)`}`,
    '',
    'blocks by type:',
    ...Object.entries(s.blocks).map(([k, v]) => `  ${String(v).padStart(8)}  ${k}`),
    '',
    'events by type:',
    ...Object.entries(s.eventsByType).map(([k, v]) => `  ${String(v).padStart(8)}  ${k}`),
  ];
  return lines.join('\n');
}

async function print(file: string, opts: { raw?: boolean; limit?: string; snaplen?: string }): Promise<void> {
  const r = await openScap(file, { convert: !opts.raw });
  const out = new Output();
  const limit = opts.limit === undefined ? Infinity : Number(opts.limit);
  const maxBufferBytes = opts.snaplen === undefined ? 80 : Number(opts.snaplen);
  const c = new BatchCursor();
  let n = 0;
  outer: for await (const b of r.batches()) {
    c.reset(b);
    while (c.next()) {
      if (n >= limit) break outer;
      n++;
      const v = c.view;
      await out.line(`${n} ${formatTimestamp(v.ts)} ${v.cpu} ${v.tid} ${v.dir} ${eventTypeName(v)} ${renderArgs(v, { maxBufferBytes })}`);
    }
  }
  r.close();
  await out.flush();
}

const USAGE = `usage: scap <command> FILE [options]

Inspect scap capture files (gzip or plain).

commands:
  info FILE [--json]     blocks by type, events by type name, thread and fd counts, time span
  print FILE [options]   one line per event: number, timestamp, cpu, tid, direction, type, arguments
      --raw              show events as stored, without converting old layouts
      -n, --limit N      stop after N events
      -s, --snaplen N    bytes of each buffer to print (default 80)
  capture -w FILE ...    record a live capture with the eBPF driver (root; \`scap capture --help\`)
`;

class UsageError extends Error {
  override name = 'UsageError';
  readonly code = 'SCAP_USAGE';
}

/** The command line, parsed by hand: two subcommands with a few flags do not need a framework. */
function parseArgs(argv: readonly string[]): { command: string; file: string; flags: Map<string, string | true> } {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') throw new UsageError(USAGE);
  if (command !== 'info' && command !== 'print') throw new UsageError(`unknown command '${command}'\n\n${USAGE}`);
  const flags = new Map<string, string | true>();
  const files: string[] = [];
  const valued = new Set(['--limit', '-n', '--snaplen', '-s']);
  const known = new Set(command === 'info' ? ['--json'] : ['--raw', ...valued]);
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (!a.startsWith('-')) {
      files.push(a);
      continue;
    }
    if (!known.has(a)) throw new UsageError(`unknown option '${a}' for '${command}'\n\n${USAGE}`);
    if (valued.has(a)) {
      const v = rest[++i];
      if (v === undefined || !/^\d+$/.test(v)) throw new UsageError(`option '${a}' needs a number`);
      flags.set(a.length === 2 ? (a === '-n' ? '--limit' : '--snaplen') : a, v);
    } else flags.set(a, true);
  }
  if (files.length !== 1) throw new UsageError(`'${command}' takes exactly one FILE\n\n${USAGE}`);
  return { command, file: files[0]!, flags };
}

export async function main(argv: readonly string[]): Promise<void> {
  if (argv[0] === 'capture') return captureCommand(argv.slice(1));
  const { command, file, flags } = parseArgs(argv);
  if (command === 'info') {
    const s = await summarizeCapture(file);
    process.stdout.write(`${flags.has('--json') ? JSON.stringify(s, null, 2) : infoText(s)}\n`);
    return;
  }
  const limit = flags.get('--limit');
  const snaplen = flags.get('--snaplen');
  await print(file, { raw: flags.has('--raw'), limit: typeof limit === 'string' ? limit : undefined, snaplen: typeof snaplen === 'string' ? snaplen : undefined });
}

if (require.main === module) {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  main(process.argv.slice(2)).catch((e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(e.message.endsWith('\n') ? e.message : `scap: ${e.message}\n`);
      process.exit(2);
    }
    const msg = e instanceof CaptureFormatError ? `${e.message} [${e.code}]` : e instanceof Error ? e.message : String(e);
    process.stderr.write(`scap: ${msg}\n`);
    process.exit(1);
  });
}
