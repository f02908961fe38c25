/**
 * Compares one run of the `falco` command with what its case asserts. Only asserted expectations
 * are checked (null / empty means "not asserted"). Returns one line per difference.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { RE2JS } from 're2js';
import type { FalcoExpect, JsonCheck, ValidationMatcher } from './case';
import { expandPlaceholders, type RunOutcome } from './execute';
import { lookupPath } from './json-path';

interface Alert {
  rule?: unknown;
  priority?: unknown;
}

const clip = (s: string, n = 120): string => (s.length > n ? `${s.slice(0, n)}…` : s);

/** Every stdout line that parses as a JSON object is one alert. */
function alertsOf(stdout: string): Alert[] {
  const alerts: Alert[] = [];
  for (const line of stdout.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    try {
      const v: unknown = JSON.parse(t);
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) alerts.push(v as Alert);
    } catch {
      // not an alert line
    }
  }
  return alerts;
}

function regexFinds(pattern: string, text: string): boolean {
  return RE2JS.compile(pattern).matcher(text).find();
}

function checkStreams(expect: FalcoExpect, run: RunOutcome, diffs: string[]): void {
  const streams = { stdout: run.stdout, stderr: run.stderr } as const;
  for (const name of ['stdout', 'stderr'] as const) {
    const text = streams[name];
    for (const s of expect[`${name}_contains`] ?? []) {
      if (!text.includes(s)) diffs.push(`${name} does not contain ${JSON.stringify(clip(s))}`);
    }
    for (const r of expect[`${name}_regex`] ?? []) {
      if (!regexFinds(r, text)) diffs.push(`${name} does not match /${clip(r)}/`);
    }
    for (const r of expect[`${name}_not_regex`] ?? []) {
      if (regexFinds(r, text)) diffs.push(`${name} matches /${clip(r)}/ but must not`);
    }
  }
}

function checkDetections(expect: FalcoExpect, stdout: string, diffs: string[]): void {
  const d = expect.detections;
  if (!d) return;
  const alerts = alertsOf(stdout);
  if (d.count !== null && d.count !== undefined && alerts.length !== d.count) {
    diffs.push(`expected ${d.count} alerts, got ${alerts.length}`);
  }
  if (d.nonzero === true && alerts.length === 0) diffs.push('expected alerts, got none');
  if (d.nonzero === false && alerts.length !== 0) diffs.push(`expected no alerts, got ${alerts.length}`);
  const byRule = (name: string): number => alerts.filter((a) => a.rule === name).length;
  const byPriority = (key: string): number =>
    alerts.filter((a) => typeof a.priority === 'string' && a.priority.toLowerCase().includes(key.toLowerCase())).length;
  for (const [rule, n] of Object.entries(d.by_rule ?? {})) {
    const got = byRule(rule);
    if (got !== n) diffs.push(`rule ${JSON.stringify(rule)}: expected ${n} alerts, got ${got}`);
  }
  for (const [prio, n] of Object.entries(d.by_priority ?? {})) {
    const got = byPriority(prio);
    if (got !== n) diffs.push(`priority ${prio}: expected ${n} alerts, got ${got}`);
  }
  for (const prio of d.nonzero_priorities ?? []) {
    if (byPriority(prio) === 0) diffs.push(`expected alerts of priority ${prio}, got none`);
  }
  for (const rule of d.nonzero_rules ?? []) {
    if (byRule(rule) === 0) diffs.push(`expected alerts of rule ${JSON.stringify(rule)}, got none`);
  }
}

interface LoadIssue {
  code?: unknown;
  message?: unknown;
  context?: { locations?: { item_type?: unknown; item_name?: unknown }[] };
}
interface LoadResult {
  successful?: unknown;
  errors?: LoadIssue[];
  warnings?: LoadIssue[];
}

/** The `-V` output: one JSON document; tolerate log lines around it by trying each `{` line too. */
function parseLoadResults(stdout: string): LoadResult[] | undefined {
  const candidates = [stdout.trim(), ...stdout.split('\n').filter((l) => l.trim().startsWith('{'))];
  for (const text of candidates) {
    try {
      const doc = JSON.parse(text) as { falco_load_results?: LoadResult[] };
      if (doc && Array.isArray(doc.falco_load_results)) return doc.falco_load_results;
    } catch {
      // try the next candidate
    }
  }
  return undefined;
}

function issueMatches(issue: LoadIssue, m: ValidationMatcher): boolean {
  if (m.code !== undefined && String(issue.code).toLowerCase() !== m.code.toLowerCase()) return false;
  if (m.message !== undefined && issue.message !== m.message) return false;
  const locations = issue.context?.locations ?? [];
  if (m.item_type !== undefined) {
    const want = m.item_type.toLowerCase();
    if (!locations.some((l) => typeof l.item_type === 'string' && l.item_type.toLowerCase() === want)) return false;
  }
  if (m.item_name !== undefined && !locations.some((l) => l.item_name === m.item_name)) return false;
  return true;
}

