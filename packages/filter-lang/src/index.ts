/**
 * @falco-ts/filter-lang: the Falco condition language — parser, canonical printer, and compiler
 * against a host-supplied field registry.
 */
export {
  NodeType,
  BINARY_OPERATORS,
  TRANSFORMER_NAMES,
  VISITOR_KEYS,
  build,
  isExpr,
  transform,
  walk,
  walkChecks,
} from './ast';
export type {
  AndNode,
  ArgListNode,
  Ast,
  BinaryCheckNode,
  BinaryOperator,
  CheckLeft,
  Expr,
  FieldNode,
  IdentifierNode,
  ListNode,
  Node,
  NotNode,
  OperatorModifier,
  OrNode,
  Position,
  SourceLocation,
  TransformerArg,
  TransformerName,
  TransformerNode,
  UnaryCheckNode,
  UnaryOperator,
  ValueNode,
  Visitor,
} from './ast';
export { parse, DEFAULT_MAX_DEPTH } from './parser';
export type { ParseOptions } from './parser';
export { print } from './printer';
export { escapeValue, unescapeQuoted } from './escaping';
export { FilterSyntaxError, FilterCompileError, codeFrame } from './errors';
export type { FilterErrorCode, FilterWarning } from './errors';
export {
  MapFieldRegistry,
  chainRegistries,
  NUMERIC_TYPES,
  STRING_TYPES,
  IPADDR_TYPES,
  IPNET_TYPES,
} from './fields';
export type {
  CustomCheck,
  FieldArgRule,
  FieldDefinition,
  FieldExtractor,
  FieldRegistry,
  FieldScalar,
  FieldType,
  FieldValue,
} from './fields';
export { compile, compileCondition } from './compiler/compile';
export type { CompileOptions, CompiledFilter } from './compiler/compile';
export { operatorAllowed } from './compiler/types';
