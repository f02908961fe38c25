// Podman through its Docker-compatible API socket (the system service as root, or a user's
// service under $XDG_RUNTIME_DIR). Podman answers the same inspect and events endpoints.
import { DockerCompatibleProvider, pickSocket, type DockerCompatibleOptions } from '../docker-compatible';
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
  create: (options: DockerCompatibleOptions) =>
    new DockerCompatibleProvider('podman', 'podman', pickSocket(options, defaultSockets()), options.backoff),
});
