/**
 * `compile(ast, registry)`: type-checks a condition against a host's field registry and turns it
 * into one straight-line JavaScript predicate.
 *
 * The boolean structure becomes a single generated function (`a && (b || !c)`) whose checks are
 * inlined for the common cases (string equality, numeric comparison, set membership) and call a
 * prebuilt test otherwise. Every constant, extractor and test is passed into the generated code
 * as a closure variable (`s0`, `s1`, ...): the generated source contains only names and
 * operators the compiler writes itself, never text from the condition, so a condition cannot
 * inject code.
 */
import {
  NodeType,
  type Ast,
  type BinaryCheckNode,
  type Expr,
  type FieldNode,
  type TransformerNode,
  type UnaryCheckNode,
  type ValueNode,
} from '../ast';
import { errors, type FilterCompileError, type FilterWarning } from '../errors';
import type { FieldRegistry, FieldScalar, FieldValue } from '../fields';
import { parse } from '../parser';
import { dynamicCompare } from './dynamic';
import { pathPrefixMatcher } from './matchers';
import { resolveOperand, type Fail, type Operand } from './operands';
import { membershipSet, membershipTest, modifierTest, RegexError, scalarTest, type ScalarTest } from './tests';
import { operatorAllowed, parseConstant, typeClass, ValueError, type Constant, type TypeClass } from './types';
import { collectWarnings } from './warnings';

export interface CompileOptions {
  /** The condition text, for code frames in error messages. */
  source?: string;
  /**
   * Build the JavaScript function on the first call of the predicate rather than now. Type
   * checking, errors and warnings are unchanged (they happen now); only V8's parsing and
   * compiling of the generated code is deferred, which a rule set pays for every rule although
   * most rules never see an event of their types in a given run.
   */
  lazy?: boolean;
}

export interface CompiledFilter<E> {
  /** True when the event satisfies the condition. Never throws for a missing field. */
  predicate: (event: E) => boolean;
  warnings: FilterWarning[];
  /** Every field the condition reads, in first-use order. */
  fields: string[];
  /** The generated body, for debugging and tests. */
  code: string;
}

const LIST_OPERATORS = new Set(['in', 'intersects', 'pmatch']);

class Codegen<E> {
  readonly slots: unknown[] = [];
  readonly fields: string[] = [];

  constructor(
    private readonly registry: FieldRegistry<E>,
    private readonly source: string | undefined,
  ) {}

  readonly fail: Fail = (node, code, reason) => {
    throw errors.compile(code, reason, node.loc.start, this.source);
  };

  private failAt(node: Expr, code: FilterCompileError['code'], reason: string): never {
    throw errors.compile(code, reason, node.loc.start, this.source);
  }

  private slot(value: unknown): string {
    this.slots.push(value);
    return `s${this.slots.length - 1}`;
  }

  expr(node: Expr): string {
    switch (node.type) {
      case NodeType.And:
        return `(${node.children.map((c) => this.expr(c)).join(' && ')})`;
      case NodeType.Or:
        return `(${node.children.map((c) => this.expr(c)).join(' || ')})`;
      case NodeType.Not:
        return `!${this.expr(node.child)}`;
      case NodeType.Identifier:
        return this.failAt(node, 'FILTER_UNRESOLVED', `Undefined macro '${node.name}' used in filter.`);
      case NodeType.UnaryCheck:
        return this.unary(node);
      case NodeType.BinaryCheck:
        return this.binary(node);
    }
  }

  private operand(node: FieldNode | TransformerNode): Operand<E> {
    const operand = resolveOperand(node, this.registry, this.fail);
    for (const f of operand.fields) if (!this.fields.includes(f)) this.fields.push(f);
    return operand;
  }

  /** Code that evaluates to the operand's value for event `e`. */
  private extraction(operand: Operand<E>): string {
    if (operand.field) {
      return `${this.slot(operand.field.definition.extract)}(e, ${this.slot(operand.field.arg)})`;
    }
    return `${this.slot(operand.extract)}(e)`;
  }

