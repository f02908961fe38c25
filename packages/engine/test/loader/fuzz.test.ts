/**
 * Property-based checks of the rules loader (fast-check): any text loads or fails with a coded
 * error and never throws; YAML built from anchors and aliases, nested collections and chained
 * macros stays within the limits or fails at one; the one-pass list substitution gives exactly
 * what Falco's rewrite-the-string-at-each-occurrence algorithm gives.
 */
import fc from 'fast-check';
import { Engine } from '../../src/engine';
import { ERROR_CODES } from '../../src/loader/messages';
import { quoteItem, substituteList } from '../../src/loader/text-expansion';
import { testSource } from '../test-source';

const BLANKS = ' \t\n\r';
const DELIMS = BLANKS + '(),=';

/** Falco's algorithm as written there: the whole string is rebuilt at each occurrence. */
function referenceSubstitute(input: string, name: string, items: readonly string[]): { text: string; replaced: number } {
  let cond = input;
  let replaced = 0;
  let start = cond.indexOf(name);
  while (start !== -1) {
    let end = start + name.length;
    const before = start === 0 || DELIMS.includes(cond[start - 1]!);
    const after = end >= cond.length || DELIMS.includes(cond[end]!);
    if (before && after) {
      while (start > 0 && BLANKS.includes(cond[start - 1]!)) start--;
      while (end < cond.length && BLANKS.includes(cond[end]!)) end++;
      const sub = items.map(quoteItem).join(', ');
      if (sub === '') {
        if (start > 0 && cond[start - 1] === ',') start--;
        else if (end < cond.length && cond[end] === ',') end++;
      }
      let next = '';
      if (start > 0) next += cond.slice(0, start) + ' ';
      next += sub + ' ';
      next += cond.slice(end);
      cond = next;
      start += sub.length + 1;
      replaced++;
    }
    start = cond.indexOf(name, start + 1);
  }
  return { text: cond, replaced };
}

function load(text: string): ReturnType<Engine['loadRules']> {
  return new Engine([testSource() as never]).loadRules(text, 'fuzz.yaml');
}

function expectCoded(result: ReturnType<Engine['loadRules']>): void {
  for (const e of result.errors) expect(ERROR_CODES).toContain(e.code);
  expect(() => JSON.stringify(result.toJSON())).not.toThrow();
}

describe('rules loader properties', () => {
  it('list substitution in one pass equals the rewriting algorithm', () => {
    const piece = fc.constantFrom('l', 'll', ' ', ',', '(', ')', '=', 'x', '\t', 'in', "'", '"');
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 30 }).map((p) => p.join('')),
        fc.constantFrom('l', 'll', 'x'),
        fc.array(fc.constantFrom('a', 'b c', '"q r"', 'l', ''), { maxLength: 3 }),
        (cond, name, items) => {
          expect(substituteList(cond, name, items)).toEqual(referenceSubstitute(cond, name, items));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('any text loads or fails with a coded error', () => {
    const chars = fc.constantFrom(...'- :[]{},&*!|>#"\'\n  abc01lm'.split(''));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 200 }).map((c) => c.join('')), (text) => expectCoded(load(text))),
      { numRuns: 1500 },
    );
  });

  it('anchors, aliases and nesting stay within the limits or fail at one, with a position', () => {
    // Documents whose lists alias earlier anchors, possibly nested and repeated.
    const doc = fc.array(fc.tuple(fc.nat(5), fc.nat(4), fc.nat(3)), { minLength: 1, maxLength: 25 }).map((entries) => {
      let text = '- list: l0\n  items: &a0 [x, y]\n';
      entries.forEach(([ref, repeat, nest], i) => {
        const target = `*a${Math.min(ref, i)}`;
        const inner = Array(repeat + 1).fill(target).join(', ');
        text += `- list: l${i + 1}\n  items: &a${i + 1} ${'['.repeat(nest)}[${inner}]${']'.repeat(nest)}\n`;
      });
      return text;
    });
    fc.assert(
      fc.property(doc, (text) => {
        const result = load(text);
        expectCoded(result);
        for (const e of result.errors) expect(e.context.locations.length).toBeGreaterThan(1);
      }),
      { numRuns: 300 },
    );
  });

  it('chains of macros and lists load in bounded time whatever their shape', () => {
    const chain = fc.array(fc.tuple(fc.nat(6), fc.constantFrom('and', 'or'), fc.boolean()), { minLength: 1, maxLength: 40 }).map((steps) => {
      let text = '- list: s0\n  items: [open, close]\n- macro: m0\n  condition: evt.type in (s0)\n';
      steps.forEach(([back, op, negate], i) => {
        const a = `m${Math.max(0, i - back)}`;
        text += `- macro: m${i + 1}\n  condition: ${negate ? 'not ' : ''}(${a} ${op} m${i})\n`;
      });
      text += `- rule: r\n  desc: d\n  condition: m${steps.length}\n  output: o\n  priority: INFO\n`;
      return text;
    });
    fc.assert(fc.property(chain, (text) => expectCoded(load(text))), { numRuns: 200 });
  });
});
