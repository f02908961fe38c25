/**
 * Bounds on what one rules file may cost to load. Each is far above what real rules files need
 * (falcosecurity/rules 5.1.0: 160 KB, YAML nested 5 deep, no condition above a few thousand
 * nodes once expanded), and a file past one fails with a positioned error instead of taking
 * minutes or the process's memory. See docs/reliability.md.
 */
export interface LoadLimits {
  /** Largest rules file, in characters of text. */
  readonly maxDocumentBytes: number;
  /** Deepest nesting of YAML collections (aliases count as the node they stand for). */
  readonly maxYamlDepth: number;
  /** Deepest nesting of a condition, as written and after macros are expanded into it. */
  readonly maxConditionDepth: number;
  /**
   * Most nodes one expansion may produce: YAML nodes brought in by aliases (per document), the
   * items of a list after the lists it names are expanded, and the nodes of a rule's condition
   * after lists and macros are expanded.
   */
  readonly maxExpansionNodes: number;
}

export const DEFAULT_LOAD_LIMITS: LoadLimits = {
  maxDocumentBytes: 64 * 1024 * 1024,
  maxYamlDepth: 128,
  maxConditionDepth: 1000,
  maxExpansionNodes: 1_000_000,
};

/** The limits with `overrides` applied (undefined entries keep the default). */
export function loadLimits(overrides: Partial<LoadLimits> = {}): LoadLimits {
  const out: Record<string, number> = { ...DEFAULT_LOAD_LIMITS };
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) out[key] = value;
  return out as unknown as LoadLimits;
}
