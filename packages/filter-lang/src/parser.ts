/**
 * `parse(text)`: condition text → AST, or a FilterSyntaxError naming line:column, the offending
 * text and what was expected.
 */
import type * as OhmGrammarModule from './grammar/ohm';
import type { FailedMatchResult, Grammar, MatchResult, OhmNode, Semantics } from './grammar/ohm';
import type { Ast } from './ast';
import type { FilterSyntaxError } from './errors';
import { errors } from './errors';
import { unescapeQuoted } from './escaping';
import { parseFast } from './fast-parser';
import type * as FilterGrammarModule from './grammar/generated/filter-grammar';
import { createToAst, LineMap, SemanticSyntaxError, type ToAstContext } from './semantics/to-ast';

export interface ParseOptions {
  /** libsinsp's recursion limit (default 100). */
  maxDepth?: number;
}

export const DEFAULT_MAX_DEPTH = 100;

let context: ToAstContext = { lines: new LineMap(''), maxDepth: DEFAULT_MAX_DEPTH };
let grammarPath: { readonly grammar: Grammar; readonly semantics: Semantics } | undefined;

/**
 * The grammar path is built on first use. The fast path reads most conditions (all of the
 * default rules), so loading ohm and rebuilding the grammar (~20 ms) at import would be start-up
 * time most runs never need. Rebuilt from the embedded recipe: compiling the grammar source
 * costs ~250 ms.
 */
function loadGrammarPath(): { readonly grammar: Grammar; readonly semantics: Semantics } {
  if (!grammarPath) {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { ohm } = require('./grammar/ohm') as typeof OhmGrammarModule;
    const { FILTER_GRAMMAR_RECIPE } = require('./grammar/generated/filter-grammar') as typeof FilterGrammarModule;
    /* eslint-enable @typescript-eslint/no-require-imports */
    const grammar = ohm.makeRecipe(JSON.parse(FILTER_GRAMMAR_RECIPE));
    grammarPath = { grammar, semantics: createToAst(grammar, () => context) };
  }
  return grammarPath;
}

/**
 * Rules that correspond to one recursive call in libsinsp's parser; their nesting is what its
 * depth guard counts.
 */
const DEPTH_RULES = new Set([
  'orExpr', 'andExpr', 'notExpr', 'embedded', 'check', 'condition', 'numRhs', 'strRhs', 'listRhs',
  'transformerOrVal', 'transformerCall', 'fieldRef',
]);

/**
 * Conditions in the common subset are read by the hand-written parser in `fast-parser.ts`, which
 * builds the same AST; everything else (and every syntax error) goes through the ohm grammar.
 */
export function parse(text: string, options: ParseOptions = {}): Ast {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (text.length === 0) throw errors.empty(text);
  const lines = new LineMap(text);
  // Conditions that could reach the depth limit take the grammar path, which checks it exactly.
  if (!mayReachDepth(text, maxDepth)) {
    const fast = parseFast(text, lines);
    if (fast) return fast;
  }
  return parseWithGrammar(text, maxDepth, lines);
}

/** The grammar path alone (also what the fast path is tested against). */
export function parseWithGrammar(text: string, maxDepth: number = DEFAULT_MAX_DEPTH, lines: LineMap = new LineMap(text)): Ast {
  if (text.length === 0) throw errors.empty(text);
  const deep = mayReachDepth(text, maxDepth);
  const { grammar, semantics } = loadGrammarPath();
  let match: MatchResult;
  try {
    match = grammar.match(text, 'filter');
  } catch (e) {
    // Pathological nesting overflows the matcher's stack long before any real condition would.
    if (e instanceof RangeError) throw errors.depth(maxDepth, lines.position(0), text);
    throw e;
  }
  if (match.failed()) throw syntaxError(match, text, lines);
  const cst = semantics(match) as unknown as OhmNode & Record<string, () => unknown>;
  if (deep) checkDepth(cst, text, lines, maxDepth);
  const previous = context;
  context = { lines, maxDepth };
  try {
    return cst['ast']() as Ast;
  } catch (e) {
    if (e instanceof SemanticSyntaxError) {
      const at = lines.position(e.offset);
      throw e.kind === 'escape' ? errors.badEscape(e.reason, at, text) : errors.depth(maxDepth, at, text);
    }
    throw e;
  } finally {
    context = previous;
  }
}

