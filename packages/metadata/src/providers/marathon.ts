// Marathon: apps and their tasks from /v2/apps?embed=apps.tasks, polled. Marathon task ids are
// Mesos task ids, so a container maps to its app through the task the Mesos provider (or the
// container's MESOS_TASK_ID) names.
import { basicAuth, getJson } from '../http-json';
import { Poller } from '../poller';
import { defineProvider, type MesosProvider, type ProviderHealth } from '../provider';
import type { BackoffOptions } from '../reconnector';
import type { ContainerInfo, MesosMetadata } from '../types';

export interface MarathonOptions {
  /** Marathon base URL; default http://localhost:8080. */
  readonly url?: string;
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  /** HTTP basic credentials for every request. */
  readonly credentials?: { readonly user: string; readonly password: string };
  readonly backoff?: BackoffOptions;
}

interface AppsResponse {
  apps?: { id: string; labels?: Record<string, string>; tasks?: { id: string }[] }[];
}

type App = NonNullable<MesosMetadata['marathonApp']>;

/** `/shop/web` → name `web`, group `/shop`; a top-level app's group is `/`. */
export function splitAppId(id: string): { name: string; groupName: string } {
  const slash = id.lastIndexOf('/');
  return { name: id.slice(slash + 1), groupName: slash > 0 ? id.slice(0, slash) : '/' };
}

class MarathonApps implements MesosProvider {
  readonly name = 'marathon';
  private byTask = new Map<string, MesosMetadata>();
  private loads = 0;
  private readonly poller: Poller;

  constructor(options: MarathonOptions) {
    const base = (options.url ?? 'http://localhost:8080').replace(/\/$/, '');
    const url = `${base}/v2/apps?embed=apps.tasks`;
    const timeout = options.timeoutMs ?? 5000;
    const headers = basicAuth(options.credentials);
    this.poller = new Poller(this.name, url, options.intervalMs ?? 10000, async () => this.load((await getJson(url, timeout, headers)) as AppsResponse), options.backoff);
  }

  start(): void {
    this.poller.start();
  }

  forContainer(_containerId: string, info?: ContainerInfo, known?: MesosMetadata): MesosMetadata | undefined {
    const taskId = known?.task?.id ?? info?.mesosTaskId;
    return taskId ? this.byTask.get(taskId) : undefined;
  }

  generation(): number {
    return this.loads;
  }

  health(): ProviderHealth {
    return this.poller.health();
  }

  async close(): Promise<void> {
    this.poller.close();
  }

  private load(body: AppsResponse): void {
    const byTask = new Map<string, MesosMetadata>();
    for (const a of body.apps ?? []) {
      const app: App = { id: a.id, ...splitAppId(a.id), labels: a.labels ?? {} };
      const entry: MesosMetadata = { marathonApp: app };
      for (const t of a.tasks ?? []) byTask.set(t.id, entry);
    }
    this.byTask = byTask;
    this.loads++;
  }
}

export const marathonProvider = defineProvider({
  name: 'marathon',
  kind: 'mesos',
  description: 'Marathon apps and their tasks from /v2/apps?embed=apps.tasks, polled, joined to containers through Mesos task ids.',
  defaultEndpoints: ['http://localhost:8080'],
  create: (options: MarathonOptions) => new MarathonApps(options),
});
