import { mkdtempSync, rmSync } from 'node:fs';
import type { Behaviour, GeneratorContext } from './behaviour';
import type { GeneratorError } from './errors';

export interface RunOptions {
  readonly dockerHost?: string;
  readonly image?: string;
  /** Label for the containers started (default `falco-event-generator=1`). */
  readonly containerLabel?: string;
  /** Milliseconds to wait between behaviours, so a detector sees them apart (default 0). */
  readonly pauseMs?: number;
  onContainer?(c: { behaviour: string; id: string; name: string }): void;
}

export interface BehaviourOutcome {
  readonly behaviour: string;
  readonly rule: string;
  readonly ok: boolean;
  readonly error?: GeneratorError | Error;
}

/**
 * Performs the behaviours in order, each in a fresh scratch directory that is removed afterwards.
 * A failing behaviour does not stop the others; its error is in its outcome.
 */
export async function runBehaviours(behaviours: readonly Behaviour[], options: RunOptions = {}): Promise<BehaviourOutcome[]> {
  const outcomes: BehaviourOutcome[] = [];
  for (const b of behaviours) {
    const workDir = mkdtempSync('/tmp/falco-eg-');
    const ctx: GeneratorContext = {
      workDir,
      dockerHost: options.dockerHost,
      image: options.image,
      containerLabel: options.containerLabel ?? 'falco-event-generator=1',
      onContainer: options.onContainer,
    };
    try {
      await b.perform(ctx);
      outcomes.push({ behaviour: b.name, rule: b.rule, ok: true });
    } catch (e) {
      outcomes.push({ behaviour: b.name, rule: b.rule, ok: false, error: e instanceof Error ? e : new Error(String(e)) });
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
    if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
  }
  return outcomes;
}
