/**
 * The `falco` command's flow, in Falco's order: parse the command line, load the configuration,
 * then run the first "print and exit" action that applies (help, version, plugins, fields, rules
 * listing, validation, support) or the detector itself. Every user error ends as a message on
 * stderr and exit code 1, never as a crash.
 */
import { existsSync } from 'node:fs';
import type * as ListActions from './actions/list';
import { pageSizeText } from './actions/page-size';
import { printPlugins } from './actions/plugins';
import type * as InspectAction from './actions/inspect';
import type * as SchemaActions from './actions/schemas';
import type * as IgnoredEventsAction from './actions/ignored-events';
import { printVersion } from './actions/version';
import { interpretConfig } from './config/falco-config';
import { SHIPPED_RULES_FILE, shippedDefaults } from './config/defaults';
import { DEFAULT_CONFIG_FILE, expandEnv, loadConfig, type LoadedConfig } from './config/load';
import { applyOverride } from './config/override';
import { FalcoCliError } from './errors';
import { processIo, type CliIo } from './io';
import { Logger } from './logger';
import { helpText, parseCommandLine, type CliOptions } from './options';
import type * as RulesActions from './actions/rules-actions';
import { versionInfo } from './version';
import type { AppContext } from './context';

/*
 * The heavier actions are loaded when chosen, not at import: the field/event listings pull in the
 * engine's and driver's tables, `inspect` and the rules actions the whole detector. `--version`,
 * `--help` and `--page-size` then start without them.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const ignoredEventsAction = (): typeof IgnoredEventsAction => require('./actions/ignored-events') as typeof IgnoredEventsAction;
const schemaActions = (): typeof SchemaActions => require('./actions/schemas') as typeof SchemaActions;
const listActions = (): typeof ListActions => require('./actions/list') as typeof ListActions;
const inspectAction = (): typeof InspectAction => require('./actions/inspect') as typeof InspectAction;
const rulesActions = (): typeof RulesActions => require('./actions/rules-actions') as typeof RulesActions;
/* eslint-enable @typescript-eslint/no-require-imports */

export const EXIT_SUCCESS = 0;
export const EXIT_FAILURE = 1;


function loadContextConfig(cli: CliOptions, io: CliIo): LoadedConfig {
  const file = cli.configFile ?? DEFAULT_CONFIG_FILE;
  if (cli.configFile === undefined && !existsSync(file)) {
    // No configuration installed: run on the shipped defaults (the package's rules, container
    // metadata on) plus the -o overrides.
    const loaded = loadConfig('/dev/null', [], io.env);
    Object.assign(loaded.tree, shippedDefaults());
    for (const o of cli.overrides) applyOverride(loaded.tree, expandEnv(o, io.env));
    loaded.files = [];
    loaded.notes.push(`No configuration file at ${DEFAULT_CONFIG_FILE}; using the shipped defaults (rules ${SHIPPED_RULES_FILE}, container plugin loaded)`);
    return loaded;
  }
  return loadConfig(file, cli.overrides, io.env);
}

export async function runFalco(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    if (argv[0] === 'inspect') return await inspectAction().runInspect(argv.slice(1), io);
    const cli = parseCommandLine(argv);
    if (cli.help) {
      io.stdout(helpText());
      return EXIT_SUCCESS;
    }
    // Like Falco, the schemas print before (and without) the configuration.
    if (cli.configSchema) return schemaActions().printConfigSchema(io);
    if (cli.ruleSchema) return schemaActions().printRuleSchema(io);
    const loaded = loadContextConfig(cli, io);
    // -U overrides the configuration, as in Falco: the value shows in --support too.
    if (cli.unbuffered) loaded.tree['buffered_outputs'] = false;
    const config = interpretConfig(loaded.tree, cli.configFile ?? DEFAULT_CONFIG_FILE);
    const logger = new Logger({ level: config.logLevel, stderr: config.logStderr, iso8601: config.timeFormatIso8601, write: io.stderr });
    const ctx: AppContext = { cli, loaded, config, logger, io, argv };

    if (cli.version) return printVersion(ctx);
    if (cli.pageSize) {
      io.stdout(pageSizeText());
      return EXIT_SUCCESS;
    }
    const v = versionInfo();
    logger.info(`Falco version: ${v.falco_version} (${process.arch})`);
    logger.info(`Falco initialized with configuration files:`);
    for (const f of loaded.files) logger.info(`   ${f}`);
    for (const note of loaded.notes) logger.debug(note);

    if (cli.printIgnored) return ignoredEventsAction().printIgnoredEvents(ctx);
    if (cli.listPlugins || cli.pluginInfo !== undefined) return printPlugins(ctx);
    if (cli.listFields !== undefined) return listActions().printFields(ctx);
    if (cli.listEvents) return listActions().printEvents(ctx);
    return await rulesActions().runRulesActions(ctx);
  } catch (e) {
    if (e instanceof FalcoCliError) {
      io.stderr(`Error: ${e.message}\n`);
      return EXIT_FAILURE;
    }
    io.stderr(`Error: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FAILURE;
  }
}
