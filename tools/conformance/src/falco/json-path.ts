/**
 * Paths of `stdout_json_checks`: `a.b[0].c`, where each dotted segment is a JSON object key and
 * `[n]` indexes an array.
 */
export interface PathLookup {
  found: boolean;
  value: unknown;
}

type Step = string | number;

export function parsePath(path: string): Step[] {
  const steps: Step[] = [];
  for (const segment of path.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(segment);
    if (!m) {
      steps.push(segment);
      continue;
    }
    if (m[1] !== '') steps.push(m[1] as string);
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) steps.push(Number(idx[1]));
  }
  return steps;
}

export function lookupPath(doc: unknown, path: string): PathLookup {
  let cur: unknown = doc;
  for (const step of parsePath(path)) {
    if (typeof step === 'number') {
      if (!Array.isArray(cur) || step >= cur.length) return { found: false, value: undefined };
      cur = cur[step];
    } else {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, step)) {
        return { found: false, value: undefined };
      }
      cur = (cur as Record<string, unknown>)[step];
    }
  }
  return { found: true, value: cur };
}
