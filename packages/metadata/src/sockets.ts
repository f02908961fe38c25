// Choosing a runtime socket: the configured path, else the first candidate that exists.
import { existsSync } from 'node:fs';

/** The configured socket, else the first existing candidate, else the first candidate. */
export function pickSocket(options: { socketPath?: string; sockets?: readonly string[] }, defaults: readonly string[]): string {
  if (options.socketPath) return options.socketPath;
  const candidates = options.sockets?.length ? options.sockets : defaults;
  return candidates.find((p) => existsSync(p)) ?? candidates[0] ?? defaults[0] ?? '/var/run/docker.sock';
}
