/**
 * `-o key=value` overrides, as Falco applies them: `key` is a dotted path whose segments may carry
 * an index (`load_plugins[0]`) or the append marker (`rules[]`, which adds a new list item), and
 * `value` is parsed as a YAML scalar (`true`, `5`, `.1`, `/tmp/x`).
 */
import { yaml } from './yaml';
import { configErrors } from '../errors';

export type YamlMap = Record<string, unknown>;

type PathStep = { key: string } | { index: number } | { append: true };

export function parseOverridePath(path: string, text: string): PathStep[] {
  const steps: PathStep[] = [];
  for (const segment of path.split('.')) {
    const m = /^([^[\]]+)((?:\[\d*\])*)$/.exec(segment);
    if (!m) throw configErrors.badOverride(text, `"${segment}" is not a valid key`);
    steps.push({ key: m[1] as string });
    for (const idx of (m[2] ?? '').matchAll(/\[(\d*)\]/g)) {
      steps.push(idx[1] === '' ? { append: true } : { index: Number(idx[1]) });
    }
  }
  return steps;
}

/**
 * Most `-o` values are YAML's booleans or plain words and paths (`false`, `replay`, `/tmp/x.scap`):
 * letters, digits and `_ . / -`, starting with a letter, `/`, `./` or `../`. Those are read here as YAML 1.2's
 * core schema reads them, which keeps the yaml module out of start-up; anything else goes to yaml.
 */
const PLAIN_WORD = /^(?:[A-Za-z/]|\.\.?\/)[A-Za-z0-9_./-]*$/;
const CORE_KEYWORDS: ReadonlyMap<string, boolean | null> = new Map([
  ...['true', 'True', 'TRUE'].map((k) => [k, true] as const),
  ...['false', 'False', 'FALSE'].map((k) => [k, false] as const),
  ...['null', 'Null', 'NULL'].map((k) => [k, null] as const),
]);

/** Parses the value as YAML, as Falco does; a value YAML cannot read is taken as a plain string. */
export function parseOverrideValue(value: string): unknown {
  if (value === '') return '';
  if (PLAIN_WORD.test(value)) return CORE_KEYWORDS.has(value) ? CORE_KEYWORDS.get(value) : value;
  try {
    return yaml().parse(value) as unknown;
  } catch {
    return value;
  }
}

function isMap(v: unknown): v is YamlMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Applies one `key=value` override to `config` in place. */
export function applyOverride(config: YamlMap, text: string): void {
  const eq = text.indexOf('=');
  if (eq <= 0) throw configErrors.overrideWithoutValue(text);
  const steps = parseOverridePath(text.slice(0, eq), text);
  const value = parseOverrideValue(text.slice(eq + 1));
  let container: YamlMap | unknown[] = config;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as PathStep;
    const last = i === steps.length - 1;
    const nextIsList = !last && !('key' in (steps[i + 1] as PathStep));
    const fresh = (): unknown => (last ? value : nextIsList ? [] : {});
    if ('key' in step) {
      if (!isMap(container)) throw configErrors.badOverride(text, `"${step.key}" is not inside a mapping`);
      const cur = container[step.key];
      const fits = nextIsList ? Array.isArray(cur) : isMap(cur);
      if (last || !fits) container[step.key] = fresh();
      container = container[step.key] as YamlMap | unknown[];
    } else {
      if (!Array.isArray(container)) throw configErrors.badOverride(text, 'an index applies to a list only');
      const index = 'append' in step ? container.length : step.index;
      if (index > container.length) throw configErrors.badOverride(text, `index ${index} is past the end of the list`);
      const cur = container[index];
      const fits = nextIsList ? Array.isArray(cur) : isMap(cur);
      if (last || !fits) container[index] = fresh();
      container = container[index] as YamlMap | unknown[];
    }
  }
}
