// Docker Engine through dockerode: inspect on first sight, the engine's event stream afterwards.
import type * as DockerCompatible from '../runtimes/docker-compatible';
import type { DockerCompatibleOptions } from '../runtimes/docker-compatible';
import { pickSocket } from '../sockets';
import { defineProvider } from '../provider';

const DEFAULT_SOCKETS = ['/var/run/docker.sock', '/run/docker.sock'];

export const dockerProvider = defineProvider({
  name: 'docker',
  kind: 'container',
  description: 'Docker Engine over its API socket: inspect on first sight, then the engine event stream (create, start, die, destroy, rename).',
  defaultEndpoints: DEFAULT_SOCKETS,
  create: (options: DockerCompatibleOptions) => {
    // Loaded on demand: dockerode and its dependencies cost startup time for users who never need it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DockerCompatibleProvider } = require('../runtimes/docker-compatible') as typeof DockerCompatible;
    return new DockerCompatibleProvider('docker', 'docker', pickSocket(options, DEFAULT_SOCKETS), options.backoff);
  },
});