function checkValidation(expect: FalcoExpect, stdout: string, diffs: string[]): void {
  const v = expect.validation;
  if (!v) return;
  const asserted =
    (v.errors?.length ?? 0) > 0 ||
    (v.warnings?.length ?? 0) > 0 ||
    (v.results?.length ?? 0) > 0 ||
    (v.errors_count !== null && v.errors_count !== undefined) ||
    (v.warnings_count !== null && v.warnings_count !== undefined);
  if (!asserted) return;
  const results = parseLoadResults(stdout);
  if (!results) {
    diffs.push(`stdout is not a {"falco_load_results": [...]} document: ${JSON.stringify(clip(stdout))}`);
    return;
  }
  const errors = results.flatMap((r) => r.errors ?? []);
  const warnings = results.flatMap((r) => r.warnings ?? []);
  for (const [kind, list, matchers] of [
    ['error', errors, v.errors ?? []],
    ['warning', warnings, v.warnings ?? []],
  ] as const) {
    for (const m of matchers) {
      if (!list.some((i) => issueMatches(i, m))) {
        const seen = list.map((i) => `${String(i.code)}: ${String(i.message)}`).join(' | ');
        diffs.push(`no ${kind} matches ${JSON.stringify(m)} (have: ${clip(seen, 300) || 'none'})`);
      }
    }
  }
  if (v.errors_count !== null && v.errors_count !== undefined && errors.length !== v.errors_count) {
    diffs.push(`expected ${v.errors_count} errors, got ${errors.length}`);
  }
  if (v.warnings_count !== null && v.warnings_count !== undefined && warnings.length !== v.warnings_count) {
    diffs.push(`expected ${v.warnings_count} warnings, got ${warnings.length}`);
  }
  for (const r of v.results ?? []) {
    const got = results[r.index]?.successful;
    if (got !== r.successful) diffs.push(`falco_load_results[${r.index}].successful: expected ${r.successful}, got ${String(got)}`);
  }
}

function isEmptyValue(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === false || v === 0) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

function checkJsonPath(doc: unknown, c: JsonCheck): string | undefined {
  const at = lookupPath(doc, c.path);
  if (c.exists !== undefined) {
    if (at.found !== c.exists) return `${c.path}: expected ${c.exists ? 'present' : 'absent'}`;
  }
  if (c.equals !== undefined && !(at.found && isDeepStrictEqual(at.value, c.equals))) {
    return `${c.path}: expected ${JSON.stringify(c.equals)}, got ${at.found ? JSON.stringify(at.value) : 'nothing'}`;
  }
  if (c.equals_path !== undefined) {
    const other = lookupPath(doc, c.equals_path);
    if (!at.found || !other.found || !isDeepStrictEqual(at.value, other.value)) return `${c.path}: differs from ${c.equals_path}`;
  }
  if (c.len !== undefined) {
    const len = Array.isArray(at.value) ? at.value.length : 0;
    if (len !== c.len) return `${c.path}: expected length ${c.len}, got ${len}`;
  }
  if (c.empty !== undefined && isEmptyValue(at.value) !== c.empty) {
    return `${c.path}: expected ${c.empty ? 'empty' : 'non-empty'}, got ${JSON.stringify(at.value)}`;
  }
  if (c.contains !== undefined && !(Array.isArray(at.value) && at.value.includes(c.contains))) {
    return `${c.path}: does not contain ${JSON.stringify(c.contains)}`;
  }
  return undefined;
}

function checkJson(expect: FalcoExpect, stdout: string, diffs: string[]): void {
  const lines = expect.stdout_json_lines ?? [];
  if (lines.length > 0) {
    const actual = stdout.split('\n');
    lines.forEach((want, i) => {
      let got: unknown;
      try {
        got = JSON.parse(actual[i] ?? '');
      } catch {
        diffs.push(`stdout line ${i + 1} is not JSON: ${JSON.stringify(clip(actual[i] ?? ''))}`);
        return;
      }
      if (!isDeepStrictEqual(got, want)) diffs.push(`stdout line ${i + 1}: expected ${clip(JSON.stringify(want))}, got ${clip(JSON.stringify(got))}`);
    });
  }
  const checks = expect.stdout_json_checks ?? [];
  if (checks.length === 0) return;
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    diffs.push(`stdout is not one JSON document: ${JSON.stringify(clip(stdout))}`);
    return;
  }
  for (const c of checks) {
    const diff = checkJsonPath(doc, c);
    if (diff) diffs.push(diff);
  }
}

function checkFileOutput(expect: FalcoExpect, run: RunOutcome, diffs: string[]): void {
  const f = expect.file_output;
  if (!f) return;
  const path = expandPlaceholders(f.path, run.workdir);
  if (!existsSync(path)) {
    diffs.push(`file ${f.path} was not written`);
    return;
  }
  const got = readFileSync(path, 'utf8');
  if (got !== f.equals) diffs.push(`file ${f.path}: expected ${JSON.stringify(clip(f.equals))}, got ${JSON.stringify(clip(got))}`);
}

export function checkRun(expect: FalcoExpect, run: RunOutcome): string[] {
  const diffs: string[] = [];
  if (run.timedOut) diffs.push('timed out');
  else if (run.exitCode === null) diffs.push(`killed by ${run.signal ?? 'a signal'}`);
  if (expect.exit_code !== null && expect.exit_code !== undefined && run.exitCode !== expect.exit_code) {
    diffs.push(`exit code ${String(run.exitCode)}, expected ${expect.exit_code}`);
  }
  if (expect.error === true && run.exitCode === 0) diffs.push('expected the run to fail, it succeeded');
  const exitReported = expect.exit_code !== null && expect.exit_code !== undefined && run.exitCode !== expect.exit_code;
  if (expect.error === false && run.exitCode !== 0 && !exitReported) {
    diffs.push(`expected the run to succeed, exit code ${String(run.exitCode)}`);
  }
  checkDetections(expect, run.stdout, diffs);
  checkValidation(expect, run.stdout, diffs);
  checkStreams(expect, run, diffs);
  checkJson(expect, run.stdout, diffs);
  checkFileOutput(expect, run, diffs);
  return diffs;
}
