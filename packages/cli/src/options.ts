/**
 * The `falco` command line, with Falco's flags and meanings. Parsing only: what the flags do is in
 * `app.ts`. Repeatable flags (`-r`, `-o`, `-V`, `--enable-source`, ...) collect in order.
 */
import { Command, CommanderError } from 'commander';
import { usageErrors } from './errors';

export interface CliOptions {
  configFile?: string;
  overrides: string[];
  rulesFiles: string[];
  validate: string[];
  enableSources: string[];
  disableSources: string[];
  help: boolean;
  version: boolean;
  support: boolean;
  dryRun: boolean;
  listRules: boolean;
  describeRule?: string;
  /** `--list [source]`: true lists every source's fields. */
  listFields?: string | true;
  listFormat: 'text' | 'markdown' | 'json';
  listEvents: boolean;
  listPlugins: boolean;
  pluginInfo?: string;
  markdown: boolean;
  noNames: boolean;
  durationSeconds?: number;
  printFormat?: string;
  pidfile?: string;
  unbuffered: boolean;
  verbose: boolean;
  printIgnored: boolean;
  configSchema: boolean;
  ruleSchema: boolean;
  pageSize: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function buildProgram(): Command {
  const program = new Command('falco')
    .usage('[OPTION...]')
    .description('Falco-compatible runtime security detector: watches system calls and other event sources and alerts on rule matches.')
    .helpOption('-h, --help', 'Print this help list and exit.')
    .option('-c <path>', 'Configuration file. If not specified tries /etc/falco/falco.yaml.')
    .option('--config-schema', 'Print the config json schema and exit.')
    .option('--rule-schema', 'Print the rule json schema and exit.')
    .option('--disable-source <event_source>', 'Turn off a specific <event_source>. Can be passed multiple times.', collect, [])
    .option('--dry-run', 'Run Falco without processing events. Can be useful for checking that the configuration and rules do not have any errors.')
    .option('--enable-source <event_source>', 'Enable a specific <event_source>; all other sources are disabled. Can be passed multiple times.', collect, [])
    .option('-i', 'Print those events that are ignored by default for performance reasons and exit.')
    .option('-L', 'Show the name and description of all rules and exit. With json_output=true, print the full details as JSON.')
    .option('-l <rule>', 'Show the name and description of the rule specified <rule> and exit.')
    .option('--list [source]', 'List all defined fields and exit. If <source> is provided, only list those fields for the source <source>.')
    .option('--format <text|markdown|json>', 'Format of --list output.', 'text')
    .option('--list-events', 'List all defined syscall events, metaevents and tracepoint events and exit.')
    .option('--list-plugins', 'Print info on all loaded plugins and exit.')
    .option('-M <num_seconds>', 'Stop Falco execution after <num_seconds> are passed.')
    .option('--markdown', 'Print output in Markdown format when used in conjunction with --list or --list-events.')
    .option('-N', 'Only print field names when used in conjunction with the --list option.')
    .option('-o, --option <opt>', 'Set the value of option <opt> to <val>. Overrides values in the configuration file. <opt> can be identified using its location in the configuration file using dot notation (key.sub[0].leaf=val). Can be passed multiple times.', collect, [])
    .option('--plugin-info <plugin_name>', 'Print info for the plugin specified by <plugin_name> and exit.')
    .option('-p, --print <output_format>', 'Print additional information in the rule\'s output (container, k8s, or a format string).')
    .option('-P, --pidfile <pid_file>', 'Write PID to specified <pid_file> path.')
    .option('-r <rules_file>', 'Rules file or directory to be loaded. Can be passed multiple times; overrides rules_files in the configuration.', collect, [])
    .option('--support', 'Print support information, including version, rules files used, loaded configuration, etc., and exit.')
    .option('-U, --unbuffered', 'Turn off output buffering for configured outputs.')
    .option('-V, --validate <rules_file>', 'Read the contents of the specified <rules_file> file(s), validate the loaded rules, and exit. Can be passed multiple times.', collect, [])
    .option('-v', 'Enable verbose output.')
    .option('--version', 'Print version information and exit.')
    .option('--page-size', 'Print the system page size and exit.')
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  return program;
}

const FORMATS = ['text', 'markdown', 'json'] as const;

export function parseCommandLine(argv: readonly string[]): CliOptions {
  const program = buildProgram();
  let help = false;
  try {
    program.parse([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError && e.code === 'commander.helpDisplayed') help = true;
    else if (e instanceof CommanderError) throw usageErrors.bad(e.message.replace(/^error: /, ''));
    else throw e;
  }
  const o = program.opts<Record<string, unknown>>();
  const format = String(o['format'] ?? 'text');
  if (!(FORMATS as readonly string[]).includes(format)) throw usageErrors.bad(`--format must be one of ${FORMATS.join(', ')}`);
  let duration: number | undefined;
  if (o['M'] !== undefined) {
    duration = Number(o['M']);
    if (!Number.isFinite(duration) || duration < 0) throw usageErrors.bad(`-M expects a number of seconds, got "${String(o['M'])}"`);
  }
  const list = o['list'] as string | boolean | undefined;
  return {
    configFile: o['c'] as string | undefined,
    overrides: o['option'] as string[],
    rulesFiles: o['r'] as string[],
    validate: o['validate'] as string[],
    enableSources: o['enableSource'] as string[],
    disableSources: o['disableSource'] as string[],
    help,
    version: o['version'] === true,
    support: o['support'] === true,
    dryRun: o['dryRun'] === true,
    listRules: o['L'] === true,
    describeRule: o['l'] as string | undefined,
    listFields: list === undefined || list === false ? undefined : list,
    listFormat: (o['markdown'] === true ? 'markdown' : format) as CliOptions['listFormat'],
    listEvents: o['listEvents'] === true,
    listPlugins: o['listPlugins'] === true,
    pluginInfo: o['pluginInfo'] as string | undefined,
    markdown: o['markdown'] === true,
    noNames: o['N'] === true,
    durationSeconds: duration,
    printFormat: o['print'] as string | undefined,
    pidfile: o['pidfile'] as string | undefined,
    unbuffered: o['unbuffered'] === true,
    verbose: o['v'] === true,
    printIgnored: o['i'] === true,
    configSchema: o['configSchema'] === true,
    ruleSchema: o['ruleSchema'] === true,
    pageSize: o['pageSize'] === true,
  };
}

export function helpText(): string {
  return buildProgram().helpInformation();
}
