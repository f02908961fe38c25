/**
 * The event sources a run has: `syscall` (replayed from a capture, live from the driver, or
 * present but idle with `engine.kind: nodriver`) and the plugin sources of the built-in plugins
 * the configuration loads (`k8saudit` → `k8s_audit`). `--enable-source`/`--disable-source`
 * choose among them as in Falco.
 */
import { RECORD_FLAG_STATE_ONLY, type EventView, type InitialState } from '@falco-ts/driver';
import { K8S_AUDIT_SOURCE, SyscallSource, createK8sAuditSource, type AuditEvent, type ContainerMetadataProvider, type EventSource, type NetworkPolicyProvider, type SyscallFieldRegistry } from '@falco-ts/engine';
import type { AppContext } from '../context';
import { loadedPlugins } from '../actions/plugins';
import { usageErrors } from '../errors';
import type { HostPaths } from './host-root';
import { syscallFieldsFor } from './plugin-fields';

/** The syscall source together with the state machine that must see every event first. */
export interface SyscallSourceHandle {
  readonly source: EventSource<unknown>;
  /** Seeds processes, fds and users from a capture's metadata blocks. */
  seed(state: InitialState): void;
  /** Seeds them from a scan of the host's /proc and users (`HOST_ROOT`), when a live capture starts. */
  seedFromProc(host: HostPaths): void;
  /** Where container and Kubernetes metadata come from (live runs with the container plugin). */
  setMetadataProvider(provider: ContainerMetadataProvider): void;
  /** Where NetworkPolicy verdicts come from (live runs with the k8smeta entry and netpol rules). */
  setNetworkPolicyProvider(provider: NetworkPolicyProvider): void;
  /**
   * Applies the record `view` points at to the process/fd state and returns the (reused) event
   * object the source's rules evaluate, or undefined for records kept only to rebuild state.
   */
  process(view: EventView): unknown;
  /** The container id of the last processed event's thread; '' on the host or when unknown. */
  containerId(): string;
}

/** Every source name this run knows, before `--enable-source`/`--disable-source`. */
function knownSources(ctx: AppContext): string[] {
  const names = ['syscall'];
  for (const p of loadedPlugins(ctx)) if (p.eventSource && !names.includes(p.eventSource)) names.push(p.eventSource);
  return names;
}

export function enabledSources(ctx: AppContext): string[] {
  const known = knownSources(ctx);
  for (const s of [...ctx.cli.enableSources, ...ctx.cli.disableSources]) {
    if (!known.includes(s)) throw usageErrors.bad(`Attempted enabling/disabling an unknown event source: ${s}`);
  }
  let enabled = ctx.cli.enableSources.length > 0 ? known.filter((s) => ctx.cli.enableSources.includes(s)) : known;
  enabled = enabled.filter((s) => !ctx.cli.disableSources.includes(s));
  if (enabled.length === 0) throw usageErrors.bad('Must enable at least one event source');
  return enabled;
}

/** The engine's syscall source behind the handle the replay and live loops use. */
export function createSyscallSource(hostname?: string, fields?: SyscallFieldRegistry): SyscallSourceHandle {
  const src = new SyscallSource({ hostname, fields });
  const event = src.event;
  return {
    source: src as unknown as EventSource<unknown>,
    seed: (state) => src.seedFromCapture(state),
    seedFromProc: (host) => src.seedFromProc({ procRoot: host.proc, hostRoot: host.root }),
    setMetadataProvider: (p) => src.setMetadataProvider(p),
    setNetworkPolicyProvider: (p) => src.setNetworkPolicyProvider(p),
    process(view) {
      event.view.moveTo(view.data, view.offset);
      event.advance();
      return (view.flags & RECORD_FLAG_STATE_ONLY) !== 0 ? undefined : event;
    },
    containerId: () => event.thread?.containerId ?? '',
  };
}

/** One run's sources: the same objects serve rule compilation and event processing. */
export interface RunSources {
  readonly syscall: SyscallSourceHandle;
  /** Present when the `k8saudit` plugin is loaded. */
  readonly k8sAudit: EventSource<AuditEvent> | undefined;
  /** Every source for the engine (rules of other sources load with an "unknown source" warning). */
  readonly all: EventSource<unknown>[];
}

export function buildSources(ctx: AppContext): RunSources {
  const plugins = loadedPlugins(ctx);
  // Plugins without a source of their own (json) extend the syscall fields.
  const syscall = createSyscallSource(ctx.io.env['FALCO_HOSTNAME'] || undefined, syscallFieldsFor(plugins));
  const all: EventSource<unknown>[] = [];
  if (syscall) all.push(syscall.source);
  const k8sAudit = plugins.some((p) => p.eventSource === K8S_AUDIT_SOURCE) ? createK8sAuditSource() : undefined;
  if (k8sAudit) all.push(k8sAudit as unknown as EventSource<unknown>);
  return { syscall, k8sAudit, all };
}
