/**
 * The `yaml` package, loaded on first use: a run with an empty or absent configuration and no `-o`
 * values (`-c /dev/null`, the quick start, many tests) never parses YAML here, and the module costs
 * tens of milliseconds of start-up.
 */
import type * as Yaml from 'yaml';

let loaded: typeof Yaml | undefined;

export function yaml(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('yaml') as typeof Yaml;
  return loaded;
}
