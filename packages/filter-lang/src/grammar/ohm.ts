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

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const ohm = require('ohm-js') as typeof Ohm;
