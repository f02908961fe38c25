// Any runtime behind the Kubernetes CRI (CRI-O, containerd's CRI plugin). The implementation, and
// the gRPC libraries it needs, load only when this provider is configured.
import type * as CriRuntime from '../runtimes/cri';
import { defineProvider } from '../provider';
import type { BackoffOptions } from '../reconnector';
import { pickSocket, type SocketOptions } from '../sockets';

export interface CriOptions extends SocketOptions {
  /** Poll interval (ms) for runtimes without GetContainerEvents; default 1000. */
  readonly pollMs?: number;
  readonly timeoutMs?: number;
  readonly backoff?: BackoffOptions;
}

const DEFAULT_SOCKETS = ['/run/crio/crio.sock', '/var/run/crio/crio.sock', '/run/containerd/containerd.sock', '/run/k3s/containerd/containerd.sock'];

export const criProvider = defineProvider({
  name: 'cri',
  kind: 'container',
  description: 'Any CRI runtime (CRI-O, containerd with its CRI plugin) over the Kubernetes CRI gRPC API.',
  defaultEndpoints: DEFAULT_SOCKETS,
  create: (options: CriOptions) => {
    // Loaded on demand: gRPC costs hundreds of milliseconds at startup for users who never need it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { CriProvider } = require('../runtimes/cri') as typeof CriRuntime;
    return new CriProvider(pickSocket(options, DEFAULT_SOCKETS), options);
  },
});
