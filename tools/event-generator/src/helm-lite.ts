/**
 * Renders the subset of Helm's template language that the repository's chart uses, so tests can
 * validate the chart's output without a helm binary:
 *   {{ .Values.a.b }}  {{ .Release.Name }}  {{ .Release.Namespace }}  {{ .Chart.Name }} (any Chart.yaml key,
 *   capitalised as Helm does: .Chart.AppVersion)
 *   pipelines with  quote  toYaml  indent N  nindent N  default X
 *   {{ if PIPELINE }} … {{ else }} … {{ end }}
 *   whitespace trimming with {{- and -}}; comments {{/* … *\/}}
 * Anything else is a TemplateError with the template's line and column.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { TemplateError } from './errors';

export interface RenderScope {
  readonly Values: unknown;
  readonly Release: { readonly Name: string; readonly Namespace: string };
  readonly Chart: Readonly<Record<string, unknown>>;
}

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'out'; expr: string; at: number }
  | { kind: 'if'; expr: string; at: number; then: Node[]; else: Node[] };

interface Token {
  kind: 'text' | 'action';
  text: string;
  at: number;
}

function positionOf(src: string, at: number): [number, number] {
  const before = src.slice(0, at).split('\n');
  return [before.length, before[before.length - 1]!.length + 1];
}

function tokenize(src: string, file: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) {
      out.push({ kind: 'text', text: src.slice(i), at: i });
      break;
    }
    const close = src.indexOf('}}', open);
    if (close < 0) throw new TemplateError('unclosed action', file, ...positionOf(src, open));
    let text = src.slice(i, open);
    let body = src.slice(open + 2, close);
    if (body.startsWith('-')) {
      text = text.replace(/\s+$/, '');
      body = body.slice(1);
    }
    let next = close + 2;
    if (body.endsWith('-')) {
      body = body.slice(0, -1);
      while (next < src.length && /\s/.test(src[next]!)) next++;
    }
    out.push({ kind: 'text', text, at: i });
    out.push({ kind: 'action', text: body.trim(), at: open });
    i = next;
  }
  return out;
}

function build(tokens: Token[], src: string, file: string): Node[] {
  let k = 0;
  const block = (inside: boolean): { nodes: Node[]; end: 'end' | 'else' | 'eof' } => {
    const nodes: Node[] = [];
    while (k < tokens.length) {
      const t = tokens[k++]!;
      if (t.kind === 'text') {
        if (t.text) nodes.push({ kind: 'text', text: t.text });
        continue;
      }
      if (t.text.startsWith('/*')) continue;
      if (t.text === 'end' || t.text === 'else') {
        if (!inside) throw new TemplateError(`"${t.text}" without "if"`, file, ...positionOf(src, t.at));
        return { nodes, end: t.text };
      }
      if (t.text.startsWith('if ')) {
        const then = block(true);
        const otherwise = then.end === 'else' ? block(true) : { nodes: [], end: 'end' as const };
        if (then.end === 'eof' || otherwise.end !== 'end') throw new TemplateError('"if" without "end"', file, ...positionOf(src, t.at));
        nodes.push({ kind: 'if', expr: t.text.slice(3).trim(), at: t.at, then: then.nodes, else: otherwise.nodes });
        continue;
      }
      nodes.push({ kind: 'out', expr: t.text, at: t.at });
    }
    return { nodes, end: 'eof' };
  };
  return block(false).nodes;
}

function lookup(scope: RenderScope, ref: string): unknown {
  let v: unknown = scope;
  for (const part of ref.slice(1).split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

function literal(arg: string, scope: RenderScope): unknown {
  if (arg.startsWith('.')) return lookup(scope, arg);
  if (/^"(?:[^"\\]|\\.)*"$/.test(arg)) return JSON.parse(arg) as string;
  if (/^-?\d+$/.test(arg)) return Number(arg);
  if (arg === 'true' || arg === 'false') return arg === 'true';
  return Symbol.for('invalid');
}

function toText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return stringify(v).trimEnd();
  return String(v);
}

function evaluate(expr: string, scope: RenderScope, fail: (m: string) => never): unknown {
  const stages = expr.split('|').map((s) => s.trim().split(/\s+/));
  let value: unknown;
  stages.forEach((words, i) => {
    const [head, ...args] = words as [string, ...string[]];
    const vals = args.map((a) => {
      const v = literal(a, scope);
      if (v === Symbol.for('invalid')) fail(`unsupported argument "${a}"`);
      return v;
    });
    if (i === 0 && head.startsWith('.') && args.length === 0) {
      value = lookup(scope, head);
      return;
    }
    const input = i === 0 ? vals.pop() : value;
    switch (head) {
      case 'quote': value = JSON.stringify(toText(input)); break;
      case 'toYaml': value = toText(input); break;
      case 'indent': value = toText(input).split('\n').map((l) => ' '.repeat(Number(vals[0])) + l).join('\n'); break;
      case 'nindent': value = '\n' + toText(input).split('\n').map((l) => ' '.repeat(Number(vals[0])) + l).join('\n'); break;
      case 'default': value = truthy(input) ? input : vals[0]; break;
      default: fail(`unsupported function or value "${head}"`);
    }
  });
  return value;
}

/** Renders one template's source with the scope. */
export function renderTemplate(src: string, scope: RenderScope, file = '<template>'): string {
  const nodes = build(tokenize(src, file), src, file);
  const emit = (list: Node[]): string =>
    list
      .map((n) => {
        const fail = (m: string): never => {
          throw new TemplateError(m, file, ...positionOf(src, (n as { at: number }).at));
        };
        if (n.kind === 'text') return n.text;
        if (n.kind === 'out') return toText(evaluate(n.expr, scope, fail));
        return emit(truthy(evaluate(n.expr, scope, fail)) ? n.then : n.else);
      })
      .join('');
  return emit(nodes);
}

/** Deep merge of value overrides onto the chart's values (maps merge, everything else replaces). */
function merge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (base && over && typeof base === 'object' && typeof over === 'object' && !Array.isArray(base) && !Array.isArray(over)) {
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(over)) out[k] = merge(out[k], v);
    return out;
  }
  return over;
}

export interface RenderedChart {
  /** Rendered text per template file name. */
  readonly files: Readonly<Record<string, string>>;
  /** Every Kubernetes object the chart renders, in file order. */
  readonly objects: readonly Record<string, unknown>[];
}

/** Renders every template of a chart directory, as `helm template` would for this subset. */
export function renderChart(
  chartDir: string,
  release: { name: string; namespace: string },
  overrides: unknown = {},
): RenderedChart {
  const chart = parse(readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8')) as Record<string, unknown>;
  const values = merge(parse(readFileSync(path.join(chartDir, 'values.yaml'), 'utf8')), overrides);
  // Helm exposes Chart.yaml keys capitalised (.Chart.Name, .Chart.AppVersion).
  const chartScope = Object.fromEntries(Object.entries(chart).map(([k, v]) => [k[0]!.toUpperCase() + k.slice(1), v]));
  const scope: RenderScope = { Values: values, Release: { Name: release.name, Namespace: release.namespace }, Chart: chartScope };
  const files: Record<string, string> = {};
  const objects: Record<string, unknown>[] = [];
  const dir = path.join(chartDir, 'templates');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) {
    const text = renderTemplate(readFileSync(path.join(dir, f), 'utf8'), scope, `templates/${f}`);
    files[f] = text;
    for (const doc of text.split(/^---\s*$/m)) {
      const obj = parse(doc) as Record<string, unknown> | null;
      if (obj !== null && obj !== undefined) objects.push(obj);
    }
  }
  return { files, objects };
}
