/**
 * Which rules files a run loads: `-r` paths when given (they replace `rules_files`), else the
 * configuration's `rules_files`. A directory stands for the regular files in it, in alphabetical
 * order, as in Falco.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runErrors, usageErrors } from './errors';

export interface RulesFile {
  path: string;
  content: string;
}

export function rulesPaths(cliRules: readonly string[], configRules: readonly string[]): string[] {
  const paths = cliRules.length > 0 ? cliRules : configRules;
  if (paths.length === 0) throw usageErrors.noRules();
  return [...paths];
}

/** Expands directories and reads every file; an unreadable path is an error naming it. */
export function readRulesFiles(paths: readonly string[]): RulesFile[] {
  const out: RulesFile[] = [];
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw runErrors.input(`Could not read rules file or directory ${p}: no such file or directory`);
    }
    const files = isDir
      ? readdirSync(p, { withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => join(p, e.name))
          .sort()
      : [p];
    for (const f of files) {
      try {
        out.push({ path: f, content: readFileSync(f, 'utf8') });
      } catch (e) {
        throw runErrors.input(`Could not read rules file ${f}: ${(e as Error).message}`);
      }
    }
  }
  return out;
}
