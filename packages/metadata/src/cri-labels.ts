// The labels a kubelet puts on every container it creates, whatever the runtime. They carry the
// pod's name, namespace and uid, so `k8s.pod.*` resolves from the container record alone, before
// (or without) any API server answer.
import type { CriPodIdentity } from './types';

export const CRI_LABEL_POD_NAME = 'io.kubernetes.pod.name';
export const CRI_LABEL_POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const CRI_LABEL_POD_UID = 'io.kubernetes.pod.uid';
export const CRI_LABEL_CONTAINER_NAME = 'io.kubernetes.container.name';
export const CRI_LABEL_SANDBOX_ID = 'io.kubernetes.sandbox.id';

export function podIdentityFromLabels(labels: Readonly<Record<string, string>>): CriPodIdentity | undefined {
  const name = labels[CRI_LABEL_POD_NAME];
  const namespace = labels[CRI_LABEL_POD_NAMESPACE];
  const uid = labels[CRI_LABEL_POD_UID];
  if (!name || !namespace || !uid) return undefined;
  const containerName = labels[CRI_LABEL_CONTAINER_NAME];
  const sandboxId = labels[CRI_LABEL_SANDBOX_ID];
  return {
    name,
    namespace,
    uid,
    ...(containerName ? { containerName } : {}),
    ...(sandboxId ? { sandboxId } : {}),
  };
}
