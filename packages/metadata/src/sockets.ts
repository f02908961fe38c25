// Choosing a runtime socket: the configured path, else the first candidate that exists, looked for
// under the host root when the detector runs in a container with the host mounted (HOST_ROOT), as
// Falco's container plugin joins HOST_ROOT to every socket it tries.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface SocketOptions {
  /** The socket to use, as given (not joined to `hostRoot`). */
  readonly socketPath?: string;
  /** Candidate socket paths; the first that exists is used (Falco's `sockets` list). */
  readonly sockets?: readonly string[];
  /** Where the host's root is mounted (Falco's `HOST_ROOT`); candidates are looked for under it. */
  readonly hostRoot?: string;
}

/** The configured socket, else the first existing candidate, else the first candidate. */
export function pickSocket(options: SocketOptions, defaults: readonly string[]): string {
  if (options.socketPath) return options.socketPath;
  const root = options.hostRoot ?? '';
  const candidates = (options.sockets?.length ? options.sockets : defaults).map((p) => (root === '' || root === '/' ? p : join(root, p)));
  return candidates.find((p) => existsSync(p)) ?? candidates[0] ?? '/var/run/docker.sock';
}
