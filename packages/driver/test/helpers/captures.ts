import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The shared reference data and conformance captures (FALCO_TS_SHARED overrides the location). */
export const SHARED_DIR = process.env['FALCO_TS_SHARED'] ?? resolve(__dirname, '../../../../../shared');
export const CAPTURES_DIR = join(SHARED_DIR, 'conformance/falco/captures');
export const VALIDATOR = join(SHARED_DIR, 'reference/validate_captures.py');

export function conformanceCaptures(): string[] {
  return readdirSync(CAPTURES_DIR)
    .filter((f) => f.endsWith('.scap'))
    .sort()
    .map((f) => join(CAPTURES_DIR, f));
}

/** `sysdig -r FILE -p FORMAT`: one output line per event sysdig prints. */
export function sysdigLines(file: string, format: string, filter?: string): string[] {
  const args = ['-r', file, '-p', format];
  if (filter) args.push(filter);
  const out = execFileSync('sysdig', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  return out.split('\n').filter((l) => l !== '');
}

export function countLines(lines: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) m.set(l, (m.get(l) ?? 0) + 1);
  return m;
}

export interface ValidatorReport {
  file: string;
  errors: unknown[];
  stats: { blocks: Record<string, number>; event_types: Record<string, number>; converter: Record<string, number> };
}

/** The independent checker's view of a capture. */
export function validatorReport(file: string): ValidatorReport {
  const dir = mkdtempSync(join(tmpdir(), 'validate-'));
  try {
    const json = join(dir, 'report.json');
    execFileSync('python3', [VALIDATOR, '--json', json, file], { stdio: 'ignore' });
    return (JSON.parse(readFileSync(json, 'utf8')) as ValidatorReport[])[0]!;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
