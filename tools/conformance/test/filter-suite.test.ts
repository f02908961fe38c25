/**
 * The filter suite against a small cases directory written here: every record kind, both
 * factories, asserted and unasserted fields, and a record of another suite that must be skipped.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from '../src/suites/filter';
import type { CaseResult } from '../src/suite';

const MOCK_FIELDS = {
  description: 'test',
  fields: {
    'c.true': { type: 'CHARBUF', result: 'always true' },
    'c.false': { type: 'CHARBUF', result: 'always false' },
    'c.buffer': { type: 'BYTEBUF', result: 'always false' },
    'c.doublequote': { type: 'CHARBUF', result: 'true iff ...', value: 'hello "quoted"' },
  },
};

function record(id: string, fields: Record<string, unknown>): string {
  return JSON.stringify({ id, suite: 'filter', message: null, ...fields });
}

async function collect(dir: string): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for await (const r of suite.run([dir])) out.push(r);
  return out;
}

describe('filter suite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'filter-suite-'));
  writeFileSync(join(dir, 'mock_fields.json'), JSON.stringify(MOCK_FIELDS));
  writeFileSync(
    join(dir, 'cases.jsonl'),
    [
      record('p/ok', { kind: 'parse', input: 'a and b', expect: 'accept', ast: '(a and b)' }),
      record('p/ast-wrong', { kind: 'parse', input: 'a or b', expect: 'accept', ast: '(a and b)' }),
      record('p/reject', { kind: 'parse', input: 'a andb', expect: 'reject' }),
      record('p/reject-msg', { kind: 'parse', input: '(a', expect: 'reject', message: "expected a ')' token" }),
      record('p/reject-msg-wrong', { kind: 'parse', input: '(a', expect: 'reject', message: 'something else' }),
      record('p/accepted-but-reject', { kind: 'parse', input: 'a', expect: 'reject' }),
      record('m/true', { kind: 'mock_eval', factory: 'mock', input: 'c.true=1 and not c.false=1', expect: 'true' }),
      record('m/quote', { kind: 'mock_eval', factory: 'mock', input: "c.doublequote = 'hello \"quoted\"'", expect: 'true' }),
      record('m/wrong', { kind: 'mock_eval', factory: 'mock', input: 'c.false=1', expect: 'true' }),
      record('c/mock-bytes', { kind: 'compile', factory: 'mock', input: 'c.buffer bcontains 12ab', expect: 'accept', warnings: 0 }),
      record('c/mock-bad-hex', { kind: 'compile', factory: 'mock', input: 'c.buffer bstartswith g', expect: 'reject', warnings: null }),
      JSON.stringify({ id: 'other', suite: 'loader' }),
    ].join('\n') + '\n',
  );

  it('runs every filter record and reports what differed', async () => {
    const results = await collect(dir);
    const byId = new Map(results.map((r) => [r.id, r]));
    expect(results.map((r) => r.id)).not.toContain('other');
    expect(results).toHaveLength(11);
    for (const id of ['p/ok', 'p/reject', 'p/reject-msg', 'm/true', 'm/quote', 'c/mock-bytes', 'c/mock-bad-hex']) {
      expect(byId.get(id)).toEqual({ id, passed: true });
    }
    expect(byId.get('p/ast-wrong')?.detail).toBe('AST "(a or b)", expected "(a and b)"');
    expect(byId.get('p/reject-msg-wrong')?.detail).toBe('message "expected a \')\' token", expected "something else"');
    expect(byId.get('p/accepted-but-reject')?.detail).toBe('accepted, expected a rejection; parsed as "a"');
    expect(byId.get('m/wrong')?.detail).toBe('evaluated to false, expected true');
  });
});
