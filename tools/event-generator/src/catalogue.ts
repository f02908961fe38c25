import type { Behaviour } from './behaviour';
import { CONTAINER_BEHAVIOURS } from './container-behaviours';
import { unknownBehaviour } from './errors';
import { HOST_BEHAVIOURS } from './host-behaviours';

/** Every behaviour, host ones first. */
export const BEHAVIOURS: readonly Behaviour[] = [...HOST_BEHAVIOURS, ...CONTAINER_BEHAVIOURS];

/** Behaviours by name; throws UnknownBehaviourError naming the known ones. */
export function selectBehaviours(names: readonly string[]): Behaviour[] {
  return names.map((n) => {
    const b = BEHAVIOURS.find((x) => x.name === n);
    if (b === undefined) throw unknownBehaviour(n, BEHAVIOURS.map((x) => x.name));
    return b;
  });
}
