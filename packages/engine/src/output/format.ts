/**
 * Output formats (`output:` of a rule, `append_output`): text with `%field` tokens. A token is
 * `%` + optional width digits + a field name with an optional `[argument]`, or a transformer call
 * such as `%tolower(proc.name)`. Formats are parsed and compiled once per rule; rendering an event
 * walks the compiled segments.
 */

export interface LiteralSegment {
  readonly kind: 'text';
  readonly text: string;
}

export interface FieldSegment {
  readonly kind: 'field';
  /** The token as written after `%` and the width: `proc.aname[2]`, `tolower(proc.name)`. */
  readonly token: string;
  /** The field name without argument (for transformers: the innermost field). */
  readonly field: string;
  readonly arg?: string;
  /** Transformers applied outermost first, e.g. `['toupper']`. */
  readonly transformers: readonly string[];
  /** Minimum/maximum width of the rendered value; 0 when not given. */
  readonly width: number;
}

export type FormatSegment = LiteralSegment | FieldSegment;

export interface ParsedFormat {
  /** True when the format started with `*` (Falco: render only when all values are present). */
  readonly requireAll: boolean;
  readonly segments: readonly FormatSegment[];
}

export const OUTPUT_TRANSFORMERS = new Set(['tolower', 'toupper', 'b64', 'basename', 'len']);

function isFieldChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_.]/.test(c);
}

/**
 * Splits a format into text and field tokens. `isField(name)` says whether a name is a known
 * field; it lets a token end before trailing characters that are not part of any field name
 * (`%proc.name.` at the end of a sentence). Throws `Error('invalid formatting token X')` as Falco
 * does when a token names no field.
 */
export function parseFormat(format: string, isField: (name: string) => boolean): ParsedFormat {
  let requireAll = false;
  let i = 0;
  if (format.startsWith('*')) {
    requireAll = true;
    i = 1;
  }
  const segments: FormatSegment[] = [];
  let text = '';
  while (i < format.length) {
    const c = format[i]!;
    if (c !== '%') {
      text += c;
      i++;
      continue;
    }
    if (format[i + 1] === '%') {
      text += '%';
      i += 2;
      continue;
    }
    let j = i + 1;
    let width = 0;
    while (j < format.length && /[0-9]/.test(format[j]!)) {
      width = width * 10 + Number(format[j]);
      j++;
    }
    const parsed = parseToken(format, j, isField);
    if (!parsed) {
      let end = j;
      while (end < format.length && !/\s/.test(format[end]!)) end++;
      throw new Error(`invalid formatting token ${format.slice(j, end)}`);
    }
    if (text !== '') segments.push({ kind: 'text', text });
    text = '';
    segments.push({ ...parsed.segment, width });
    i = parsed.end;
  }
  if (text !== '') segments.push({ kind: 'text', text });
  return { requireAll, segments };
}

function parseToken(
  s: string,
  start: number,
  isField: (name: string) => boolean,
): { segment: Omit<FieldSegment, 'width'>; end: number } | undefined {
  // Transformer: name(inner)
  const m = /^([a-z0-9]+)\(/.exec(s.slice(start));
  if (m && OUTPUT_TRANSFORMERS.has(m[1]!)) {
    const inner = parseToken(s, start + m[0].length, isField);
    if (!inner || s[inner.end] !== ')') return undefined;
    const end = inner.end + 1;
    return {
      segment: {
        kind: 'field',
        token: s.slice(start, end),
        field: inner.segment.field,
        ...(inner.segment.arg !== undefined ? { arg: inner.segment.arg } : {}),
        transformers: [m[1]!, ...inner.segment.transformers],
      },
      end,
    };
  }
  let end = start;
  while (isFieldChar(s[end])) end++;
  let name = s.slice(start, end);
  // Trim trailing characters until the name is a known field (`%fd.name.` → `fd.name`).
  while (name.length > 0 && !isField(name)) name = name.slice(0, -1);
  if (name === '') return undefined;
  end = start + name.length;
  let arg: string | undefined;
  if (s[end] === '[') {
    const close = s.indexOf(']', end);
    if (close < 0) return undefined;
    arg = s.slice(end + 1, close);
    end = close + 1;
  }
  return {
    segment: {
      kind: 'field',
      token: s.slice(start, end),
      field: name,
      ...(arg !== undefined ? { arg } : {}),
      transformers: [],
    },
    end,
  };
}

/** The token names of a format, in order (`-L`'s `output_fields`). */
export function formatFieldNames(parsed: ParsedFormat): string[] {
  return parsed.segments.filter((s): s is FieldSegment => s.kind === 'field').map((s) => s.token);
}
