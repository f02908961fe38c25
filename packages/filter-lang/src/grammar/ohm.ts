/**
 * ohm-js ships one type declaration file inside an ES-module package while its `require` entry is
 * CommonJS. This package compiles to CommonJS, so the types are imported in import mode and the
 * runtime is loaded with `require`.
 */
import type * as Ohm from 'ohm-js' with { 'resolution-mode': 'import' };

export type {
  ActionDict,
  Grammar,
  MatchResult,
  FailedMatchResult,
  Node as OhmNode,
  Semantics,
} from 'ohm-js' with { 'resolution-mode': 'import' };

/**
 * Recipes are part of ohm's runtime API (its own bundled grammars are built from them) but absent
 * from its declarations: a grammar serialises to a recipe, and a recipe rebuilds the grammar
 * without parsing grammar source again.
 */
interface RecipeApi {
  makeRecipe(recipe: unknown): Ohm.Grammar;
}

/** A compiled grammar's recipe: JSON text. */
export function grammarRecipe(grammar: Ohm.Grammar): string {
  return (grammar as Ohm.Grammar & { toRecipe(): string }).toRecipe();
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const ohm = require('ohm-js') as typeof Ohm & RecipeApi;
