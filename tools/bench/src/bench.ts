/**
 * The contract every benchmark module follows. Figures are measured side by side with a peer in
 * the same run wherever one exists, and reported as rows of one table.
 */
export interface BenchRow {
  /** Benchmark group, e.g. `filter-lang`. */
  bench: string;
  /** What was measured, e.g. `evaluations/s (proc.name = cat)`. */
  metric: string;
  value: number;
  unit: string;
  /** The peer's figure for the same work in the same run, when there is one. */
  peer?: { name: string; value: number };
  /** value / peer.value (or the inverse for lower-is-better units), when there is a peer. */
  ratio?: number;
  note?: string;
}

export interface Bench {
  name: string;
  run(): Promise<BenchRow[]>;
}
