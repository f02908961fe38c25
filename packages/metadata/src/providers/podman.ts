// Podman through its Docker-compatible API socket (the system service as root, or a user's
// service under $XDG_RUNTIME_DIR). Podman answers the same inspect and events endpoints.
import type * as DockerCompatible from '../runtimes/docker-compatible';
import type { DockerCompatibleOptions } from '../runtimes/docker-compatible';
import { pickSocket } from '../sockets';
import { defineProvider } from '../provider';

function defaultSockets(): string[] {
  const sockets = ['/run/podman/podman.sock', '/var/run/podman/podman.sock'];
  const runtimeDir = process.env['XDG_RUNTIME_DIR'];
  if (runtimeDir) sockets.push(`${runtimeDir}/podman/podman.sock`);
  return sockets;
}

export const podmanProvider = defineProvider({
  name: 'podman',
  kind: 'container',
  description: "Podman over its Docker-compatible API socket, root's and the current user's.",
  defaultEndpoints: defaultSockets(),
  create: (options: DockerCompatibleOptions) => {
    // Loaded on demand: dockerode and its dependencies cost startup time for users who never need it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DockerCompatibleProvider } = require('../runtimes/docker-compatible') as typeof DockerCompatible;
    return new DockerCompatibleProvider('podman', 'podman', pickSocket(options, defaultSockets()), options.backoff);
  },
});
