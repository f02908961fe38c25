/**
 * The textual steps Falco applies to a condition before parsing it: exceptions appended as text,
 * and list names replaced by their items. Both work on strings, not on the AST, and keep Falco's
 * quirks: an item is quoted only when it contains a space and does not already start with a
 * quote; a list name is replaced wherever it stands between delimiters, even inside quoted
 * strings or as an operand that was meant as a value.
 */
import type { ExceptionInfo } from './infos';
import { LoadError } from './load-error';
import { isListComparison } from './operators';

export function quoteItem(item: string): string {
  if (item.includes(' ') && item[0] !== '"' && item[0] !== "'") return `"${item}"`;
  return item;
}

function parenItem(item: string): string {
  return item[0] !== '(' ? `(${item})` : item;
}

/**
 * The rule condition with its exceptions appended (`(cond) and not (...)`), plus the set of
 * fields the exceptions use.
 */
export function appendExceptions(condition: string, exceptions: readonly ExceptionInfo[]): { condition: string; fields: Set<string> } {
  const fields = new Set<string>();
  let out = `(${condition})`;
  for (const ex of exceptions) {
    const exFields = ex.fields;
    const comps = ex.comps;
    if (!exFields || !comps) continue;
    let icond = '';
    if (!exFields.isList) {
      for (const val of ex.values) {
        if (val.isList) throw new LoadError('LOAD_ERR_VALIDATE', 'Expected values array to contain a list of strings', ex.ctx);
        icond += icond === '' ? `(${exFields.item} ${comps.item} (` : ', ';
        fields.add(exFields.item);
        icond += quoteItem(val.item);
      }
      icond += icond === '' ? '' : '))';
    } else {
      icond = '(';
      for (const values of ex.values) {
        if (exFields.items.length !== values.items.length) {
          throw new LoadError('LOAD_ERR_VALIDATE', 'Fields and values lists must have equal length', ex.ctx);
        }
        icond += icond === '(' ? '' : ' or ';
        icond += '(';
        exFields.items.forEach((field, k) => {
          icond += k === 0 ? '' : ' and ';
          const value = values.items[k]!;
          const comp = comps.items[k]?.item ?? '=';
          let rhs: string;
          if (value.isList) {
            rhs = '(' + value.items.map((v) => quoteItem(v.item)).join(', ') + ')';
          } else {
            rhs = isListComparison(comp) ? parenItem(value.item) : quoteItem(value.item);
          }
          icond += ` ${field.item} ${comp} ${rhs}`;
          fields.add(field.item);
        });
        icond += ')';
      }
      icond += ')';
      if (icond === '()') icond = '';
    }
    if (icond !== '') out += ` and not ${icond}`;
  }
  return { condition: out, fields };
}

const BLANKS = ' \t\n\r';
const DELIMS = BLANKS + '(),=';

/**
 * Replaces every delimited occurrence of `name` in `cond` by the comma-separated items. Returns
 * the new text and how many occurrences were replaced.
 *
 * Falco rewrites the whole string at each occurrence; the result is built here in one pass
 * instead (a condition naming a long list many times would otherwise cost occurrences × length):
 * the text so far is kept as chunks, of which only trailing blanks and one comma are ever taken
 * back, and the rest is read from `cond`.
 */
export function substituteList(cond: string, name: string, items: readonly string[]): { text: string; replaced: number } {
  let start = cond.indexOf(name);
  if (start === -1) return { text: cond, replaced: 0 };
  const sub = items.map(quoteItem).join(', ');
  const out: string[] = [];
  let outLength = 0;
  /** Start of the part of `cond` not yet copied to `out`. */
  let pos = 0;
  let replaced = 0;
  const charBefore = (at: number): string | undefined => (at > pos ? cond[at - 1] : out.length > 0 ? out[out.length - 1]!.slice(-1) : undefined);
  const takeBack = (at: number): number => {
    if (at > pos) return at - 1;
    const last = out[out.length - 1]!;
    if (last.length === 1) out.pop();
    else out[out.length - 1] = last.slice(0, -1);
    outLength--;
    return at;
  };
  while (start !== -1) {
    let end = start + name.length;
    const prev = charBefore(start);
    const before = prev === undefined || DELIMS.includes(prev);
    const after = end >= cond.length || DELIMS.includes(cond[end]!);
    if (!(before && after)) {
      start = cond.indexOf(name, start + 1);
      continue;
    }
    for (let c = charBefore(start); c !== undefined && BLANKS.includes(c); c = charBefore(start)) start = takeBack(start);
    while (end < cond.length && BLANKS.includes(cond[end]!)) end++;
    if (sub === '') {
      // An empty list must not leave a dangling comma behind.
      if (charBefore(start) === ',') start = takeBack(start);
      else if (end < cond.length && cond[end] === ',') end++;
    }
    if (start > pos) {
      out.push(cond.slice(pos, start));
      outLength += start - pos;
    }
    const atStart = outLength === 0;
    const piece = atStart ? `${sub} ` : ` ${sub} `;
    out.push(piece);
    outLength += piece.length;
    pos = end;
    replaced++;
    // As in Falco, the search goes on after the space that follows the items (one character
    // further when they were put at the very start).
    start = cond.indexOf(name, atStart ? end + 1 : end);
  }
  out.push(cond.slice(pos));
  return { text: out.join(''), replaced };
}
