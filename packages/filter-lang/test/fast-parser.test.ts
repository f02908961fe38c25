/**
 * The hand-written fast path must give exactly the grammar's AST (spans included) whenever it
 * accepts a condition. Checked on every condition of the test fixtures and of the shared parse
 * and compile test data, on conditions in the style of the Falco rules, and on many mutations of
 * all of them (characters deleted, duplicated, or replaced by ones that matter to the grammar).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFast } from '../src/fast-parser';
import { parse, parseWithGrammar } from '../src/parser';
import { LineMap } from '../src/semantics/to-ast';

const FIXTURES = join(__dirname, 'fixtures');
const SHARED_FILTER = join(__dirname, '../../../../shared/conformance/filter');

function fixtureInputs(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...fixtureInputs(path));
    else if (entry.name === 'input') out.push(readFileSync(path, 'utf8'));
  }
  return out;
}

function sharedInputs(): string[] {
  if (!existsSync(SHARED_FILTER)) return [];
  const out: string[] = [];
  for (const f of ['parse.jsonl', 'compile.jsonl', 'mock_eval.jsonl']) {
    const path = join(SHARED_FILTER, f);
    if (!existsSync(path)) continue;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const input = (JSON.parse(line) as { input?: unknown }).input;
      if (typeof input === 'string') out.push(input);
    }
  }
  return out;
}

const RULE_STYLE = [
  'evt.type in (open, openat, openat2) and evt.is_open_read=true and fd.typechar=\'f\' and fd.num>=0',
  'spawned_process and not proc.name in (bash, "my shell", \'x y\') and proc.pname exists',
  'not (fd.name startswith /etc or fd.directory = /usr/bin) and not\tnot  user.name = root',
  '(evt.type=connect and evt.dir=< and (fd.typechar=4 or fd.typechar=6)) or (k8s.ns.name != "")',
  'proc.aname[2] = sshd and evt.arg["flags"] contains O_CREAT and proc.args icontains " -c "',
  'fd.sport > 0x1F and fd.num < -3 and evt.rawres >= 1.5e+3 and evt.count <= 12.',
  'not(a and b)or(c)or (d and e) and proc.name pmatch (/a, /b) and fd.name glob "/tmp/*"',
  'fd.name intersects ( ) and evt.type inx and proc.name in ( a , b ,c )',
  'a.b existsand c',
  'proc.env[HOME] endswith "\\"quoted\\"" and proc.cmdline regex \'^a\\\\b\'',
  'tolower(proc.name) = bash and proc.name = val(proc.pname) and proc.name in (oneof)',
  'proc.name = "unterminated and x = y',
  '\n\r proc.name = a\n and\r\nb.c = d  ',
  'not(a and b)or(c) and d',
];

const INTERESTING = [' ', '(', ')', ',', '=', '"', "'", '\\', '\t', '\v', '\b', '[', ']', '.', 'x', '0', '-', 'not ', ' and ', ' or ', 'in', '\0', 'é'];

/** A small deterministic generator, so failures reproduce. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function mutations(text: string, count: number, rand: () => number): string[] {
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const at = Math.floor(rand() * (text.length + 1));
    const piece = INTERESTING[Math.floor(rand() * INTERESTING.length)]!;
    switch (k % 3) {
      case 0:
        out.push(text.slice(0, at) + text.slice(at + 1));
        break;
      case 1:
        out.push(text.slice(0, at) + piece + text.slice(at));
        break;
      default:
        out.push(text.slice(0, at) + piece + text.slice(at + 1));
    }
  }
  return out;
}

type Outcome = { ok: true; json: string } | { ok: false };

function grammarOutcome(text: string): Outcome {
  try {
    return { ok: true, json: JSON.stringify(parseWithGrammar(text)) };
  } catch {
    return { ok: false };
  }
}

/** Texts on which the fast path disagrees with the grammar (it may only decline). */
function disagreements(texts: readonly string[]): { text: string; fast: string; grammar: string }[] {
  const bad: { text: string; fast: string; grammar: string }[] = [];
  for (const text of texts) {
    if (text.length === 0) continue;
    const fast = parseFast(text, new LineMap(text));
    if (fast === undefined) continue;
    const g = grammarOutcome(text);
    const fastJson = JSON.stringify(fast);
    if (!g.ok || g.json !== fastJson) bad.push({ text, fast: fastJson, grammar: g.ok ? g.json : 'syntax error' });
  }
  return bad;
}

describe('fast path parser', () => {
  const corpus = [...new Set([...fixtureInputs(FIXTURES), ...sharedInputs(), ...RULE_STYLE])];

  it('gives the grammar\'s AST on every condition of the corpus it accepts', () => {
    expect(disagreements(corpus)).toEqual([]);
  });

  it('accepts the common rule-style conditions (so the fast path is really taken)', () => {
    const accepted = RULE_STYLE.slice(0, 9).filter((t) => parseFast(t, new LineMap(t)) !== undefined);
    expect(RULE_STYLE.slice(0, 9).filter((t) => !accepted.includes(t))).toEqual([]);
  });

  it('declines transformers, modifiers, bad escapes, non-ASCII text and syntax errors', () => {
    for (const t of [
      'tolower(proc.name) = bash',
      'proc.name = val(proc.pname)',
      'proc.name in oneof (a)',
      'proc.name = "a\\qb"',
      'proc.name = é',
      'proc.name =',
      'proc.name = a andb',
      '(proc.name = a',
    ]) {
      expect(parseFast(t, new LineMap(t))).toBeUndefined();
    }
  });

  it('never disagrees with the grammar on mutations of the corpus', () => {
    const rand = prng(20261129);
    const mutated = corpus.flatMap((t) => mutations(t, 12, rand));
    expect(disagreements(mutated)).toEqual([]);
  });

  it('parse() still reports syntax errors from the grammar', () => {
    expect(() => parse('proc.name = a andb')).toThrow(/expected blank or '\(' after 'and'/);
  });
});
