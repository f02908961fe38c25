/**
 * What the loader knows about every actionner and output target a rules file may name, before
 * anything runs: Talon's own catalogue (so Talon rules files validate exactly as in Talon) plus
 * this package's host-local actionners and `kubernetes:taint`. `continue` is the actionner's
 * default when an action does not set one; `requireOutput` makes `output` mandatory.
 * Implementations live in `./actionners/`; a catalogued actionner without one fails when run,
 * saying so (see `docs/response.md`).
 */

export interface ActionnerInfo {
  /** `category:name`. */
  readonly fullName: string;
  readonly description: string;
  /** Whether the rule's next action runs after this one when the action does not say. */
  readonly continue: boolean;
  readonly requireOutput: boolean;
  readonly allowOutput: boolean;
  /** Event sources it makes sense for (`any` for all). */
  readonly source: 'syscall' | 'k8s_audit' | 'any';
}

const info = (
  fullName: string,
  description: string,
  opts: { continue?: boolean; requireOutput?: boolean; allowOutput?: boolean; source?: ActionnerInfo['source'] } = {},
): ActionnerInfo => ({
  fullName,
  description,
  continue: opts.continue ?? true,
  requireOutput: opts.requireOutput ?? false,
  allowOutput: opts.allowOutput ?? opts.requireOutput ?? false,
  source: opts.source ?? 'syscall',
});

export const ACTIONNERS: readonly ActionnerInfo[] = [
  // Talon's catalogue.
  info('kubernetes:terminate', 'Terminate the pod', { continue: false }),
  info('kubernetes:label', 'Add, modify or delete the labels of the pod or its node'),
  info('kubernetes:annotation', 'Add, modify or delete the annotations of the pod or its node'),
  info('kubernetes:networkpolicy', 'Create or update a NetworkPolicy restricting the egress of the pod'),
  info('kubernetes:exec', 'Exec a command in a pod'),
  info('kubernetes:script', 'Run a script in a pod'),
  info('kubernetes:log', 'Get logs from a pod', { allowOutput: true }),
  info('kubernetes:download', 'Download a file from a pod', { requireOutput: true }),
  info('kubernetes:tcpdump', 'Capture the network packets of the pod', { continue: false, requireOutput: true }),
  info('kubernetes:sysdig', 'Capture the syscalls of a pod', { continue: false, requireOutput: true }),
  info('kubernetes:delete', 'Delete the resource named by a Kubernetes audit event', { continue: false, source: 'k8s_audit' }),
  info('kubernetes:cordon', 'Cordon the node of the pod'),
  info('kubernetes:drain', 'Drain the node of the pod'),
  info('calico:networkpolicy', 'Create a Calico network policy blocking the egress to the remote IP'),
  info('cilium:networkpolicy', 'Create a Cilium network policy blocking the egress to the remote IP'),
  info('aws:lambda', 'Invoke an AWS lambda with the Falco event', { source: 'any' }),
  info('gcp:function', 'Invoke a GCP function with the Falco event', { source: 'any' }),
  // This package's additions.
  info('kubernetes:taint', 'Taint (and optionally cordon) the node of the pod'),
  info('process:kill', 'Send a signal to the offending process or its process group'),
  info('container:stop', 'Stop the container through its runtime'),
  info('container:kill', 'Kill the container through its runtime'),
  info('container:pause', 'Pause (freeze) the container through its runtime'),
  info('container:capture', "Record the container's next seconds of system calls to a capture file", { allowOutput: true }),
];

export const OUTPUT_TARGETS: readonly string[] = ['local:file', 'aws:s3', 'minio:s3', 'gcp:gcs'];

const BY_NAME = new Map(ACTIONNERS.map((a) => [a.fullName, a]));

export function findActionner(fullName: string): ActionnerInfo | undefined {
  return BY_NAME.get(fullName);
}
