/**
 * Container runtimes a response talks to: engines speaking the Docker Engine API over a unix
 * socket (Docker, Podman's compatibility socket). The runtime that owns a container is found by
 * asking each configured socket to inspect it; the answer is cached per container id.
 */
import { existsSync } from 'node:fs';
import { HttpError, request } from './http';

export interface ContainerState {
  readonly id: string;
  readonly name: string;
  readonly running: boolean;
  readonly paused: boolean;
  readonly pid: number;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ContainerRuntime {
  /** `docker`, `podman`, … and its socket, for messages. */
  readonly name: string;
  inspect(id: string): Promise<ContainerState | undefined>;
  stop(id: string, timeoutSeconds: number): Promise<void>;
  kill(id: string, signal: string): Promise<void>;
  pause(id: string): Promise<void>;
}

interface InspectBody {
  Id?: string;
  Name?: string;
  State?: { Running?: boolean; Paused?: boolean; Pid?: number };
  Config?: { Labels?: Record<string, string> | null };
}

export class DockerEngineRuntime implements ContainerRuntime {
  constructor(
    readonly name: string,
    readonly socketPath: string,
    private readonly timeoutMs = 15000,
  ) {}

  async inspect(id: string): Promise<ContainerState | undefined> {
    const res = await request({ method: 'GET', url: `/containers/${encodeURIComponent(id)}/json`, socketPath: this.socketPath, timeoutMs: this.timeoutMs });
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new HttpError(res.status, res.body, `${this.name}: inspect ${id}`);
    const body = JSON.parse(res.body) as InspectBody;
    return {
      id: body.Id ?? id,
      name: (body.Name ?? '').replace(/^\//, ''),
      running: body.State?.Running === true,
      paused: body.State?.Paused === true,
      pid: body.State?.Pid ?? 0,
      labels: body.Config?.Labels ?? {},
    };
  }

  private async post(path: string, what: string, timeoutMs = this.timeoutMs): Promise<void> {
    const res = await request({ method: 'POST', url: path, socketPath: this.socketPath, timeoutMs });
    // 304: already stopped / already paused; the desired state holds.
    if (res.status === 304) return;
    if (res.status < 200 || res.status >= 300) throw new HttpError(res.status, res.body, `${this.name}: ${what}`);
  }

  stop(id: string, timeoutSeconds: number): Promise<void> {
    return this.post(`/containers/${encodeURIComponent(id)}/stop?t=${timeoutSeconds}`, `stop ${id}`, this.timeoutMs + timeoutSeconds * 1000);
  }

  kill(id: string, signal: string): Promise<void> {
    return this.post(`/containers/${encodeURIComponent(id)}/kill?signal=${encodeURIComponent(signal)}`, `kill ${id}`);
  }

  pause(id: string): Promise<void> {
    return this.post(`/containers/${encodeURIComponent(id)}/pause`, `pause ${id}`);
  }
}

export const DEFAULT_RUNTIME_SOCKETS: readonly { name: string; socket: string }[] = [
  { name: 'docker', socket: '/var/run/docker.sock' },
  { name: 'podman', socket: '/run/podman/podman.sock' },
];

/** The configured runtimes, and which one owns a container. */
export class ContainerRuntimes {
  private readonly owners = new Map<string, ContainerRuntime>();
  constructor(readonly runtimes: readonly ContainerRuntime[]) {}

  /** Runtimes for the sockets that exist (defaults when none given). */
  static fromSockets(sockets: readonly { name: string; socket: string }[] = DEFAULT_RUNTIME_SOCKETS): ContainerRuntimes {
    return new ContainerRuntimes(sockets.filter((s) => existsSync(s.socket)).map((s) => new DockerEngineRuntime(s.name, s.socket)));
  }

  async find(id: string): Promise<{ runtime: ContainerRuntime; state: ContainerState } | undefined> {
    const cached = this.owners.get(id);
    const order = cached ? [cached, ...this.runtimes.filter((r) => r !== cached)] : this.runtimes;
    const errors: string[] = [];
    for (const runtime of order) {
      try {
        const state = await runtime.inspect(id);
        if (state) {
          this.owners.set(id, runtime);
          return { runtime, state };
        }
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err));
      }
    }
    if (errors.length > 0 && errors.length === order.length) throw new Error(`no container runtime answered: ${errors.join('; ')}`);
    return undefined;
  }
}

