/**
 * The fast YAML reader must give exactly the nodes `yaml` composes (kind, value, type, source,
 * start offset, flow flag) whenever it accepts a text, and must decline everything it does not
 * handle, including every text `yaml` reports an error for. Checked on the upstream rules files
 * (which must all take the fast path), the loader conformance inputs, hand-picked edge cases, and
 * deterministic random mutations of those.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Node as YamlNode } from 'yaml';
import { parseYamlFast } from '../../src/loader/yaml-fast';
import { parseYaml } from '../../src/loader/yaml-nodes';

const SHARED = join(__dirname, '../../../../../shared/conformance');

type Shape = null | { k: string; s?: number; v?: unknown; t?: string; src?: string; f?: boolean; i?: unknown[]; a?: string };

function shape(n: YamlNode | null | undefined): Shape {
  if (n === null || n === undefined) return null;
  const anchor = (n as { anchor?: string }).anchor;
  const s = bareShape(n);
  return anchor === undefined || s === null ? s : { ...s, a: anchor };
}

function bareShape(n: YamlNode): Shape {
  if (isAlias(n)) return { k: 'alias', s: n.range![0], src: n.source };
  if (isMap(n)) return { k: 'map', s: n.range![0], i: n.items.map((p) => [shape(p.key as YamlNode), shape(p.value as YamlNode)]) };
  if (isSeq(n)) return { k: 'seq', s: n.range![0], f: !!n.flow, i: n.items.map((x) => shape(x as YamlNode)) };
  if (isScalar(n)) return { k: 'scalar', s: n.range![0], v: n.value, t: n.type, src: n.source as string };
  return { k: 'other' };
}

/** `yaml`'s documents as shapes, or 'error'. */
function reference(text: string): Shape[] | 'error' {
  const docs = parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: false, strict: false });
  const list = Array.isArray(docs) ? docs : [];
  if (list.some((d) => d.errors.length > 0)) return 'error';
  return list.map((d) => shape(d.contents as YamlNode | null));
}

/** 'fallback' when the fast reader declines; otherwise it must agree with `yaml`. */
function agree(text: string): 'fast' | 'fallback' {
  const fast = parseYamlFast(text);
  if (fast === undefined) return 'fallback';
  expect({ text, shapes: fast.documents.map(shape) }).toEqual({ text, shapes: reference(text) });
  return 'fast';
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...yamlFiles(path));
    else if (name.endsWith('.yaml')) out.push(path);
  }
  return out;
}

