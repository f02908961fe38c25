/**
 * The one place the loader calls filter-lang's compiler, so the rest of the loader depends only on
 * this narrow shape: a predicate over events and positioned warnings.
 */
import { compile, type Ast, type FieldRegistry, type Position } from '@falco-ts/filter-lang';

export type ConditionPredicate<E> = (event: E) => boolean;

export interface CompiledCondition<E> {
  predicate: ConditionPredicate<E>;
  warnings: { code: string; message: string; position: Position }[];
}

/**
 * Throws filter-lang's FilterCompileError for conditions that do not type-check. The predicate's
 * JavaScript is built on its first call: a run evaluates only the rules whose event types it
 * sees, so the others never pay for it.
 */
export function compileCondition<E>(ast: Ast, registry: FieldRegistry<E>): CompiledCondition<E> {
  const compiled = compile(ast, registry, { lazy: true });
  return {
    predicate: compiled.predicate,
    warnings: compiled.warnings.map((w) => ({ code: w.code, message: w.message, position: w.position })),
  };
}
