/**
 * Errors a condition's author can cause. Each carries a stable `code`, the position it refers to,
 * `reason` (the bare one-line text, worded as libsinsp words it, so hosts can compare with
 * Falco's messages), `shortMessage` (`line:column: reason`) and `message` (with a code frame).
 */
import type { Position } from './ast';

export type FilterErrorCode =
  | 'FILTER_EMPTY'
  | 'FILTER_SYNTAX'
  | 'FILTER_BAD_ESCAPE'
  | 'FILTER_DEPTH'
  | 'FILTER_UNKNOWN_FIELD'
  | 'FILTER_FIELD_ARG'
  | 'FILTER_OPERATOR'
  | 'FILTER_VALUE'
  | 'FILTER_TRANSFORMER'
  | 'FILTER_UNRESOLVED';

abstract class FilterError extends Error {
  abstract override readonly name: string;
  readonly code: FilterErrorCode;
  readonly position: Position;
  /** The problem in one line, without position. */
  readonly reason: string;
  /** `line:column: reason`. */
  readonly shortMessage: string;

  constructor(code: FilterErrorCode, reason: string, position: Position, source: string | undefined, found?: string) {
    const short = `${position.line}:${position.column}: ${reason}`;
    const first = found ? `${short} (${found})` : short;
    super(source === undefined ? first : `${first}\n${codeFrame(source, position)}`);
    this.code = code;
    this.reason = reason;
    this.position = position;
    this.shortMessage = short;
  }
}

/** The condition text does not follow the grammar. */
export class FilterSyntaxError extends FilterError {
  override readonly name = 'FilterSyntaxError';
  /** What the parser would have accepted at `position`, e.g. `"and"`, `a field name`. */
  readonly expected: readonly string[];

  constructor(
    code: FilterErrorCode,
    reason: string,
    position: Position,
    source: string,
    expected: readonly string[] = [],
    found?: string,
  ) {
    super(code, reason, position, source, found);
    this.expected = expected;
  }
}

/** The condition parses but cannot be compiled against the field registry. */
export class FilterCompileError extends FilterError {
  override readonly name = 'FilterCompileError';
}

/** A compile warning: the condition compiles, but probably does not mean what it says. */
export interface FilterWarning {
  code: 'FIELD_NAME_AS_VALUE' | 'REGEX_COULD_BE_PLAIN';
  message: string;
  position: Position;
}

/** Three lines of context with a caret under the offending column. */
export function codeFrame(source: string, position: Position): string {
  const lines = source.split(/\r\n|\r|\n/);
  const index = Math.min(position.line - 1, lines.length - 1);
  const out: string[] = [];
  const width = String(index + 2).length;
  for (let i = Math.max(0, index - 1); i <= Math.min(lines.length - 1, index + 1); i++) {
    const text = lines[i].replace(/[\t\b]/g, ' ');
    out.push(`${i === index ? '>' : ' '} ${String(i + 1).padStart(width)} | ${text}`);
    if (i === index) out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, position.column - 1))}^`);
  }
  return out.join('\n');
}

export const errors = {
  empty(source: string): FilterSyntaxError {
    return new FilterSyntaxError('FILTER_EMPTY', 'filter input string is empty', { offset: 0, line: 1, column: 1 }, source);
  },
  syntax(reason: string, position: Position, source: string, expected: readonly string[], found: string): FilterSyntaxError {
    return new FilterSyntaxError('FILTER_SYNTAX', reason, position, source, expected, found);
  },
  badEscape(reason: string, position: Position, source: string): FilterSyntaxError {
    return new FilterSyntaxError('FILTER_BAD_ESCAPE', reason, position, source);
  },
  depth(max: number, position: Position, source: string): FilterSyntaxError {
    return new FilterSyntaxError('FILTER_DEPTH', `exceeded max depth limit of ${max}`, position, source);
  },
  compile(code: FilterErrorCode, reason: string, position: Position, source?: string): FilterCompileError {
    return new FilterCompileError(code, reason, position, source);
  },
};
