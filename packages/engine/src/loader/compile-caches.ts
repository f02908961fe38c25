/**
 * What the rules compiler reuses from earlier loads of the same engine. Every load recompiles all
 * files so far (as Falco does), so without these the rules of the first file would be expanded,
 * checked and compiled once per file loaded. Every key is immutable: condition text, ASTs (never
 * changed once built), sources and output format text; a cached value is therefore exactly what
 * computing it again would give. Diagnostics are cached without their load context and are
 * attached to the current rule's context each time they are reported.
 */
import type { Ast, FieldRegistry, Position } from '@falco-ts/filter-lang';
import type { EventSource } from '../source';
import type { CompiledFormat } from '../output/compiled-format';
import type { CompiledCondition } from './condition';

export interface Expansion {
  /** Every macro name looked up, with the macro AST it resolved to. */
  readonly lookups: ReadonlyMap<string, Ast>;
  readonly result: Ast;
}

/** A condition warning before it is placed in a rule's context. */
export interface PositionedWarning {
  readonly code: 'LOAD_DEPRECATED_ITEM' | 'LOAD_UNSAFE_NA_CHECK' | 'LOAD_COMPILE_CONDITION';
  readonly message: string;
  readonly position: Position;
}

/** The first `evt.type` value naming no event type of the source. */
export interface UnknownEventType {
  readonly name: string;
  readonly position: Position;
}

type Source = EventSource<unknown>;

export class CompileCaches {
  /** Condition text after list substitution → parsed AST. */
  readonly parsed = new Map<string, Ast>();
  /** Unexpanded AST → its macro expansion (valid while every looked-up macro is the same AST). */
  readonly expansions = new WeakMap<Ast, Expansion>();
  /** Expanded AST and field registry → compiled predicate and compiler warnings. */
  readonly conditions = new WeakMap<Ast, Map<FieldRegistry<unknown>, CompiledCondition<unknown>>>();
  /** Expanded AST → deprecated-field and `<NA>` comparison warnings (independent of the source). */
  readonly conditionWarnings = new WeakMap<Ast, readonly PositionedWarning[]>();
  /** Expanded AST and source → values that look like fields, and the first unknown event type. */
  readonly sourceChecks = new WeakMap<Ast, Map<Source, { valueWarnings: readonly PositionedWarning[]; unknownType: UnknownEventType | undefined }>>();
  /** Expanded AST and source → the event type codes the condition can match. */
  readonly eventCodes = new WeakMap<Ast, Map<Source, readonly number[]>>();
  /** Source and output format text → compiled format (only successful compilations). */
  readonly formats = new Map<Source, Map<string, CompiledFormat<unknown>>>();
}

/** The value for (ast, key) in a two-level cache, computed and stored on a miss. */
export function cachedByAst<K, V>(cache: WeakMap<Ast, Map<K, V>> | undefined, ast: Ast, key: K, compute: () => V): V {
  if (!cache) return compute();
  let byKey = cache.get(ast);
  if (byKey?.has(key)) return byKey.get(key)!;
  const value = compute();
  if (!byKey) {
    byKey = new Map();
    cache.set(ast, byKey);
  }
  byKey.set(key, value);
  return value;
}
