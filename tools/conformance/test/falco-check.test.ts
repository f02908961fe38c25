import { checkRun } from '../src/falco/check';
import type { FalcoExpect } from '../src/falco/case';
import type { RunOutcome } from '../src/falco/execute';
import { lookupPath, parsePath } from '../src/falco/json-path';

const run = (over: Partial<RunOutcome>): RunOutcome => ({
  exitCode: 0,
  signal: null,
  timedOut: false,
  stdout: '',
  stderr: '',
  workdir: '/nonexistent',
  ...over,
});

const alert = (rule: string, priority: string): string => JSON.stringify({ rule, priority, output: 'x' });

describe('falco case checks', () => {
  it('passes when nothing is asserted', () => {
    expect(checkRun({}, run({ exitCode: 3 }))).toEqual([]);
  });

  it('checks exit codes and the error flag', () => {
    expect(checkRun({ exit_code: 1 }, run({ exitCode: 0 }))).toEqual(['exit code 0, expected 1']);
    expect(checkRun({ error: true }, run({ exitCode: 0 }))).toEqual(['expected the run to fail, it succeeded']);
    expect(checkRun({ error: false }, run({ exitCode: 2 }))).toEqual(['expected the run to succeed, exit code 2']);
    expect(checkRun({}, run({ timedOut: true, exitCode: null, signal: 'SIGKILL' }))).toEqual(['timed out']);
  });

  it('counts alerts by rule and by priority substring', () => {
    const stdout = [alert('a', 'Warning'), 'log line', alert('a', 'Informational'), alert('b', 'Error')].join('\n');
    const expect_: FalcoExpect = {
      detections: { count: 3, nonzero: true, by_rule: { a: 2, c: 0 }, by_priority: { INFO: 1 }, nonzero_priorities: ['WARNING'], nonzero_rules: ['b'] },
    };
    expect(checkRun(expect_, run({ stdout }))).toEqual([]);
    expect(checkRun({ detections: { by_rule: { a: 1 }, nonzero: false } }, run({ stdout }))).toEqual([
      'expected no alerts, got 3',
      'rule "a": expected 1 alerts, got 2',
    ]);
  });

  it('matches validation errors over all load results', () => {
    const doc = {
      falco_load_results: [
        { successful: true, errors: [], warnings: [] },
        {
          successful: false,
          errors: [{ code: 'LOAD_ERR_VALIDATE', message: 'Undefined macro', context: { locations: [{ item_type: 'rule', item_name: 'r' }] } }],
          warnings: [],
        },
      ],
    };
    const stdout = JSON.stringify(doc);
    expect(
      checkRun(
        { validation: { errors: [{ code: 'load_err_validate', item_type: 'RULE', item_name: 'r' }], errors_count: 1, results: [{ index: 1, successful: false }] } },
        run({ stdout }),
      ),
    ).toEqual([]);
    expect(checkRun({ validation: { errors: [{ item_name: 'R' }] } }, run({ stdout }))).toHaveLength(1);
  });

  it('applies RE2 regexes to stdout and stderr', () => {
    expect(checkRun({ stderr_regex: ['^\\d+$'], stdout_not_regex: ['bad'] }, run({ stderr: '123', stdout: 'good' }))).toEqual([]);
    expect(checkRun({ stdout_regex: ['[\\s]+x'] }, run({ stdout: 'y' }))).toHaveLength(1);
  });

  it('evaluates JSON path checks', () => {
    const stdout = JSON.stringify({ a: { b: [{ c: 1 }, { c: 1 }] }, e: [], t: ['x'] });
    const checks = [
      { path: 'a.b', len: 2 },
      { path: 'a.b[0].c', equals: 1 },
      { path: 'a.b[1].c', equals_path: 'a.b[0].c' },
      { path: 'e', empty: true },
      { path: 'missing', len: 0 },
      { path: 't', contains: 'x' },
      { path: 'a', exists: true },
    ];
    expect(checkRun({ stdout_json_checks: checks }, run({ stdout }))).toEqual([]);
    expect(checkRun({ stdout_json_checks: [{ path: 'a.b[0].c', equals: 2 }] }, run({ stdout }))).toHaveLength(1);
  });
});

describe('json paths', () => {
  it('splits keys and indexes', () => {
    expect(parsePath('lists[0].details.items_compiled[1]')).toEqual(['lists', 0, 'details', 'items_compiled', 1]);
    expect(lookupPath({ x: [null] }, 'x[0]')).toEqual({ found: true, value: null });
    expect(lookupPath({ x: [] }, 'x[0]').found).toBe(false);
  });
});
