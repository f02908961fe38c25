/**
 * The actions that need rules: `-V` validation, `-L`/`-l` listing, `--support`, `--dry-run` and
 * the detector run itself.
 */
import { createHash } from 'node:crypto';
import { release, hostname, machine, version as osVersion } from 'node:os';
import type { Engine, LoadResult } from '@falco-ts/engine';
import type { AppContext } from '../context';
import { PRINT_OPTION_DEPRECATED, applySelections, createEngine, loadRulesForRun, printOptionFormat } from '../detector/engine-setup';
import { writePidfile } from '../detector/pidfile';
import { runDetector } from '../detector/run';
import { describedPlugins } from '../detector/plugin-fields';
import { buildSources, enabledSources } from '../detector/sources';
import { loadedPlugins } from './plugins';
import { usageErrors } from '../errors';
import { readRulesFiles, rulesPaths, type RulesFile } from '../rules-files';
import { versionInfo } from '../version';

export async function runRulesActions(ctx: AppContext): Promise<number> {
  if (ctx.cli.validate.length > 0) return validate(ctx);
  const files = readRulesFiles(rulesPaths(ctx.cli.rulesFiles, ctx.config.rulesFiles));
  ctx.logger.info('Loading rules from:');
  for (const f of files) ctx.logger.info(`   ${f.path}`);
  const runSources = buildSources(ctx);
  if (ctx.cli.printFormat !== undefined) ctx.logger.warning(PRINT_OPTION_DEPRECATED);
  const engine = createEngine(ctx.config, runSources.all, printOptionFormat(ctx.cli.printFormat));
  loadRulesForRun(engine, files, ctx.logger, ctx.cli.verbose);
  applySelections(engine, ctx.config.ruleSelections);

  if (ctx.cli.listRules || ctx.cli.describeRule !== undefined) return listRules(ctx, engine);
  if (ctx.cli.support) return support(ctx, files);
  const sources = enabledSources(ctx);
  for (const s of sources) {
    ctx.logger.info(`Enabled event source '${s}' with ${engine.enabledRuleCount(undefined, s)} rules`);
  }
  if (ctx.cli.dryRun) {
    ctx.logger.info('Skipping event processing in dry-run');
    return 0;
  }
  if (ctx.cli.pidfile !== undefined) writePidfile(ctx.cli.pidfile, ctx.logger);
  return runDetector(ctx, engine, runSources, sources, files);
}

/** `-V`: every file is loaded on top of the previous ones; the results are printed, not logged. */
function validate(ctx: AppContext): number {
  const files = readRulesFiles(ctx.cli.validate);
  const engine = createEngine(ctx.config, buildSources(ctx).all);
  const results: LoadResult[] = [];
  for (const f of files) results.push(engine.loadRules(f.content, f.path));
  const ok = results.every((r) => r.successful);
  if (ctx.config.jsonOutput) {
    ctx.io.stdout(`${JSON.stringify({ falco_load_results: results.map((r) => r.toJSON()) })}\n`);
  } else {
    ctx.io.stdout(`Validating rules file(s):\n${files.map((f) => `   ${f.path}\n`).join('')}`);
    for (const r of results) ctx.io.stdout(`${ctx.cli.verbose || !r.successful || r.hasWarnings ? r.verbose() : r.summary()}\n`);
  }
  return ok ? 0 : 1;
}

function listRules(ctx: AppContext, engine: Engine): number {
  const description = engine.describe(describedPlugins(loadedPlugins(ctx)));
  const wanted = ctx.cli.describeRule;
  const rules = wanted === undefined ? description.rules : description.rules.filter((r) => r.info.name === wanted);
  if (wanted !== undefined && rules.length === 0) throw usageErrors.bad(`Rule "${wanted}" is not loaded`);
  if (ctx.config.jsonOutput) {
    ctx.io.stdout(`${JSON.stringify(wanted === undefined ? description : { ...description, rules })}\n`);
    return 0;
  }
  const width = Math.max(4, ...rules.map((r) => r.info.name.length)) + 2;
  const lines = [`${'Rule'.padEnd(width)}Description`, `${'----'.padEnd(width)}-----------`];
  for (const r of rules) lines.push(`${r.info.name.padEnd(width)}${r.info.description.replace(/\s+/g, ' ').trim()}`);
  ctx.io.stdout(`${lines.join('\n')}\n`);
  return 0;
}

/** `--support`: versions, system, command line, configuration and rules files, as one JSON. */
function support(ctx: AppContext, files: readonly RulesFile[]): number {
  const doc = {
    version: versionInfo().falco_version,
    engine_info: { engine_version: versionInfo().engine_version_semver },
    system_info: { sysname: 'Linux', nodename: hostname(), release: release(), version: osVersion(), machine: machine() },
    cmdline: ['falco', ...ctx.argv].join(' '),
    config: ctx.loaded.tree,
    config_files: ctx.loaded.files,
    rules_files: files.map((f) => ({ name: f.path, content: f.content, sha256: createHash('sha256').update(f.content).digest('hex') })),
  };
  ctx.io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
  return 0;
}
