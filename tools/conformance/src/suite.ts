/**
 * The contract every conformance suite module follows. A suite reads the cases files it is given
 * (files, or directories searched for the suite's case files), runs every case, and reports each
 * one. It must not know case ids: everything it does is driven by the case records themselves.
 */
export interface CaseResult {
  id: string;
  passed: boolean;
  /** What differed, for a failing case (one line). */
  detail?: string;
}

export interface Suite {
  /** Runs the cases found in `inputs` and yields one result per case, in file order. */
  run(inputs: readonly string[]): AsyncIterable<CaseResult>;
}
