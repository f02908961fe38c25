/**
 * libsinsp's string escaping. Quoted strings are unescaped at parse time; the printer quotes and
 * escapes values that contain blanks, quotes, `=`, backslashes or control characters.
 */

export class EscapeError extends Error {
  /** Offset of the offending backslash within the quoted token. */
  readonly index: number;

  constructor(message: string, index: number) {
    super(message);
    this.index = index;
  }
}

/** Unescapes a quoted token, delimiters included (`"a\\tb"` → `a<TAB>b`). */
export function unescapeQuoted(token: string): string {
  const delimiter = token[0];
  const end = token.length - 1;
  let out = '';
  for (let i = 1; i < end; i++) {
    const c = token[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = token[++i];
    switch (next) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      // A backslash before a space stands for a backslash: older rules files wrote `\ ` meaning `\`.
      case ' ':
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case '"':
        if (delimiter !== '"') throw new EscapeError('invalid \\" escape in \'-quoted string', i - 1);
        out += '"';
        break;
      case "'":
        if (delimiter !== "'") throw new EscapeError('invalid \\\' escape in "-quoted string', i - 1);
        out += "'";
        break;
      default:
        throw new EscapeError(`unsupported string escape sequence: \\${next ?? ''}`, i - 1);
    }
  }
  return out;
}

/** Prints a value the way libsinsp's AST printer does: bare when safe, else double-quoted. */
export function escapeValue(value: string): string {
  // An empty string must stay visible (`evt.arg[""]`), so it is always quoted.
  if (value.length === 0) return '""';
  let out = '';
  let quote = false;
  for (const c of value) {
    switch (c) {
      case '\b': quote = true; out += '\\b'; break;
      case '\f': quote = true; out += '\\f'; break;
      case '\n': quote = true; out += '\\n'; break;
      case '\r': quote = true; out += '\\r'; break;
      case '\t': quote = true; out += '\\t'; break;
      case '\\': quote = true; out += '\\\\'; break;
      case '"': quote = true; out += '\\"'; break;
      case ' ':
      case '=':
      case "'":
      case '\0':
        quote = true;
        out += c;
        break;
      default:
        out += c;
    }
  }
  return quote ? `"${out}"` : out;
}
