/**
 * The actionner implementations by `category:name`. A catalogued actionner missing here (Talon's
 * exec, script, log, download, tcpdump, sysdig, drain, Calico, Cilium, AWS, GCP) loads, validates
 * and walks like any other, and fails when run, saying it is not available.
 */
import { containerKill, containerPause, containerStop, processKill } from './host';
import { annotation, cordon, deleteResource, label, networkPolicy, taint, terminate } from './kubernetes';
import type { Actionner } from './types';
import type { Params } from '../rules/model';

export const IMPLEMENTATIONS: ReadonlyMap<string, Actionner> = new Map(
  [processKill, containerStop, containerKill, containerPause, terminate, label, annotation, networkPolicy, cordon, taint, deleteResource].map((a) => [a.fullName, a]),
);

/** The loader's parameter check: the implementation's problems, none for the others. */
export function checkActionParameters(actionner: string, parameters: Params): readonly string[] {
  return IMPLEMENTATIONS.get(actionner)?.checkParameters(parameters) ?? [];
}
