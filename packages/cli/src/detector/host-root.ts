/**
 * `HOST_ROOT`: where the host's root filesystem is mounted when the detector runs in a container
 * (the image sets `/host`, and the DaemonSet mounts the host's `/proc`, `/etc` and runtime
 * sockets under it). Falco's libs and its container plugin read the host through it: the /proc
 * scan, the host's /etc/passwd and /etc/group, and every container runtime socket. Unset or empty
 * means the detector sees the host directly.
 */
import { join } from 'node:path';

export interface HostPaths {
  /** The host's root: `/` when HOST_ROOT is unset. */
  readonly root: string;
  /** The host's proc filesystem. */
  readonly proc: string;
}

export function hostPaths(env: NodeJS.ProcessEnv): HostPaths {
  const root = env['HOST_ROOT'] ?? '';
  if (root === '' || root === '/') return { root: '/', proc: '/proc' };
  return { root, proc: join(root, 'proc') };
}
