/**
 * The actions that need rules: `-V` validation, `-L`/`-l` listing, `--support`, `--dry-run` and
 * the detector run itself.
 */
import type { AppContext } from '../app';
import { readRulesFiles, rulesPaths } from '../rules-files';

export async function runRulesActions(ctx: AppContext): Promise<number> {
  const paths = ctx.cli.validate.length > 0 ? ctx.cli.validate : rulesPaths(ctx.cli.rulesFiles, ctx.config.rulesFiles);
  const files = readRulesFiles(paths);
  ctx.logger.info(`Loading rules from:`);
  for (const f of files) ctx.logger.info(`   ${f.path}`);
  throw new Error('the rules engine is not wired in yet');
}