  private checkOperator(node: Expr, operand: Operand<E>, op: BinaryCheckNode['operator'] | 'exists'): void {
    const allowedByField = operand.field?.definition.operators;
    const fieldName = operand.field?.definition.name;
    if (allowedByField && !allowedByField.includes(op)) {
      this.failAt(node, 'FILTER_OPERATOR', `operator '${op}' is not supported by field ${fieldName}`);
    }
    if (!operatorAllowed(operand.type, op)) {
      this.failAt(node, 'FILTER_OPERATOR', `operator '${op}' not supported on field type ${operand.type}`);
    }
    if (operand.list && op !== 'exists' && op !== 'in' && op !== 'intersects') {
      this.failAt(node, 'FILTER_OPERATOR', `operator '${op}' not supported on list field ${fieldName ?? ''}`.trimEnd());
    }
  }

  private unary(node: UnaryCheckNode): string {
    const operand = this.operand(node.left);
    this.checkOperator(node, operand, 'exists');
    const custom = operand.field?.definition.customCheck;
    if (custom) return `${this.slot(custom({ operator: 'exists', values: [], list: false, arg: operand.field?.arg, node }))}(e)`;
    return `(${this.extraction(operand)} !== undefined)`;
  }

  private constant(node: ValueNode, operand: Operand<E>, op: BinaryCheckNode['operator']): Constant {
    try {
      return parseConstant(node.value, operand.type, op);
    } catch (e) {
      if (e instanceof ValueError) return this.fail(node, 'FILTER_VALUE', e.message);
      throw e;
    }
  }

  private test(node: Expr, build: () => ScalarTest): ScalarTest {
    try {
      return build();
    } catch (e) {
      if (e instanceof RegexError) return this.failAt(node, 'FILTER_VALUE', e.message);
      throw e;
    }
  }

  private binary(node: BinaryCheckNode): string {
    const operand = this.operand(node.left);
    const op = node.operator;
    this.checkOperator(node, operand, op);
    const x = this.extraction(operand);
    const right = node.right;

    if (right.type === NodeType.Transformer) {
      const other = this.operand(right);
      const cls = typeClass(operand.type);
      if (operand.noRhs || other.noRhs || operand.field?.definition.customCheck) {
        this.failAt(node, 'FILTER_OPERATOR', 'field-to-field comparison is not supported by this field');
      }
      if (typeClass(other.type) !== cls) {
        this.failAt(
          node,
          'FILTER_OPERATOR',
          `cannot compare a ${operand.type} field with a ${other.type} field`,
        );
      }
      const compare = (a: FieldValue, b: FieldValue): boolean => dynamicCompare(op, cls, a, b);
      return `((v = ${x}) !== undefined && (w = ${this.extraction(other)}) !== undefined && ${this.slot(compare)}(v, w))`;
    }

    const cls = typeClass(operand.type);
    const values: ValueNode[] = right.type === NodeType.List ? right.items : [right];
    const custom = operand.field?.definition.customCheck;
    if (custom) {
      // Values must still parse as the field's type (`bstartswith g` is an error everywhere).
      for (const v of values) this.constant(v, operand, op);
      const check = {
        operator: op,
        modifier: node.modifier,
        values: values.map((v) => v.value),
        list: right.type === NodeType.List,
        arg: operand.field?.arg,
        node,
      };
      return `${this.slot(custom(check))}(e)`;
    }
    if (right.type === NodeType.List && !LIST_OPERATORS.has(op) && !node.modifier) {
      this.failAt(node, 'FILTER_OPERATOR', `operator '${op}' does not take a list of values`);
    }
    const constants = values.map((v) => this.constant(v, operand, op));

    let test: ScalarTest;
    if (node.modifier) {
      const modifier = node.modifier;
      test = this.test(node, () => modifierTest(modifier, constants.map((k) => scalarTest(op, cls, k))));
    } else if (op === 'pmatch') {
      const m = pathPrefixMatcher(constants as string[]);
      test = (v) => m(v as string);
    } else if (LIST_OPERATORS.has(op)) {
      if (!operand.list && (cls === 'string' || cls === 'bool' || cls === 'numeric')) {
        return `((v = ${x}) !== undefined && ${this.slot(membershipSet(cls, constants))}.has(v))`;
      }
      test = membershipTest(cls, constants);
    } else {
      const k = constants[0];
      const inline = this.inline(op, cls, x, k);
      if (inline !== undefined) return inline;
      test = this.test(node, () => scalarTest(op, cls, k));
    }

    if (operand.list) {
      const t = test;
      const every = op === 'in';
      const listTest = (list: readonly FieldScalar[]): boolean => {
        if (list.length === 0) return false;
        if (every) {
          for (const item of list) if (!t(item)) return false;
          return true;
        }
        for (const item of list) if (t(item)) return true;
        return false;
      };
      return `((v = ${x}) !== undefined && ${this.slot(listTest)}(v))`;
    }
    return `((v = ${x}) !== undefined && ${this.slot(test)}(v))`;
  }

