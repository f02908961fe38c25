/**
 * Hostile rules files cost time and memory in proportion to their text, or fail with a positioned
 * error at a limit: macros that double at each level, lists that each alias one anchor, alias
 * bombs, self-referencing and very deep YAML, deep macro chains and lists that double. Each case
 * took seconds to minutes (or overflowed the stack) before expansion was shared and bounded; the
 * per-test timeout is the bound here, not a measurement.
 */
import { Engine } from '../../src/engine';
import type { LoadResult } from '../../src/loader/result';
import { testSource } from '../test-source';

jest.setTimeout(20_000);

function load(text: string, setup?: (e: Engine) => void): { result: LoadResult; engine: Engine } {
  const engine = new Engine([testSource() as never]);
  setup?.(engine);
  return { result: engine.loadRules(text, 'hostile.yaml'), engine };
}

/** The first error as "CODE line:column message" (1-based, the position of the innermost location). */
function firstError(result: LoadResult): string {
  const e = result.errors[0];
  if (!e) return 'no error';
  const at = e.context.last.position;
  return `${e.code} ${at.line + 1}:${at.column + 1} ${e.message}`;
}

function doublingMacros(levels: number): string {
  let text = '- macro: m0\n  condition: evt.type = open\n';
  for (let i = 0; i < levels; i++) text += `- macro: m${i + 1}\n  condition: (m${i} and m${i})\n`;
  return text;
}

const RULE = (cond: string): string => `- rule: r\n  desc: d\n  condition: ${cond}\n  output: o\n  priority: INFO\n`;

