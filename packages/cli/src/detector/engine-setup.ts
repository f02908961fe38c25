/**
 * Builds the rules engine the way the configuration asks: event sources, minimum priority,
 * `append_output` extras, then the rules files (each on top of the previous ones, as Falco loads
 * them) and the `rules:` enable/disable selections in order.
 */
import { Engine, type EventSource, type LoadResult } from '@falco-ts/engine';
import type { FalcoConfig, RuleSelection } from '../config/falco-config';
import type { YamlMap } from '../config/override';
import { runErrors } from '../errors';
import type { Logger } from '../logger';
import type { RulesFile } from '../rules-files';

/**
 * `extraOutput` is the `-p` format: after the `append_output` entries, it is appended to the
 * output of every rule of every source, as Falco 0.44 does (see `printOptionFormat`).
 */
export function createEngine(config: FalcoConfig, sources: readonly EventSource<unknown>[], extraOutput?: string): Engine {
  const engine = new Engine(sources);
  engine.setLoadLimits(config.ruleLoading.limits);
  engine.setMinPriority(config.minPriority);
  for (const entry of config.appendOutput) applyAppendOutput(engine, entry);
  if (extraOutput !== undefined) engine.addExtraOutput(extraOutput);
  return engine;
}

/**
 * What `-p <value>` appends, as Falco 0.44 reads it: `c`/`container` and `k`/`kubernetes` (also
 * spelled `-pc`, `-pk`) append nothing, since the container plugin suggests those fields itself;
 * any other value is an output format appended to every rule. Undefined when nothing is appended.
 */
export function printOptionFormat(print: string | undefined): string | undefined {
  if (print === undefined || print === '') return undefined;
  return ['c', 'container', 'k', 'kubernetes'].includes(print) ? undefined : print;
}

export const PRINT_OPTION_DEPRECATED = 'The -p/--print option is deprecated and will be removed. Use -o append_output=... instead.';

function strings(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

/**
 * One `append_output` entry: `match` (source, tags, rule) selects rules; `extra_output` is
 * appended to their output and `extra_fields` (names, or `{name: format}` maps) become extra
 * `output_fields` entries. `suggested_output` entries only toggle Falco's suggestions.
 */
function applyAppendOutput(engine: Engine, entry: YamlMap): void {
  const match = (entry['match'] ?? {}) as YamlMap;
  const source = match['source'] === undefined ? '' : String(match['source']);
  const tags = strings(match['tags']);
  const rule = match['rule'] === undefined ? '' : String(match['rule']);
  if (typeof entry['extra_output'] === 'string' && entry['extra_output'] !== '') {
    engine.addExtraOutput(entry['extra_output'], source, tags, rule);
  }
  const fields = entry['extra_fields'];
  if (Array.isArray(fields)) {
    for (const f of fields) {
      if (typeof f === 'string') engine.addExtraOutputField(f, `%${f}`, source, tags, rule);
      else if (f !== null && typeof f === 'object') {
        for (const [name, format] of Object.entries(f as YamlMap)) engine.addExtraOutputField(name, String(format), source, tags, rule);
      }
    }
  }
}

/** Applies the `rules:` selections in order; rule names may use `*` wildcards. */
export function applySelections(engine: Engine, selections: readonly RuleSelection[]): void {
  for (const s of selections) {
    const enabled = s.action === 'enable';
    if (s.by === 'tag') engine.enableRuleByTag([s.value], enabled);
    else engine.enableRuleWildcard(s.value, enabled);
  }
}

/**
 * Loads every file into `engine`. Each result is reported as Falco does (warnings logged with
 * their detail); the first failing file stops the load with an error carrying the detail.
 */
export function loadRulesForRun(engine: Engine, files: readonly RulesFile[], logger: Logger, verbose: boolean): LoadResult[] {
  const results: LoadResult[] = [];
  for (const f of files) {
    const result = engine.loadRules(f.content, f.path);
    results.push(result);
    if (!result.successful) throw runErrors.rulesLoad(result.verbose().trimEnd());
    if (result.hasWarnings) logger.warning(verbose ? result.verbose() : result.verbose());
  }
  return results;
}

/**
 * loadRulesForRun for a reload while detection runs: each file is loaded in slices that give the
 * event loop back (events, /healthz and signals are served between them), and the whole load is
 * abandoned past `deadline` or once `abandon` says so (the caller keeps its previous rules).
 */
export async function loadRulesForReload(
  engine: Engine,
  files: readonly RulesFile[],
  logger: Logger,
  options: { deadline: number; abandon: () => boolean },
): Promise<LoadResult[]> {
  const results: LoadResult[] = [];
  for (const f of files) {
    const result = await engine.loadRulesSliced(f.content, f.path, options);
    results.push(result);
    if (!result.successful) throw runErrors.rulesLoad(result.verbose().trimEnd());
    if (result.hasWarnings) logger.warning(result.verbose());
  }
  return results;
}
