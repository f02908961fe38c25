/**
 * Reads Falco's configuration: the main file (`-c`, default `/etc/falco/falco.yaml`), the files and
 * directories its `config_files` key names (merged in order), `${VAR}` environment references in
 * string values, then the `-o` overrides. Unknown keys are kept and ignored, as Falco does.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { configErrors } from '../errors';
import { applyOverride, type YamlMap } from './override';
import { yaml } from './yaml';

export const DEFAULT_CONFIG_FILE = '/etc/falco/falco.yaml';

export interface LoadedConfig {
  /** The merged configuration tree. */
  tree: YamlMap;
  /** Every file that contributed, in order (main file first). */
  files: string[];
  /** Notes for the log (skipped includes), emitted once the logger is configured. */
  notes: string[];
}

type MergeStrategy = 'append' | 'override' | 'add-only';

function isMap(v: unknown): v is YamlMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `${VAR}` becomes the variable's value (empty when unset); `$${VAR}` is the literal `${VAR}`. */
export function expandEnv(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(/\$?\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) =>
    whole.startsWith('$$') ? whole.slice(1) : (env[name] ?? ''),
  );
}

function expandTree(value: unknown, env: NodeJS.ProcessEnv): unknown {
  if (typeof value === 'string') return expandEnv(value, env);
  if (Array.isArray(value)) return value.map((v) => expandTree(v, env));
  if (isMap(value)) {
    const out: YamlMap = {};
    for (const [k, v] of Object.entries(value)) out[k] = expandTree(v, env);
    return out;
  }
  return value;
}

export function readConfigFile(file: string, env: NodeJS.ProcessEnv): YamlMap {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw configErrors.unreadable(file, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message);
  }
  if (text.trim() === '') return {};
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter });
  const first = doc.errors[0];
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    throw configErrors.badYaml(file, first.message.split('\n')[0] ?? first.message, pos.line, pos.col);
  }
  const tree: unknown = doc.toJS();
  if (tree === null || tree === undefined) return {};
  if (!isMap(tree)) throw configErrors.notAMapping(file);
  return expandTree(tree, env) as YamlMap;
}

function merge(into: YamlMap, from: YamlMap, strategy: MergeStrategy): void {
  for (const [k, v] of Object.entries(from)) {
    if (k === 'config_files') continue;
    const cur = into[k];
    if (strategy === 'add-only') {
      if (!(k in into)) into[k] = v;
    } else if (strategy === 'append' && Array.isArray(cur) && Array.isArray(v)) {
      into[k] = [...cur, ...v];
    } else {
      into[k] = v;
    }
  }
}

function includeEntries(tree: YamlMap, file: string): { path: string; strategy: MergeStrategy }[] {
  const raw = tree['config_files'];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw configErrors.invalidValue('config_files', `config_files in ${file} must be a list`, file);
  return raw.map((entry) => {
    if (typeof entry === 'string') return { path: entry, strategy: 'append' as const };
    if (isMap(entry) && typeof entry['path'] === 'string') {
      const s = entry['strategy'] ?? 'append';
      if (s !== 'append' && s !== 'override' && s !== 'add-only') {
        throw configErrors.invalidValue('config_files', `Unknown strategy "${String(s)}" for config file ${entry['path']}`, file);
      }
      return { path: entry['path'], strategy: s };
    }
    throw configErrors.invalidValue('config_files', `config_files entries in ${file} must be paths or {path, strategy}`, file);
  });
}

export function loadConfig(configFile: string, overrides: readonly string[], env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const main = resolve(configFile);
  const tree = readConfigFile(main, env);
  const files = [main];
  const notes: string[] = [];
  for (const { path, strategy } of includeEntries(tree, main)) {
    const target = isAbsolute(path) ? path : resolve(path);
    if (!existsSync(target)) {
      notes.push(`Config file or directory ${target} does not exist, skipping it`);
      continue;
    }
    const members = statSync(target).isDirectory()
      ? readdirSync(target)
          .filter((n) => n.endsWith('.yaml') || n.endsWith('.yml'))
          .sort()
          .map((n) => join(target, n))
      : [target];
    for (const member of members) {
      if (member === main) continue;
      merge(tree, readConfigFile(member, env), strategy);
      files.push(member);
    }
  }
  for (const o of overrides) applyOverride(tree, expandEnv(o, env));
  return { tree, files, notes };
}