describe('hostile rules files', () => {
  it('macros doubling at each level load when no rule uses them', () => {
    const { result } = load(doublingMacros(28));
    expect(result.errors).toEqual([]);
    expect(result.warnings.some((w) => w.code === 'LOAD_UNUSED_MACRO')).toBe(true);
  });

  it('a rule using a doubling macro fails at the expansion limit, pointing at its condition', () => {
    const text = doublingMacros(28) + RULE('m28');
    const { result } = load(text);
    expect(firstError(result)).toMatch(/^LOAD_ERR_COMPILE_CONDITION \d+:\d+ Condition expands to \d+ nodes, more than 1000000 \(the expansion limit\)$/);
    const at = result.errors[0]!.context.last.position;
    expect(text.slice(at.offset, at.offset + 3)).toBe('m28');
  });

  it('a shared macro used within the limit compiles to the same condition as written out', () => {
    const { result, engine } = load(doublingMacros(3) + RULE('m3'));
    expect(result.errors).toEqual([]);
    const written = load(RULE(Array(8).fill('evt.type = open').join(' and '))).engine;
    expect(engine.rule('r')!.predicate).toBeDefined();
    expect(engine.rule('r')!.eventCodes).toEqual(written.rule('r')!.eventCodes);
  });

  it('5,000 lists aliasing one anchor load, each with the anchored items', () => {
    let text = '- list: x\n  items: &x [a, b, c]\n';
    for (let i = 0; i < 5000; i++) text += `- list: l${i}\n  items: *x\n`;
    text += RULE('proc.name in (l4999)');
    const { result, engine } = load(text);
    expect(result.errors).toEqual([]);
    expect(engine.rule('r')!.conditionText).toBe('proc.name in (l4999)');
    expect(engine.describe().lists.find((l) => l.info.name === 'l4999')?.details.items_compiled).toEqual(['a', 'b', 'c']);
  });

  it.each([
    ['a sequence of sequences', '- list: a0\n  items: &a0 [x,x,x,x,x,x,x,x,x]\n', (i: number) => `- list: a${i}\n  items: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]\n`],
    ['a mapping (read by yaml)', 'a0: &a0 [x,x,x,x,x,x,x,x,x]\n', (i: number) => `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]\n`],
  ])('an alias bomb (%s) fails at the expansion limit with its position', (_, head, level) => {
    let text = head;
    for (let i = 1; i < 10; i++) text += level(i);
    expect(firstError(load(text).result)).toMatch(/^LOAD_ERR_YAML_PARSE \d+:\d+ error at line \d+, column \d+: aliases expand to more than 1000000 nodes \(the expansion limit\)$/);
  });

  it('a self-referencing alias is a positioned error', () => {
    expect(firstError(load('- &a\n  list: x\n  items: [*a]\n').result)).toBe(
      'LOAD_ERR_YAML_PARSE 3:11 error at line 3, column 11: alias *a refers to a node that contains it',
    );
  });

  it('an alias to no anchor is a positioned error', () => {
    expect(firstError(load('- list: x\n  items: *nope\n').result)).toMatch(/^LOAD_ERR_YAML_PARSE 2:10 /);
  });

  it('100,000 nested flow sequences are refused at the nesting limit', () => {
    const text = `- list: x\n  items: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    expect(firstError(load(text).result)).toBe(
      'LOAD_ERR_YAML_PARSE 2:138 error at line 2, column 138: collections nested deeper than 128 levels (the nesting limit)',
    );
  });

  it('deeply nested block sequences are a positioned error', () => {
    let text = '';
    for (let i = 0; i < 300; i++) text += `${'  '.repeat(i)}-\n`;
    expect(firstError(load(text).result)).toMatch(/^LOAD_ERR_YAML_PARSE \d+:\d+ error at line \d+, column \d+: collections nested deeper than 128 levels/);
  });

  it('an alias that nests past the limit is a positioned error', () => {
    const deep = `${'['.repeat(100)}${']'.repeat(100)}`;
    const text = `- list: x\n  items: &d ${deep}\n- list: y\n  items: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[*d]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n`;
    expect(firstError(load(text).result)).toMatch(/^LOAD_ERR_YAML_PARSE 4:\d+ .*alias \*d nests collections deeper than 128 levels/);
  });

  it('a chain of macros deeper than the condition limit fails on the rule that uses it', () => {
    let text = '- macro: m0\n  condition: evt.type = open\n';
    for (let i = 1; i <= 1200; i++) text += `- macro: m${i}\n  condition: not m${i - 1}\n`;
    const { result } = load(text + RULE('m1200'));
    expect(firstError(result)).toMatch(/^LOAD_ERR_COMPILE_CONDITION \d+:\d+ Condition nests 1201 levels deep once its macros are expanded, more than 1000/);
    expect(load(text).result.errors).toEqual([]);
  });

  it('lists that double at each level load, and a rule using them fails at the size limit', () => {
    // Each list names the next one, which substitution then replaces in the growing text.
    let text = '';
    for (let i = 0; i < 40; i++) text += `- list: l${i}\n  items: [l${i + 1}, l${i + 1}]\n`;
    text += '- list: l40\n  items: [a, b]\n';
    expect(load(text).result.errors).toEqual([]);
    expect(firstError(load(text + RULE('proc.name in (l0)')).result)).toMatch(
      /^LOAD_ERR_COMPILE_CONDITION \d+:\d+ Condition expands to more than 1000000 list items \(the expansion limit\)$/,
    );
  });

  it('a list naming a list past the expansion limit fails on the list', () => {
    const big = Array.from({ length: 20 }, (_, i) => `i${i}`).join(', ');
    const text = `- list: big\n  items: [${big}]\n- list: l\n  items: [big, big]\n`;
    expect(firstError(load(text, (e) => e.setLoadLimits({ maxExpansionNodes: 30 })).result)).toBe('LOAD_ERR_VALIDATE 3:3 List expands to more than 30 items (the expansion limit)');
  });

  it('limits are configurable', () => {
    const rule = RULE('evt.type in (open, openat, close)');
    expect(load(rule).result.errors).toEqual([]);
    expect(firstError(load(rule, (e) => e.setLoadLimits({ maxExpansionNodes: 3 })).result)).toMatch(/Condition expands to \d+ nodes, more than 3/);
    expect(firstError(load(rule, (e) => e.setLoadLimits({ maxDocumentBytes: 20 })).result)).toMatch(/^LOAD_ERR_YAML_PARSE 1:1 rules file of \d+ bytes is larger than the limit of 20 bytes$/);
    expect(firstError(load('- list: x\n  items: [[a]]\n', (e) => e.setLoadLimits({ maxYamlDepth: 3 })).result)).toMatch(/nested deeper than 3 levels/);
    expect(firstError(load(RULE('not not not evt.type = open'), (e) => e.setLoadLimits({ maxConditionDepth: 2 })).result)).toMatch(/^LOAD_ERR_COMPILE_CONDITION/);
  });
});
