/**
 * Where a diagnostic points: a chain of locations from the rules file down to the item, key or
 * condition sub-expression at fault. Positions follow the YAML library convention Falco reports:
 * 0-based line and column, byte offset from the start of the content.
 */
import type { ItemType } from './messages';

export interface SourcePosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export interface Location {
  /** File name, or for condition expressions a quoted prefix of the condition text. */
  readonly name: string;
  readonly position: SourcePosition;
  readonly itemType: ItemType;
  readonly itemName: string;
}

const ORIGIN: SourcePosition = { offset: 0, line: 0, column: 0 };

export class LoadContext {
  private constructor(
    readonly locations: readonly Location[],
    /** Text the snippet is cut from when it is not the file itself (condition contexts). */
    readonly altContent: string | undefined,
  ) {}

  /** The context of a whole rules file. */
  static forFile(name: string): LoadContext {
    return new LoadContext([{ name, position: ORIGIN, itemType: 'rules content', itemName: '' }], undefined);
  }

  get fileName(): string {
    return this.locations[0]!.name;
  }

  get last(): Location {
    return this.locations[this.locations.length - 1]!;
  }

  /** A child location in the same file. */
  child(position: SourcePosition, itemType: ItemType, itemName = ''): LoadContext {
    return new LoadContext(
      [...this.locations, { name: this.fileName, position, itemType, itemName }],
      undefined,
    );
  }

  /**
   * A location inside a condition string. `pos` is the position reported by the condition
   * parser (offset into the condition, 1-based line/column); Falco adds it to the position of the
   * enclosing YAML value without adjusting the bases, and so do we.
   */
  inCondition(pos: SourcePosition, condition: string): LoadContext {
    let name = condition.length > 20 ? `"${condition.slice(0, 17)}..."` : `"${condition}"`;
    name = name.replace(/[\n\r]/g, ' ');
    const parent = this.last.position;
    const position = {
      offset: pos.offset + parent.offset,
      line: pos.line + parent.line,
      column: pos.column + parent.column,
    };
    return new LoadContext(
      [...this.locations, { name, position, itemType: 'condition expression', itemName: '' }],
      condition,
    );
  }

  /** Falco's multi-line "In rule 'x': (file:line:col)" trace. */
  asText(): string {
    let out = '';
    this.locations.forEach((loc, i) => {
      out += i === 0 ? 'In ' : '    ';
      out += loc.itemType;
      if (loc.itemName !== '') out += ` '${loc.itemName}'`;
      out += `: (${loc.name}:${loc.position.line}:${loc.position.column})\n`;
    });
    return out;
  }

  asJson(): { locations: LocationJson[] } {
    return {
      locations: this.locations.map((loc) => ({
        item_name: loc.itemName,
        item_type: loc.itemType,
        position: {
          column: loc.position.column,
          line: loc.position.line,
          name: loc.name,
          offset: loc.position.offset,
        },
      })),
    };
  }

  /**
   * The line of content around the last location with a caret under the position, at most
   * `width` characters wide (longer lines are cut and marked with `...`).
   */
  snippet(contents: ReadonlyMap<string, string>, width = 160): string {
    const loc = this.last;
    const fileContent = contents.get(loc.name);
    if (this.altContent === undefined && fileContent === undefined) {
      return `<No context for file + ${loc.name}>\n`;
    }
    const text = this.altContent ?? fileContent ?? '';
    if (text.length === 0) return '<No context available>\n';
    const half = Math.floor(width / 2);
    let pos = loc.position.offset;
    while (pos > 0 && (pos >= text.length || text[pos] === '\n')) pos--;
    let from = pos;
    while (from > 0 && text[from] !== '\n' && pos - from < half) from--;
    let to = pos;
    while (to < text.length - 1 && text[to] !== '\n' && to - pos < half) to++;
    if (from < text.length && text[from] === '\n') from++;
    if (to < text.length && text[to] === '\n') to--;
    let out = text.slice(from, to + 1);
    if (out.length === 0) return '<No context available>\n';
    if (pos - from >= half) out = '...' + out.slice(3);
    if (to - pos >= half) out = out.slice(0, out.length - 3) + '...';
    out += '\n';
    if (pos - from <= out.length - 1) out += ' '.repeat(Math.max(0, pos - from)) + '^\n';
    return out;
  }
}

export interface LocationJson {
  item_name: string;
  item_type: string;
  position: { column: number; line: number; name: string; offset: number };
}