  /** Inline code for the checks rules use most; undefined when a prebuilt test is needed. */
  private inline(op: BinaryCheckNode['operator'], cls: TypeClass, x: string, k: Constant): string | undefined {
    if (cls === 'string' || cls === 'bool') {
      const c = this.slot(k);
      switch (op) {
        case '=':
        case '==':
          return `(${x} === ${c})`;
        case '!=':
          return `((v = ${x}) !== undefined && v !== ${c})`;
        default:
          break;
      }
      if (cls === 'string') {
        switch (op) {
          case 'contains': return `((v = ${x}) !== undefined && v.includes(${c}))`;
          case 'startswith': return `((v = ${x}) !== undefined && v.startsWith(${c}))`;
          case 'endswith': return `((v = ${x}) !== undefined && v.endsWith(${c}))`;
          default: return undefined;
        }
      }
      return undefined;
    }
    if (cls === 'numeric') {
      const c = this.slot(k);
      switch (op) {
        case '=': case '==': return `((v = ${x}) !== undefined && v == ${c})`;
        case '!=': return `((v = ${x}) !== undefined && v != ${c})`;
        case '<': return `((v = ${x}) !== undefined && v < ${c})`;
        case '<=': return `((v = ${x}) !== undefined && v <= ${c})`;
        case '>': return `((v = ${x}) !== undefined && v > ${c})`;
        case '>=': return `((v = ${x}) !== undefined && v >= ${c})`;
        default: return undefined;
      }
    }
    return undefined;
  }
}

/**
 * Compiles a parsed condition against `registry`. Throws FilterCompileError for unknown fields,
 * bad arguments, operators a field type does not support, values that do not parse as the
 * field's type, invalid regular expressions and unexpanded macros.
 */
export function compile<E>(ast: Ast, registry: FieldRegistry<E>, options: CompileOptions = {}): CompiledFilter<E> {
  const gen = new Codegen<E>(registry, options.source);
  const body = gen.expr(ast);
  const names = gen.slots.map((_, i) => `s${i}`);
  const code =
    `"use strict";\n` +
    (names.length > 0 ? `const [${names.join(', ')}] = slots;\n` : '') +
    `return function predicate(e) {\n  let v, w;\n  return ${body};\n};`;
   
  const build = (): ((event: E) => boolean) => {
    const factory = new Function('slots', code) as (slots: unknown[]) => (event: E) => boolean;
    return factory(gen.slots);
  };
  let predicate: (event: E) => boolean;
  if (options.lazy) {
    let built: ((event: E) => boolean) | undefined;
    predicate = (event: E): boolean => (built ??= build())(event);
  } else {
    predicate = build();
  }
  return {
    predicate,
    warnings: collectWarnings(ast, registry),
    fields: gen.fields,
    code,
  };
}

/** Parses and compiles in one step; `source` for error frames is the text itself. */
export function compileCondition<E>(text: string, registry: FieldRegistry<E>): CompiledFilter<E> {
  return compile(parse(text), registry, { source: text });
}

