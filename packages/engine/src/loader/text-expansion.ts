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
 * the new text and whether anything was replaced.
 */
export function substituteList(cond: string, name: string, items: readonly string[]): { text: string; used: boolean } {
  let used = false;
  let start = cond.indexOf(name);
  while (start !== -1) {
    let end = start + name.length;
    const before = start === 0 || DELIMS.includes(cond[start - 1]!);
    const after = end >= cond.length || DELIMS.includes(cond[end]!);
    if (before && after) {
      while (start > 0 && BLANKS.includes(cond[start - 1]!)) start--;
      while (end < cond.length && BLANKS.includes(cond[end]!)) end++;
      const sub = items.map(quoteItem).join(', ');
      if (sub === '') {
        // An empty list must not leave a dangling comma behind.
        if (start > 0 && cond[start - 1] === ',') start--;
        else if (end < cond.length && cond[end] === ',') end++;
      }
      let next = '';
      if (start > 0) next += cond.slice(0, start) + ' ';
      next += sub + ' ';
      if (end <= cond.length) next += cond.slice(end);
      cond = next;
      start += sub.length + 1;
      used = true;
    }
    start = cond.indexOf(name, start + 1);
  }
  return { text: cond, used };
}
