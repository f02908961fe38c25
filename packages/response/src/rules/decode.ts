/**
 * Reads one Talon rules file the way Talon's loader does: the file is decoded twice, once as a
 * list of `action` blocks and once as a list of `rule` entries, with Go YAML's typing rules (any
 * scalar is accepted where text is expected and keeps its written form, so `continue: True` stays
 * `True`; a list or mapping in the wrong place is an error; unknown keys are ignored). An entry
 * without a name is not an action (or not a rule) and is dropped later, silently, as Talon does.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair } from 'yaml';
import type { ActionSpec, MatchSpec, OutputSpec, ParamValue, Params, RuleSpec, RulesSource } from './model';

export interface DecodedFile {
  readonly actions: ActionSpec[];
  readonly rules: RuleSpec[];
}

/** Thrown with Talon's wording; the loader turns it into a rules problem naming the file. */
export class FileSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
  ) {
    super(message);
  }
}

type AnyNode = Node | null | undefined;

class Decoder {
  readonly typeErrors: string[] = [];
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly file: string,
  ) {}

  line(node: AnyNode): number {
    const offset = node && 'range' in node && node.range ? node.range[0] : 0;
    return this.lines.linePos(offset).line;
  }

  private resolve(node: AnyNode): AnyNode {
    let n = node;
    for (let depth = 0; n && isAlias(n) && depth < 64; depth++) n = n.resolve(this.doc) as AnyNode;
    return n;
  }

  private isNull(node: AnyNode): boolean {
    const n = this.resolve(node);
    return n === null || n === undefined || (isScalar(n) && n.value === null);
  }

  private mismatch(node: AnyNode, into: string): void {
    const n = this.resolve(node);
    let shown = '';
    let tag = '!!map';
    if (isSeq(n)) tag = '!!seq';
    else if (isScalar(n)) {
      const v = n.value;
      tag = typeof v === 'string' ? '!!str' : typeof v === 'boolean' ? '!!bool' : typeof v === 'number' ? (Number.isInteger(v) ? '!!int' : '!!float') : '!!null';
      shown = ` \`${String(n.source ?? v)}\``;
    }
    this.typeErrors.push(`line ${this.line(n)}: cannot unmarshal ${tag}${shown} into ${into}`);
  }

  /** The pairs of a mapping, `<<` merge keys expanded first so explicit keys win. */
  private pairs(node: AnyNode): Pair[] {
    const n = this.resolve(node);
    if (!isMap(n)) return [];
    const out: Pair[] = [];
    for (const pair of n.items) {
      const key = this.resolve(pair.key as AnyNode);
      if (isScalar(key) && key.value === '<<') {
        const merged = this.resolve(pair.value as AnyNode);
        for (const source of isSeq(merged) ? merged.items : [merged]) out.push(...this.pairs(source as AnyNode));
      } else {
        out.push(pair);
      }
    }
    return out;
  }

  private keyText(pair: Pair): string {
    const key = this.resolve(pair.key as AnyNode);
    return isScalar(key) ? String(key.value) : '';
  }

  /** Fields of a mapping by key (the last one wins when `<<` supplied it too). */
  fields(node: AnyNode, into: string): Map<string, AnyNode> | undefined {
    if (this.isNull(node)) return undefined;
    const n = this.resolve(node);
    if (!isMap(n)) {
      this.mismatch(n, into);
      return undefined;
    }
    const out = new Map<string, AnyNode>();
    for (const pair of this.pairs(n)) out.set(this.keyText(pair), pair.value as AnyNode);
    return out;
  }

  text(node: AnyNode): string {
    if (this.isNull(node)) return '';
    const n = this.resolve(node);
    if (isScalar(n)) {
      if (typeof n.value === 'string') return n.value;
      return n.source !== undefined ? String(n.source) : String(n.value);
    }
    this.mismatch(n, 'string');
    return '';
  }

  texts(node: AnyNode): string[] {
    if (this.isNull(node)) return [];
    const n = this.resolve(node);
    if (!isSeq(n)) {
      this.mismatch(n, '[]string');
      return [];
    }
    return n.items.map((item) => this.text(item as AnyNode));
  }

  value(node: AnyNode): ParamValue {
    const n = this.resolve(node);
    if (n === null || n === undefined) return null;
    if (isScalar(n)) {
      const v = n.value;
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
      if (typeof v === 'bigint') return Number(v);
      return String(v);
    }
    if (isSeq(n)) return n.items.map((item) => this.value(item as AnyNode));
    if (isMap(n)) return this.params(n) ?? {};
    return null;
  }

  params(node: AnyNode): Params | undefined {
    if (this.isNull(node)) return undefined;
    const n = this.resolve(node);
    if (!isMap(n)) {
      this.mismatch(n, 'map[string]interface {}');
      return undefined;
    }
    const out: Params = {};
    for (const pair of this.pairs(n)) out[this.keyText(pair)] = this.value(pair.value as AnyNode);
    return out;
  }

  output(node: AnyNode): OutputSpec {
    const f = this.fields(node, 'rules.Output');
    return { target: this.text(f?.get('target')), parameters: this.params(f?.get('parameters')) };
  }

  action(node: AnyNode): ActionSpec {
    const f = this.fields(node, 'rules.Action');
    return {
      name: this.text(f?.get('action')),
      description: this.text(f?.get('description')),
      actionner: this.text(f?.get('actionner')),
      continue: this.text(f?.get('continue')),
      ignoreErrors: this.text(f?.get('ignore_errors')),
      additionalContexts: this.texts(f?.get('additional_contexts')),
      parameters: this.params(f?.get('parameters')),
      output: this.output(f?.get('output')),
      file: this.file,
      line: this.line(node),
    };
  }

  match(node: AnyNode): MatchSpec {
    const f = this.fields(node, 'rules.Match');
    return {
      rules: this.texts(f?.get('rules')),
      priority: this.text(f?.get('priority')),
      source: this.text(f?.get('source')),
      tags: this.texts(f?.get('tags')),
      outputFields: this.texts(f?.get('output_fields')),
    };
  }

  rule(node: AnyNode): RuleSpec {
    const f = this.fields(node, 'rules.Rule');
    const actions = f?.get('actions');
    let list: ActionSpec[] = [];
    if (!this.isNull(actions)) {
      const n = this.resolve(actions);
      if (isSeq(n)) list = n.items.map((item) => this.action(item as AnyNode));
      else this.mismatch(n, '[]*rules.Action');
    }
    return {
      name: this.text(f?.get('rule')),
      description: this.text(f?.get('description')),
      continue: this.text(f?.get('continue')),
      dryRun: this.text(f?.get('dry_run')),
      notifiers: this.texts(f?.get('notifiers')),
      actions: list,
      match: this.match(f?.get('match')),
      file: this.file,
      line: this.line(node),
    };
  }

  entries(root: AnyNode, into: string): AnyNode[] {
    if (this.isNull(root)) return [];
    const n = this.resolve(root);
    if (!isSeq(n)) {
      this.mismatch(n, into);
      return [];
    }
    return n.items as AnyNode[];
  }
}

