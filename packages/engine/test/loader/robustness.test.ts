/**
 * Bad input never crashes the loader: random bytes and mutations of a real rules file always give
 * a LoadResult (success or Falco-coded errors), never an exception.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../src/engine';
import { ERROR_CODES } from '../../src/loader/messages';
import { testSource } from '../test-source';

const SAMPLE = readFileSync(join(__dirname, '../../../../../shared/conformance/falco/rules/single_rule.yaml'), 'utf8');

/** Deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

function mutate(text: string, rand: () => number): string {
  const chars = [...text];
  const edits = 1 + Math.floor(rand() * 4);
  const alphabet = ' -:[]{}()"\'\n\t,%&*!|>#abc0';
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rand() * chars.length);
    const op = rand();
    if (op < 0.4) chars.splice(at, 1);
    else if (op < 0.8) chars.splice(at, 0, alphabet[Math.floor(rand() * alphabet.length)]!);
    else chars.splice(at, 1 + Math.floor(rand() * 20));
  }
  return chars.join('');
}

describe('loader robustness', () => {
  it('mutated rules files load or fail with a coded error', () => {
    const rand = rng(42);
    for (let i = 0; i < 300; i++) {
      const engine = new Engine([testSource() as never]);
      const text = mutate(SAMPLE, rand);
      const result = engine.loadRules(text, 'mutated.yaml');
      for (const e of result.errors) expect(ERROR_CODES).toContain(e.code);
      expect(() => JSON.stringify(result.toJSON())).not.toThrow();
    }
  });

  it('random text loads or fails with a coded error', () => {
    const rand = rng(7);
    for (let i = 0; i < 200; i++) {
      const len = Math.floor(rand() * 200);
      let text = '';
      for (let k = 0; k < len; k++) text += String.fromCharCode(Math.floor(rand() * 128));
      const result = new Engine([testSource() as never]).loadRules(text, 'random.yaml');
      for (const e of result.errors) expect(ERROR_CODES).toContain(e.code);
      expect(() => result.verbose()).not.toThrow();
    }
  });
});
