/**
 * The shared runner of the `falco` and `k8saudit` suites: reads the cases, runs the real `falco`
 * command for each (a few at a time), and yields the results in file order.
 */
import { rmSync } from 'node:fs';
import type { CaseResult, Suite } from '../suite';
import { readFalcoCases, type FalcoCase } from './case';
import { checkRun } from './check';
import { falcoEntryPoint, runCase } from './execute';

/** Parallel runs: the machines this runs on have two cores. `FALCO_CONFORMANCE_JOBS` overrides. */
const JOBS = Math.max(1, Number(process.env['FALCO_CONFORMANCE_JOBS'] ?? 2));
/** Per-run deadline in seconds (upstream allows 300 s; a stuck run should not hold the suite). */
const TIMEOUT_S = Number(process.env['FALCO_CONFORMANCE_TIMEOUT'] ?? 120);

export function falcoSuite(select: (c: FalcoCase) => boolean): Suite {
  return {
    async *run(inputs: readonly string[]): AsyncIterable<CaseResult> {
      const cases = readFalcoCases(inputs, select);
      const entry = falcoEntryPoint();
      const results: Promise<CaseResult>[] = new Array(cases.length);
      const settle: ((r: CaseResult) => void)[] = [];
      cases.forEach((_, i) => {
        results[i] = new Promise((res) => (settle[i] = res));
      });
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < cases.length) {
          const i = next++;
          const located = cases[i]!;
          let result: CaseResult;
          try {
            const run = await runCase(located, entry, TIMEOUT_S * 1000);
            const diffs = checkRun(located.record.expect, run);
            rmSync(run.workdir, { recursive: true, force: true });
            result = diffs.length === 0 ? { id: located.record.id, passed: true } : { id: located.record.id, passed: false, detail: diffs.join('; ') };
          } catch (e) {
            result = { id: located.record.id, passed: false, detail: `runner error: ${e instanceof Error ? e.message : String(e)}` };
          }
          settle[i]!(result);
        }
      };
      const workers = Array.from({ length: Math.min(JOBS, cases.length) }, () => worker());
      for (const r of results) yield await r;
      await Promise.all(workers);
    },
  };
}