const UPSTREAM = yamlFiles(join(SHARED, 'rules'));
const LOADER_INPUTS = readFileSync(join(SHARED, 'loader/cases.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .flatMap((l) => (JSON.parse(l) as { files: { content: string }[] }).files.map((f) => f.content));

const EDGE_CASES = [
  // empty values: the empty scalar starts after the indicator and its spaces
  '- a:\n  b: 1\n', '- a:   \n  b: 1\n', '- a: # c\n  b: 1\n', '- \n- x\n', '-\n- x\n', '- a:',
  // a sequence at the column of its key, and deeper
  '- a:\n  - x\n  - y: 1\n    z: 2\n  b: c\n', '- a:\n    - x\n',
  // folded and literal scalars with more-indented lines, blank lines, strip chomping
  '- c: >\n    a and\n      b\n\n    c\n\n\n    d\n  e: 1\n',
  '- c: |-\n   l1\n    l2\n\n   l3\n  d: x\n',
  '- c: >-\n\n    lead\n    x\n',
  '- c: >\n    # not a comment\n  # a comment\n  d: 1\n',
  // plain scalars over several lines, with blank lines and a closing comment
  '- d: x\n    y\n\n\n    z # c\n  e: 1\n', '- x\n  y\n- -1\n',
  // flow sequences over lines, nested, with quotes, comments and a trailing comma
  '- l: [a, "b c", \'d\'\'e\', [f, g], h:i, x-y,]\n',
  '- l: [\n    a, b, # c\n    c\n  ]\n',
  '- [x,\n  y\n ]\n',
  // quoted scalars and escapes
  '- q: "\\x41\\u00e9\\t\\"\\\\ \\/"\n  r: \'it\'\'s\' # c\n',
  // a document start marker
  '---\n- a: 1\n',
  // anchors before a node on its line, aliases as a node and as flow items
  '- &a x\n- *a\n', '- list: l\n  items: &x [a, "b c"]\n- list: m\n  items: *x\n- l: [*x, *x, y]\n', '- a: &s \'q\' # c\n  b: *s # c\n',
  // comments everywhere
  '# head\n\n- a: 1 # one\n  # between\n  b: 2\n# tail\n',
];

const DECLINED = [
  '- &a\n  b: 1\n', // an anchor on its own line
  '- a: &x &y z\n', // two anchors
  '- a: *x y\n', // an alias with more after it
  '- a: &x.y z\n', // anchor names beyond letters, digits, `_` and `-`
  '- a: !!str x\n', // tags
  '- a: {b: c}\n', // flow mappings
  '- a: 1\n---\n- b: 2\n', // several documents
  '- a: "x\n  y"\n', // multi-line quoted
  '- a: |+\n    x\n\n', // keep chomping
  '- a: >2\n    x\n', // explicit indentation
  '- a: 1\r\n', // CR
  '-\ta: 1\n', // tab
  'a: 1\n', // not a sequence
  '', // empty
  '- desc: != after evt.type\n', // `!` starts a tag in YAML
  '- a: b: c\n', // error
  '- a: [x,\n  y]\n', // error: flow content at the key's column
];

describe('fast YAML reader', () => {
  it('reads every upstream rules file, with the nodes yaml composes', () => {
    expect(UPSTREAM.length).toBeGreaterThanOrEqual(10);
    for (const file of UPSTREAM) expect([file, agree(readFileSync(file, 'utf8'))]).toEqual([file, 'fast']);
  });

  it('agrees with yaml on every loader conformance input it reads', () => {
    const used = LOADER_INPUTS.map(agree);
    expect(used.filter((u) => u === 'fast').length).toBeGreaterThan(LOADER_INPUTS.length * 0.8);
  });

  it.each(EDGE_CASES)('reads %j as yaml does', (text) => {
    expect(agree(text)).toBe('fast');
  });

  it.each(DECLINED)('leaves %j to yaml', (text) => {
    expect(parseYamlFast(text)).toBeUndefined();
  });

  it('agrees with yaml on random mutations, or leaves them to yaml', () => {
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const pick = <T>(a: readonly T[]): T => a[Math.floor(random() * a.length)]!;
    const inserts = [' ', '  ', '\n', ':', ': ', '-', '- ', '#', ' #', '"', "'", '[', ']', ',', '>', '|', '&', '*', '!', '\\', '{', '?', '%', 'x', '---', '\t'];
    const seeds = [...EDGE_CASES, ...LOADER_INPUTS.filter((t) => t.length < 1500)];
    let fast = 0;
    for (let n = 0; n < 3000; n++) {
      let text = pick(seeds);
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
        const at = Math.floor(random() * (text.length + 1));
        const op = random();
        if (op < 0.45) text = text.slice(0, at) + pick(inserts) + text.slice(at);
        else if (op < 0.75) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
        else {
          const lines = text.split('\n');
          const i = Math.floor(random() * lines.length);
          lines[i] = random() < 0.5 ? ' ' + lines[i]! : lines[i]!.replace(/^ /, '');
          text = lines.join('\n');
        }
      }
      if (agree(text) === 'fast') fast++;
    }
    // Enough mutations stay in the subset for the comparison to mean something.
    expect(fast).toBeGreaterThan(800);
  });

  it('gives parseYaml the same positions either way', () => {
    const text = '# c\n- rule: r\n  desc: >\n    x\n  items: [a,\n    b]\n';
    const parsed = parseYaml(text);
    const seq = parsed.documents[0] as YamlNode;
    expect(isSeq(seq)).toBe(true);
    const map = (seq as unknown as { items: YamlNode[] }).items[0]!;
    const positions = (map as unknown as { items: { key: YamlNode; value: YamlNode }[] }).items.map((p) => [parsed.positionOf(p.key), parsed.positionOf(p.value)]);
    expect(positions).toEqual([
      [{ offset: 6, line: 1, column: 2 }, { offset: 12, line: 1, column: 8 }],
      [{ offset: 16, line: 2, column: 2 }, { offset: 22, line: 2, column: 8 }],
      [{ offset: 32, line: 4, column: 2 }, { offset: 39, line: 4, column: 9 }],
    ]);
  });

  it('lets the built engine load the upstream rules without loading yaml', () => {
    const script = `
      const fs = require('fs');
      const en = require(process.argv[1]);
      const engine = new en.Engine();
      engine.addSource(new en.SyscallSource({ hostname: 'test' }));
      for (const f of process.argv.slice(2)) {
        if (!engine.loadRules(fs.readFileSync(f, 'utf8'), f).successful) throw new Error('failed ' + f);
      }
      const yamlLoaded = Object.keys(require.cache).some((p) => /[\\/]yaml[\\/]/.test(p));
      process.stdout.write(JSON.stringify({ rules: engine.rules().length, yamlLoaded }));
    `;
    const dir = join(SHARED, 'rules/falco-rules-5.1.0/rules');
    const files = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map((f) => join(dir, f));
    const run = spawnSync(process.execPath, ['-e', script, join(__dirname, '../../dist/index.js'), ...files], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ rules: expect.any(Number), yamlLoaded: false });
  });
});
