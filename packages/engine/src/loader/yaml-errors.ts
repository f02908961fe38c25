/**
 * YAML syntax errors worded as Falco reports them: Falco reads rules files with yaml-cpp, whose
 * exceptions read `yaml-cpp: error at line L, column C: <message>` (1-based). The yaml library
 * finds the same errors but names and places some differently; those whose yaml-cpp counterpart is
 * known are translated, the rest keep the library's wording in yaml-cpp's frame.
 */

export interface YamlSyntaxError {
  /** The yaml library's error code (`BLOCK_AS_IMPLICIT_KEY`, `MISSING_CHAR`, ...). */
  code: string;
  /** Offset where the library reports the error. */
  offset: number;
  /** The library's message (first line). */
  message: string;
}

export interface WordedYamlError {
  message: string;
  /** Offset the message points at. */
  offset: number;
}

/**
 * `a: b: c`: the library reports the nested key; yaml-cpp's scanner fails on the `:` after it,
 * where a map value is not allowed (yaml-cpp ErrorMsg::MAP_VALUE).
 */
function illegalMapValue(content: string, from: number): number | undefined {
  const lineEnd = content.indexOf('\n', from);
  const end = lineEnd < 0 ? content.length : lineEnd;
  for (let i = from; i < end; i++) {
    const next = content[i + 1];
    if (content[i] === ':' && (next === undefined || next === ' ' || next === '\t' || next === '\n' || next === '\r')) return i;
  }
  return undefined;
}

export function wordYamlError(content: string, err: YamlSyntaxError, lineColumn: (offset: number) => { line: number; column: number }): WordedYamlError {
  let offset = err.offset;
  let text = err.message.replace(/ at line \d+, column \d+:?$/, '');
  if (err.code === 'BLOCK_AS_IMPLICIT_KEY') {
    const colon = illegalMapValue(content, err.offset);
    if (colon !== undefined) {
      offset = colon;
      text = 'illegal map value';
    }
  }
  const { line, column } = lineColumn(offset);
  return { message: `yaml-cpp: error at line ${line + 1}, column ${column + 1}: ${text}`, offset };
}
