/**
 * `falco inspect`: like `sysdig -r FILE -p FORMAT FILTER`, prints chosen fields of every event
 * that matches a filter, from a capture (`-r FILE`) or live (without `-r`, for `-M` seconds or
 * until interrupted). It is how rule authors explore events, and how field values are compared
 * with sysdig's.
 *
 *   falco inspect -r trace.scap -p "%evt.num %proc.name %fd.name" "evt.type = openat"
 *
 * The filter and format are compiled by the rules engine exactly as a rule's condition and output
 * are (one synthetic rule), so what matches here matches in rules.
 */
import { Command, CommanderError } from 'commander';
import { stringify } from 'yaml';
import { processIo, type CliIo } from '../io';
import { Logger } from '../logger';
import { DropMonitor } from '../drops';
import { interpretConfig } from '../config/falco-config';
import { createEngine } from '../detector/engine-setup';
import { replayCapture } from '../detector/replay';
import { runLive } from '../detector/live';
import { StopSignal } from '../detector/run';
import { createSyscallSource } from '../detector/sources';
import type { AlertSink } from '../detector/alerts';
import type { AppContext } from '../context';
import { usageErrors } from '../errors';

const DEFAULT_FORMAT = '%evt.num %evt.time %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.args';
const INSPECT_RULE = 'inspect';

interface InspectOptions {
  read?: string;
  print: string;
  filter: string;
  seconds?: number;
}

function parse(argv: readonly string[]): InspectOptions {
  const cmd = new Command('falco inspect')
    .usage('[-r FILE] [-p FORMAT] [-M SECONDS] [FILTER...]')
    .option('-r, --read <file>', 'read events from this scap capture (live from the driver when absent)')
    .option('-p, --print <format>', 'output format, with %field tokens', DEFAULT_FORMAT)
    .option('-M <seconds>', 'live: stop after this many seconds')
    .argument('[filter...]', 'a condition in the rules language (every event when absent)')
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  try {
    cmd.parse([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) throw usageErrors.bad(e.message.replace(/^error: /, ''));
    throw e;
  }
  const o = cmd.opts<{ read?: string; print: string; M?: string }>();
  const filter = (cmd.args as string[]).join(' ').trim();
  return { read: o.read, print: o.print, filter, seconds: o.M === undefined ? undefined : Number(o.M) };
}

export async function runInspect(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const opts = parse(argv);
  const tree = {
    engine: { kind: opts.read ? 'replay' : 'modern_ebpf', replay: { capture_file: opts.read ?? '' } },
    base_syscalls: { all: true },
    rule_matching: 'first',
    log_level: 'warning',
  };
  const config = interpretConfig(tree);
  const logger = new Logger({ level: config.logLevel, stderr: true, iso8601: false, write: io.stderr });
  const syscall = createSyscallSource(io.env['FALCO_HOSTNAME'] || undefined);
  const engine = createEngine(config, [syscall.source]);
  // `evt.num > 0` holds for every event: the condition of an unfiltered inspect.
  const rule = { rule: INSPECT_RULE, desc: 'falco inspect', condition: opts.filter || 'evt.num > 0', output: opts.print, priority: 'DEBUG', warn_evttypes: false };
  const result = engine.loadRules(stringify([rule]), 'inspect');
  if (!result.successful) {
    io.stderr(`Error: ${result.errors.map((e) => e.message).join('; ')}\n`);
    return 1;
  }
  let printed = 0;
  const sink: Pick<AlertSink, 'rule'> = {
    rule(a) {
      printed++;
      io.stdout(`${a.output}\n`);
    },
  };
  const drops = new DropMonitor({ ...config.drops, actions: ['ignore'] }, { log: () => undefined, critical: () => undefined, alert: () => undefined }, false);
  const stop = new StopSignal();
  const common = { rules: { engine }, syscall, alerts: sink, hostname: '', matching: 'first' as const, drops, stopped: () => stop.stopped };
  const onInt = (): void => stop.stop('SIGINT');
  process.on('SIGINT', onInt);
  try {
    if (opts.read) {
      await replayCapture({ ...common, file: opts.read });
    } else {
      const ctx = { config, logger, cli: { durationSeconds: opts.seconds }, io } as unknown as AppContext;
      const timer = opts.seconds === undefined ? undefined : setTimeout(() => stop.stop('duration'), opts.seconds * 1000);
      try {
        await runLive(ctx, { ...common, stop, onAttached: () => undefined, onEvent: () => undefined });
      } finally {
        if (timer) clearTimeout(timer);
      }
    }
  } finally {
    process.off('SIGINT', onInt);
  }
  logger.info(`${printed} events printed`);
  return 0;
}
