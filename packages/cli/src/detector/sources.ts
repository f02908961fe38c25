/**
 * The event sources a run has: `syscall` (replayed from a capture, live from the driver, or
 * present but idle with `engine.kind: nodriver`) and the plugin sources of the built-in plugins
 * the configuration loads (`k8saudit` → `k8s_audit`). `--enable-source`/`--disable-source`
 * choose among them as in Falco.
 */
import type { EventView, InitialState } from '@falco-ts/driver';
import type { EventSource } from '@falco-ts/engine';
import type { AppContext } from '../app';
import { loadedPlugins } from '../actions/plugins';
import { usageErrors } from '../errors';
import type { AuditEvent } from '../k8saudit/event';
import { K8S_AUDIT_SOURCE, createK8sAuditSource } from '../k8saudit/source';

/** The syscall source together with the state machine that must see every event first. */
export interface SyscallSourceHandle {
  readonly source: EventSource<unknown>;
  /** Seeds processes, fds and users from a capture's metadata blocks. */
  seed(state: InitialState): void;
  /** Seeds them from a scan of /proc, when a live capture starts. */
  seedFromProc(): void;
  /**
   * Applies the record `view` points at to the process/fd state and returns the (reused) event
   * object the source's rules evaluate.
   */
  process(view: EventView): unknown;
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

let syscallFactory: (() => SyscallSourceHandle) | undefined;

/** Where the engine's syscall source is plugged in (see `wire.ts`). */
export function registerSyscallSource(factory: () => SyscallSourceHandle): void {
  syscallFactory = factory;
}

export function createSyscallSource(): SyscallSourceHandle | undefined {
  return syscallFactory?.();
}

/** One run's sources: the same objects serve rule compilation and event processing. */
export interface RunSources {
  readonly syscall: SyscallSourceHandle | undefined;
  /** Present when the `k8saudit` plugin is loaded. */
  readonly k8sAudit: EventSource<AuditEvent> | undefined;
  /** Every source for the engine (rules of other sources load with an "unknown source" warning). */
  readonly all: EventSource<unknown>[];
}

export function buildSources(ctx: AppContext): RunSources {
  const syscall = createSyscallSource();
  const all: EventSource<unknown>[] = [];
  if (syscall) all.push(syscall.source);
  const k8sAudit = loadedPlugins(ctx).some((p) => p.eventSource === K8S_AUDIT_SOURCE) ? createK8sAuditSource() : undefined;
  if (k8sAudit) all.push(k8sAudit as unknown as EventSource<unknown>);
  return { syscall, k8sAudit, all };
}
