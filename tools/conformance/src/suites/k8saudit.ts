/** The `k8saudit` suite: the `k8saudit` group of a `falco` cases file, run like the `falco` suite. */
import { falcoSuite } from '../falco/runner';
import type { Suite } from '../suite';

export const suite: Suite = falcoSuite((c) => c.group === 'k8saudit');
