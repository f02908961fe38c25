/** The `falco` suite: every case of a `falco` cases file except the `k8saudit` group. */
import { falcoSuite } from '../falco/runner';
import type { Suite } from '../suite';

export const suite: Suite = falcoSuite((c) => c.group !== 'k8saudit');
