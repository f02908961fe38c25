// containerd over its gRPC API (containers and events services). The implementation, and the
// gRPC libraries it needs, load only when this provider is configured.
import type * as ContainerdRuntime from '../runtimes/containerd';
import { defineProvider } from '../provider';
import type { BackoffOptions } from '../reconnector';
import { pickSocket, type SocketOptions } from '../sockets';

export interface ContainerdOptions extends SocketOptions {
  /** containerd namespaces to look in, in order; default `k8s.io`, `moby`, `default`. */
  readonly namespaces?: readonly string[];
  readonly backoff?: BackoffOptions;
  /** Per-call deadline in ms; default 5000. */
  readonly timeoutMs?: number;
}

const DEFAULT_SOCKETS = ['/run/containerd/containerd.sock', '/var/run/containerd/containerd.sock', '/run/k3s/containerd/containerd.sock'];

export const containerdProvider = defineProvider({
  name: 'containerd',
  kind: 'container',
  description: 'containerd over its gRPC API socket: containers service (OCI spec), events service for lifecycle.',
  defaultEndpoints: DEFAULT_SOCKETS,
  create: (options: ContainerdOptions) => {
    // Loaded on demand: gRPC costs hundreds of milliseconds at startup for users who never need it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ContainerdProvider } = require('../runtimes/containerd') as typeof ContainerdRuntime;
    return new ContainerdProvider(pickSocket(options, DEFAULT_SOCKETS), options);
  },
});
