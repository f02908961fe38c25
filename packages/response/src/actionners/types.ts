/**
 * What an actionner implementation provides: which object an alert points it at (so safety checks
 * and de-duplication see the target before anything happens), a check of its parameters, and the
 * action itself. `run` is never called in dry-run.
 */
import type { ResponseEvent } from '../event';
import type { KubeClient } from '../kube';
import type { Params } from '../rules/model';
import type { ContainerRuntimes } from '../runtime';

/** The object an action is about; the keys present depend on the actionner. */
export interface ActionTarget {
  readonly pid?: number;
  readonly containerId?: string;
  readonly namespace?: string;
  readonly pod?: string;
  readonly node?: string;
  /** `kind/namespace/name` of a resource named by an audit event. */
  readonly resource?: string;
}

export interface ActionClients {
  readonly runtimes: ContainerRuntimes;
  /** Undefined when no Kubernetes connection is configured: Kubernetes actions then fail saying so. */
  readonly kube?: KubeClient;
}

export interface ActionContext {
  readonly event: ResponseEvent;
  /** Merged parameters, with `${VAR}` already substituted where the actionner allows it. */
  readonly parameters: Params;
  readonly target: ActionTarget;
  readonly clients: ActionClients;
}

export interface ActionResult {
  /** What happened, in words (Talon's log line `output`). */
  readonly output: string;
  /** Talon's status `ignored`: the actionner decided not to act (e.g. a DaemonSet's pod). */
  readonly ignored?: boolean;
  readonly objects?: Readonly<Record<string, string>>;
}

export interface Actionner {
  readonly fullName: string;
  /** Parameters whose text may use `${VAR}` from the alert. */
  readonly templated?: readonly string[];
  checkParameters(parameters: Params): string[];
  /** The target, or a message saying which alert field is missing. */
  target(event: ResponseEvent, parameters: Params): ActionTarget | string;
  run(ctx: ActionContext): Promise<ActionResult>;
}

/** Parameter checks shared by the implementations. */
export function checkTypes(parameters: Params, spec: Record<string, 'string' | 'number' | 'boolean' | 'list' | 'map' | 'int-or-percent'>): string[] {
  const problems: string[] = [];
  for (const [key, type] of Object.entries(spec)) {
    const v = parameters[key];
    if (v === undefined || v === null) continue;
    const ok =
      type === 'list'
        ? Array.isArray(v)
        : type === 'map'
          ? typeof v === 'object' && !Array.isArray(v)
          : type === 'int-or-percent'
            ? (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^\d+%?$/.test(v))
            : typeof v === type;
    if (!ok) problems.push(`parameter '${key}' must be ${type === 'int-or-percent' ? 'an integer or a percentage' : `a ${type}`}`);
  }
  return problems;
}
