/**
 * Resolves the operands of a check (fields and transformers) against the registry into typed
 * extraction functions. Transformers compose extraction closures; plain fields keep their
 * extractor and argument separate so the generated predicate calls the extractor directly.
 */
import { NodeType, type FieldNode, type TransformerArg, type TransformerNode, type ValueNode } from '../ast';
import type { FilterCompileError } from '../errors';
import type { FieldDefinition, FieldRegistry, FieldScalar, FieldType, FieldValue } from '../fields';
import { typeClass } from './types';

export interface Operand<E> {
  type: FieldType;
  list: boolean;
  /** Some field in the operand refuses field-to-field comparison. */
  noRhs?: boolean;
  /** Set for a plain field: the generated code calls `definition.extract(event, arg)`. */
  field?: { definition: FieldDefinition<E>; arg: string | undefined };
  extract: (event: E) => FieldValue;
  /** Field names this operand reads. */
  fields: string[];
}

export type Fail = (node: FieldNode | TransformerNode | ValueNode, code: FilterCompileError['code'], reason: string) => never;

export function resolveField<E>(node: FieldNode, registry: FieldRegistry<E>, fail: Fail): Operand<E> {
  const arg = node.arg;
  if (registry.resolve) {
    const resolved = registry.resolve(node.name, arg);
    if (!resolved) fail(node, 'FILTER_UNKNOWN_FIELD', `filter_check called with nonexistent field ${node.name}`);
    if ('error' in resolved) fail(node, 'FILTER_FIELD_ARG', resolved.error);
    return fieldOperand(node, resolved, arg);
  }
  const definition = registry.get(node.name);
  if (!definition) fail(node, 'FILTER_UNKNOWN_FIELD', `filter_check called with nonexistent field ${node.name}`);
  const rule = definition.arg ?? { kind: 'none' };
  if (rule.kind === 'none' && arg !== undefined) {
    fail(node, 'FILTER_FIELD_ARG', `filter ${node.name} does not support arguments`);
  }
  if (rule.kind === 'required' && arg === undefined) {
    fail(node, 'FILTER_FIELD_ARG', `filter ${node.name} requires an argument`);
  }
  if (rule.kind !== 'none' && arg !== undefined) {
    if (rule.form === 'index' && !/^[0-9]+$/.test(arg)) {
      fail(node, 'FILTER_FIELD_ARG', `filter ${node.name}: argument '${arg}' is not a valid index`);
    }
    if (arg === '') fail(node, 'FILTER_FIELD_ARG', `filter ${node.name}: empty argument`);
  }
  return fieldOperand(node, definition, arg);
}

function fieldOperand<E>(node: FieldNode, definition: FieldDefinition<E>, arg: string | undefined): Operand<E> {
  const extract = definition.extract;
  return {
    type: definition.type,
    list: definition.list === true,
    noRhs: definition.noRhs === true,
    field: { definition, arg },
    extract: (event: E) => extract(event, arg),
    fields: [node.name],
  };
}

const decoder = new TextDecoder();

/** The text of a scalar, for transformers that work on strings. */
export function scalarText(v: FieldScalar): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return decoder.decode(v);
  return String(v);
}

function mapScalar(v: FieldValue, fn: (s: string) => string | undefined): FieldValue {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) {
    const out: FieldScalar[] = [];
    for (const x of v as FieldScalar[]) {
      const r = fn(scalarText(x));
      if (r !== undefined) out.push(r);
    }
    return out;
  }
  return fn(scalarText(v as FieldScalar));
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function b64decode(s: string): string | undefined {
  if (!BASE64.test(s)) return undefined;
  return Buffer.from(s, 'base64').toString('latin1');
}

function basename(s: string): string {
  const i = s.lastIndexOf('/');
  return i < 0 ? s : s.slice(i + 1);
}

/**
 * The arguments getopt reads: a list field (proc.args) as is; a command line (proc.cmdline) split
 * on blanks, without its first word, the program name.
 */
function argv(v: FieldValue): string[] | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return (v as FieldScalar[]).map(scalarText);
  return scalarText(v as FieldScalar).split(/\s+/).filter((s) => s.length > 0).slice(1);
}

/**
 * The value of option `opt` in `args` parsed with a getopt(3) option string: the option's
 * argument, `""` for a flag, undefined when absent. Parsing stops at `--` or the first operand.
 */
export function getoptValue(args: readonly string[], optstring: string, opt: string): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--' || !a.startsWith('-') || a === '-') break;
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      const at = optstring.indexOf(c);
      const takesArg = at >= 0 && optstring[at + 1] === ':';
      if (takesArg) {
        const value = j + 1 < a.length ? a.slice(j + 1) : args[++i];
        if (c === opt) found = value ?? '';
        break;
      }
      if (c === opt) found = '';
    }
  }
  return found;
}

export function resolveOperand<E>(
  node: FieldNode | TransformerNode,
  registry: FieldRegistry<E>,
  fail: Fail,
): Operand<E> {
  if (node.type === NodeType.Field) return resolveField(node, registry, fail);
  return resolveTransformer(node, registry, fail);
}

