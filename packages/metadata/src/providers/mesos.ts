// Mesos: tasks and frameworks from the master's state endpoint, polled. A container maps to its
// task through the MESOS_TASK_ID the executor puts in its environment, or through the name the
// Docker containerizer gives it (`mesos-<container id>`), or (Mesos containerizer) its own id.
import { basicAuth, getJson } from '../http-json';
import { Poller } from '../poller';
import { defineProvider, type MesosProvider, type ProviderHealth } from '../provider';
import type { BackoffOptions } from '../reconnector';
import type { ContainerInfo, MesosMetadata } from '../types';

export interface MesosOptions {
  /** Master base URL; default http://localhost:5050. */
  readonly url?: string;
  /** Poll interval in ms; default 10000. */
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  /** HTTP basic credentials for every request. */
  readonly credentials?: { readonly user: string; readonly password: string };
  readonly backoff?: BackoffOptions;
}

interface StateTask {
  id: string;
  name?: string;
  framework_id?: string;
  labels?: { key: string; value?: string }[];
  statuses?: { container_status?: { container_id?: { value?: string; parent?: { value?: string } } } }[];
}

interface MasterState {
  frameworks?: { id: string; name?: string; tasks?: StateTask[] }[];
}

interface TaskEntry {
  readonly task: NonNullable<MesosMetadata['task']>;
  readonly framework: NonNullable<MesosMetadata['framework']>;
}

/** `mesos-<container id>` or the older `mesos-<agent id>.<container id>`. */
export function mesosContainerIdFromName(name: string): string | undefined {
  if (!name.startsWith('mesos-')) return undefined;
  const rest = name.slice(6);
  return rest.slice(rest.lastIndexOf('.') + 1);
}

class MesosMaster implements MesosProvider {
  readonly name = 'mesos';
  private tasks = new Map<string, TaskEntry>();
  private byContainer = new Map<string, string>();
  private loads = 0;
  private readonly poller: Poller;

  constructor(options: MesosOptions) {
    const base = (options.url ?? 'http://localhost:5050').replace(/\/$/, '');
    const url = `${base}/master/state`;
    const timeout = options.timeoutMs ?? 5000;
    const headers = basicAuth(options.credentials);
    this.poller = new Poller(this.name, url, options.intervalMs ?? 10000, async () => this.load((await getJson(url, timeout, headers)) as MasterState), options.backoff);
  }

  start(): void {
    this.poller.start();
  }

  forContainer(containerId: string, info?: ContainerInfo): MesosMetadata | undefined {
    const fromName = info ? mesosContainerIdFromName(info.name) : undefined;
    const taskId = info?.mesosTaskId ?? (fromName && this.byContainer.get(fromName)) ?? this.byContainer.get(containerId);
    // Entries are built once per snapshot and handed out as they are: no allocation per lookup.
    return taskId ? this.tasks.get(taskId) : undefined;
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

  /** Build new maps and swap them in, so lookups never see a half-built snapshot. */
  private load(state: MasterState): void {
    const tasks = new Map<string, TaskEntry>();
    const byContainer = new Map<string, string>();
    for (const fw of state.frameworks ?? []) {
      const framework = { id: fw.id, name: fw.name ?? '' };
      for (const t of fw.tasks ?? []) {
        const labels = Object.fromEntries((t.labels ?? []).map((l) => [l.key, l.value ?? '']));
        tasks.set(t.id, { task: { id: t.id, name: t.name ?? '', labels }, framework });
        for (const s of t.statuses ?? []) {
          const cid = s.container_status?.container_id?.value;
          if (cid) byContainer.set(cid, t.id);
        }
      }
    }
    this.tasks = tasks;
    this.byContainer = byContainer;
    this.loads++;
  }
}

export const mesosProvider = defineProvider({
  name: 'mesos',
  kind: 'mesos',
  description: "Mesos tasks and frameworks from the master's /master/state endpoint, polled.",
  defaultEndpoints: ['http://localhost:5050'],
  create: (options: MesosOptions) => new MesosMaster(options),
});