/**
 * Each level of parentheses costs at most 5 levels of libsinsp recursion and a check adds at most
 * 8 more (transformer chains count as parentheses), so inputs with shallow nesting cannot reach
 * the limit and skip the exact walk.
 */
function mayReachDepth(text: string, maxDepth: number): boolean {
  let open = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40) deepest = Math.max(deepest, ++open);
    else if (c === 41) open--;
  }
  return 5 * deepest + 12 >= maxDepth;
}

const RHS_RULES = new Set(['numRhs', 'strRhs', 'listRhs']);

function checkDepth(root: OhmNode, text: string, lines: LineMap, maxDepth: number): void {
  // Iterative walk: the depth being checked is exactly what must not overflow our own stack.
  const stack: [OhmNode, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    const here = DEPTH_RULES.has(node.ctorName) ? depth + 1 : depth;
    // Reading a right-hand side always first tries a transformer, one level deeper, even when
    // the value turns out to be a plain one: that transient level counts too.
    const peak = RHS_RULES.has(node.ctorName) ? here + 1 : here;
    if (peak >= maxDepth) throw errors.depth(maxDepth, lines.position(node.source.startIdx), text);
    for (const child of node.children) stack.push([child, here]);
  }
}

const OPERATORS_TEXT =
  "'exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', " +
  "'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch'";

/** Present on failed matches at run time, though not in ohm's declarations. */
interface Failure {
  getText(): string;
}

function syntaxError(match: FailedMatchResult, text: string, lines: LineMap): FilterSyntaxError {
  const offset = match.getRightmostFailurePosition();
  const failures = (match as FailedMatchResult & { getRightmostFailures(): Failure[] }).getRightmostFailures();
  const expected = [...new Set(failures.map((f) => f.getText()))];
  const position = lines.position(offset);
  const found = offset < text.length ? `found ${JSON.stringify(text.slice(offset, offset + 16))}` : 'found the end of the condition';
  return errors.syntax(describe(expected, text, offset), position, text, expected, found);
}

const TRANSFORMERS_TEXT = "'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'";

/**
 * The token before `offset`, as libsinsp names the last token it read: a closing parenthesis, a
 * quoted string's value, or the run of characters since the last blank, parenthesis, `=` or `,`
 * (`evt.type=execve foo` → `execve`).
 */
function previousToken(text: string, offset: number): string {
  const before = text.slice(0, offset).replace(/[ \t\b\r\n]+$/, '');
  if (before.endsWith(')')) return ')';
  const quoted = /("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')$/.exec(before);
  if (quoted) {
    try {
      return unescapeQuoted(quoted[1]);
    } catch {
      return quoted[1];
    }
  }
  const m = /([^ \t\b\r\n()=,"']+)$/.exec(before);
  return m ? m[1] : '';
}

/** Words the failure in libsinsp's terms, from what the grammar expected at the failure. */
function describe(expected: readonly string[], text: string, offset: number): string {
  const has = (s: string): boolean => expected.includes(s);
  if (has('a field argument')) return 'expected a valid field argument: a quoted string or a bare string';
  if (has('an operator')) return `expected a valid check operator: one of ${OPERATORS_TEXT}`;
  if (has(']')) return "expected a ']' token";
  if (has('a list')) return `expected a list, an identifier, or a field with a valid transformer: ${TRANSFORMERS_TEXT}`;
  if (has('an identifier') || has('a field')) return "expected a '(' token, a field check, or an identifier";
  if (has('a number') && !has('a string')) return `expected a number value or a field with a valid transformer: ${TRANSFORMERS_TEXT}`;
  if (has('a string') || has('a quoted string')) return `expected a string value or a field with a valid transformer: ${TRANSFORMERS_TEXT}`;
  if (has('a field or a nested transformer')) return `expected a field or a nested valid transformer: ${TRANSFORMERS_TEXT}`;
  if (has('end of input')) return `unexpected token after '${previousToken(text, offset)}', expecting 'or', 'and'`;
  if (has(')')) return "expected a ')' token";
  if (has('(')) return `expected blank or '(' after '${previousToken(text, offset)}'`;
  return `expected ${expected.join(', ') || 'something else'}`;
}