function resolveArg<E>(arg: TransformerArg, registry: FieldRegistry<E>, fail: Fail): Operand<E> | string {
  switch (arg.type) {
    case NodeType.Value:
      return arg.value;
    case NodeType.Field:
    case NodeType.Transformer: {
      const inner = resolveOperand(arg, registry, fail);
      if (inner.field?.definition.noTransformer) {
        fail(arg, 'FILTER_TRANSFORMER', `field ${inner.field.definition.name} does not support transformers`);
      }
      return inner;
    }
    case NodeType.ArgList:
      return fail(arg as unknown as ValueNode, 'FILTER_TRANSFORMER', 'a list argument is only valid for join()');
  }
}

/** Resolves a transformer's field or nested transformer argument, honouring `noTransformer`. */
function transformed<E>(node: TransformerNode, arg: TransformerArg, registry: FieldRegistry<E>, fail: Fail): Operand<E> {
  const inner = resolveOperand(arg as FieldNode | TransformerNode, registry, fail);
  if (inner.field?.definition.noTransformer) {
    fail(node, 'FILTER_TRANSFORMER', `field ${inner.field.definition.name} does not support transformers`);
  }
  return inner;
}

function requireText<E>(node: TransformerNode, operand: Operand<E>, fail: Fail): void {
  const cls = typeClass(operand.type);
  if (cls !== 'string' && cls !== 'bytebuf') {
    fail(node, 'FILTER_TRANSFORMER', `transformer '${node.name}' is not supported on field type ${operand.type}`);
  }
}

function resolveTransformer<E>(node: TransformerNode, registry: FieldRegistry<E>, fail: Fail): Operand<E> {
  if (node.arg !== undefined && node.name !== 'getopt') {
    fail(node, 'FILTER_TRANSFORMER', `transformer '${node.name}' does not take an argument`);
  }
  switch (node.name) {
    case 'val': {
      const inner = resolveOperand(node.args[0] as FieldNode, registry, fail);
      return { ...inner, field: undefined };
    }
    case 'tolower':
    case 'toupper':
    case 'b64':
    case 'basename': {
      const inner = transformed(node, node.args[0], registry, fail);
      requireText(node, inner, fail);
      const fn =
        node.name === 'tolower' ? (s: string) => s.toLowerCase()
        : node.name === 'toupper' ? (s: string) => s.toUpperCase()
        : node.name === 'b64' ? b64decode
        : basename;
      const get = inner.extract;
      const type: FieldType = typeClass(inner.type) === 'bytebuf' ? 'charbuf' : inner.type;
      return { type, list: inner.list, extract: (e) => mapScalar(get(e), fn), fields: inner.fields };
    }
    case 'len': {
      const inner = transformed(node, node.args[0], registry, fail);
      const get = inner.extract;
      if (inner.list) {
        return { type: 'uint64', list: false, extract: (e) => (get(e) as FieldScalar[] | undefined)?.length, fields: inner.fields };
      }
      requireText(node, inner, fail);
      const extract = (e: E): FieldValue => {
        const v = get(e);
        if (v === undefined) return undefined;
        return v instanceof Uint8Array ? v.length : Buffer.byteLength(scalarText(v as FieldScalar));
      };
      return { type: 'uint64', list: false, extract, fields: inner.fields };
    }
    case 'join': {
      const sep = (node.args[0] as ValueNode).value;
      const list = node.args[1];
      if (list.type !== NodeType.ArgList) return fail(node, 'FILTER_TRANSFORMER', 'join() expects a list of fields or values');
      const parts = list.elements.map((el) => resolveArg(el, registry, fail));
      return { type: 'charbuf', list: false, extract: (e) => joinParts(parts, e, sep), fields: collectFields(parts) };
    }
    case 'concat': {
      const parts = node.args.map((a) => resolveArg(a, registry, fail));
      return { type: 'charbuf', list: false, extract: (e) => joinParts(parts, e, ''), fields: collectFields(parts) };
    }
    case 'getopt': {
      const target = transformed(node, node.args[0], registry, fail);
      const optstring = (node.args[1] as ValueNode).value;
      const opt = node.arg;
      if (opt === undefined || opt.length !== 1) {
        return fail(node, 'FILTER_TRANSFORMER', "getopt() needs the option to read as its argument, e.g. getopt(proc.args, \"t:\")[t]");
      }
      const get = target.extract;
      const extract = (e: E): FieldValue => {
        const args = argv(get(e));
        return args && getoptValue(args, optstring, opt);
      };
      return { type: 'charbuf', list: false, extract, fields: target.fields };
    }
  }
}

function collectFields<E>(parts: (Operand<E> | string)[]): string[] {
  const out: string[] = [];
  for (const p of parts) if (typeof p !== 'string') out.push(...p.fields);
  return out;
}

function joinParts<E>(parts: readonly (Operand<E> | string)[], event: E, sep: string): string | undefined {
  let out = '';
  let first = true;
  for (const p of parts) {
    let texts: string[];
    if (typeof p === 'string') {
      texts = [p];
    } else {
      const v = p.extract(event);
      if (v === undefined) return undefined;
      texts = Array.isArray(v) ? (v as FieldScalar[]).map(scalarText) : [scalarText(v as FieldScalar)];
    }
    for (const t of texts) {
      out += first ? t : sep + t;
      first = false;
    }
  }
  return out;
}
