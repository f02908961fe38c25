/**
 * The record format of a `falco` cases file (`falco/cases.jsonl`), as described in the conformance
 * data README, and how to find those records in the files and directories a user names.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface ValidationMatcher {
  code?: string;
  item_type?: string;
  item_name?: string;
  message?: string;
}

export interface JsonCheck {
  path: string;
  equals?: unknown;
  equals_path?: string;
  len?: number;
  empty?: boolean;
  contains?: string;
  exists?: boolean;
}

export interface FalcoExpect {
  exit_code?: number | null;
  error?: boolean | null;
  detections?: {
    count?: number | null;
    nonzero?: boolean | null;
    by_rule?: Record<string, number>;
    by_priority?: Record<string, number>;
    nonzero_priorities?: string[];
    nonzero_rules?: string[];
  } | null;
  validation?: {
    errors?: ValidationMatcher[];
    warnings?: ValidationMatcher[];
    errors_count?: number | null;
    warnings_count?: number | null;
    results?: { index: number; successful: boolean }[];
  } | null;
  stdout_contains?: string[];
  stderr_contains?: string[];
  stdout_regex?: string[];
  stderr_regex?: string[];
  stdout_not_regex?: string[];
  stderr_not_regex?: string[];
  stdout_json_lines?: unknown[];
  stdout_json_checks?: JsonCheck[];
  file_output?: { path: string; equals: string } | null;
}

export interface FalcoCase {
  id: string;
  suite: string;
  group: string;
  argv: string[];
  env?: Record<string, string>;
  k8saudit_events?: string | null;
  expect: FalcoExpect;
}

/** A case together with the directory its paths resolve against. */
export interface LocatedCase {
  record: FalcoCase;
  baseDir: string;
}

function jsonlFilesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  const found: string[] = [];
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) found.push(...jsonlFilesUnder(child));
    else if (entry.name.endsWith('.jsonl')) found.push(child);
  }
  return found;
}

/**
 * Reads every `falco` record from the named files (or `*.jsonl` files below the named directories)
 * and keeps those `select` accepts. A line that is not a falco record is skipped, so a directory
 * holding other suites' files can be named too.
 */
export function readFalcoCases(inputs: readonly string[], select: (c: FalcoCase) => boolean): LocatedCase[] {
  const cases: LocatedCase[] = [];
  for (const input of inputs) {
    for (const file of jsonlFilesUnder(input)) {
      const baseDir = dirname(file);
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        let record: unknown;
        try {
          record = JSON.parse(line);
        } catch {
          throw new Error(`${file}: a line is not valid JSON: ${line.slice(0, 80)}`);
        }
        const c = record as FalcoCase;
        if (c.suite !== 'falco' || !Array.isArray(c.argv) || typeof c.id !== 'string') continue;
        if (select(c)) cases.push({ record: c, baseDir });
      }
    }
  }
  return cases;
}