/** Decodes one file; throws FileSyntaxError (YAML syntax or typing) with Go YAML's wording. */
export function decodeRulesFile(source: RulesSource): DecodedFile {
  const lines = new LineCounter();
  const docs = parseAllDocuments(source.content, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const doc = Array.isArray(docs) ? docs[0] : docs;
  if (!doc) return { actions: [], rules: [] };
  const problem = doc.errors[0];
  if (problem) {
    const line = lines.linePos(problem.pos[0]).line;
    const text = problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new FileSyntaxError(`yaml: ${line !== undefined ? `line ${line}: ` : ''}${text}`, line);
  }
  // Talon decodes the file once as []*Action and once as []*Rule; a type error in either fails it.
  const asActions = new Decoder(doc, lines, source.name);
  const actions = asActions.entries(doc.contents as AnyNode, '[]*rules.Action').map((n) => asActions.action(n));
  const asRules = new Decoder(doc, lines, source.name);
  const rules = asRules.entries(doc.contents as AnyNode, '[]*rules.Rule').map((n) => asRules.rule(n));
  const typeErrors = asActions.typeErrors.length > 0 ? asActions.typeErrors : asRules.typeErrors;
  if (typeErrors.length > 0) {
    const first = /^line (\d+)/.exec(typeErrors[0]!);
    throw new FileSyntaxError(`yaml: unmarshal errors:\n  ${typeErrors.join('\n  ')}`, first ? Number(first[1]) : undefined);
  }
  return { actions, rules };
}
