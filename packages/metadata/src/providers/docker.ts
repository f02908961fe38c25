// Docker Engine through dockerode: inspect on first sight, the engine's event stream afterwards.
import { DockerCompatibleProvider, pickSocket, type DockerCompatibleOptions } from '../docker-compatible';
import { defineProvider } from '../provider';

const DEFAULT_SOCKETS = ['/var/run/docker.sock', '/run/docker.sock'];

export const dockerProvider = defineProvider({
  name: 'docker',
  kind: 'container',
  description: 'Docker Engine over its API socket: inspect on first sight, then the engine event stream (create, start, die, destroy, rename).',
  defaultEndpoints: DEFAULT_SOCKETS,
  create: (options: DockerCompatibleOptions) =>
    new DockerCompatibleProvider('docker', 'docker', pickSocket(options, DEFAULT_SOCKETS), options.backoff),
});
