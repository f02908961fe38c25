/**
 * The response engine: the one implementation behind both ways to run (in the detector, on its
 * own alerts; and the Talon-compatible receiver). For each event it walks the Talon rules
 * (`respond`) with an executor that, for every action, in order:
 *   resolves the target from the alert → refuses a protected target → drops a repeat within the
 *   de-duplication window → applies the action's rate limit → in dry-run stops here (no write of
 *   any kind) → runs the actionner → notifies.
 * Every outcome becomes an `ActionReport` (the detector turns it into an event of source
 * `response`) and a count by actionner and result. Events queue in a bounded queue and are handled
 * one at a time off the caller's path: `submit` never waits and never throws, so a slow or failing
 * action cannot hold up alerting.
 */
import { performance } from 'node:perf_hooks';
import { IMPLEMENTATIONS } from './actionners/index';
import type { ActionClients, ActionTarget, Actionner } from './actionners/types';
import { expandTemplate, eventVariables, type ResponseEvent } from './event';
import type { Notifier } from './notifiers';
import { respond, type ActionOutcome, type Decision } from './respond';
import type { ResolvedAction, TalonRule } from './rules/loader';
import type { Params } from './rules/model';
import { ContainerRuntimes } from './runtime';
import { DedupWindow, ProtectedScope, RateLimiter, type ProtectOptions } from './safety';

export type ActionResultLabel = 'success' | 'failure' | 'skipped' | 'dry_run';

export interface ActionReport {
  /** The Talon rule. */
  readonly rule: string;
  readonly action: string;
  readonly actionner: string;
  readonly result: ActionResultLabel;
  /** What happened or why not, in words. */
  readonly output: string;
  readonly objects: Readonly<Record<string, string>>;
  readonly alert: { readonly rule: string; readonly priority: string; readonly source: string; readonly hostname: string; readonly output: string };
  /** From the offending event's kernel timestamp to the action's end, when the event has one. */
  readonly latencyMs?: number;
  /** Wall time the actionner took. */
  readonly durationMs?: number;
}

export interface ResponseEngineOptions {
  readonly rules: readonly TalonRule[];
  readonly clients?: Partial<ActionClients>;
  /** Walk and report every action without running any (no request, no signal, no notification). */
  readonly dryRun?: boolean;
  /** Same rule, action and target within this window act once (default 5000 ms, as Talon). */
  readonly dedupWindowMs?: number;
  /** At most `max` runs of one action per `perSeconds` (default 20 per 60 s). */
  readonly rateLimit?: { readonly max: number; readonly perSeconds: number };
  readonly protect?: ProtectOptions;
  /** Notifiers by name (`webhook`, `slack`, `k8sevents`). */
  readonly notifiers?: ReadonlyMap<string, Notifier>;
  readonly defaultNotifiers?: readonly string[];
  readonly onReport?: (report: ActionReport) => void;
  readonly log?: (line: string) => void;
  /** Events waiting beyond this are dropped and counted (default 1000). */
  readonly queueLimit?: number;
  readonly implementations?: ReadonlyMap<string, Actionner>;
}

const nowEpochNs = (): number => (performance.timeOrigin + performance.now()) * 1e6;

export class ResponseEngine {
  private readonly dedup: DedupWindow;
  private readonly limiter: RateLimiter;
  private readonly scope: ProtectedScope;
  private readonly clients: ActionClients;
  private readonly implementations: ReadonlyMap<string, Actionner>;
  private readonly queue: ResponseEvent[] = [];
  private running: Promise<void> | undefined;
  private readonly counts = new Map<string, number>();
  /** Events dropped because the queue was full. */
  dropped = 0;

  constructor(private readonly options: ResponseEngineOptions) {
    this.dedup = new DedupWindow(options.dedupWindowMs ?? 5000);
    this.limiter = new RateLimiter(options.rateLimit?.max ?? 20, (options.rateLimit?.perSeconds ?? 60) * 1000);
    this.scope = new ProtectedScope(options.protect);
    this.clients = { runtimes: options.clients?.runtimes ?? ContainerRuntimes.fromSockets(), ...(options.clients?.kube ? { kube: options.clients.kube } : {}) };
    this.implementations = options.implementations ?? IMPLEMENTATIONS;
  }

  get rules(): readonly TalonRule[] {
    return this.options.rules;
  }

  /** Counts by `actionner` and `result` since start. */
  actionCounts(): { actionner: string; result: ActionResultLabel; count: number }[] {
    return [...this.counts].map(([k, count]) => {
      const [actionner, result] = k.split('|') as [string, ActionResultLabel];
      return { actionner, result, count };
    });
  }

  /** Queues an event; returns false (and counts a drop) when the queue is full. Never throws. */
  submit(event: ResponseEvent): boolean {
    if (this.queue.length >= (this.options.queueLimit ?? 1000)) {
      this.dropped++;
      return false;
    }
    this.queue.push(event);
    this.running ??= this.drain();
    return true;
  }

  /** Resolves when every queued event has been handled. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      for (let event = this.queue.shift(); event; event = this.queue.shift()) await this.handle(event);
    } finally {
      this.running = undefined;
    }
  }

  /** Walks the rules for one event and runs its actions; never throws. */
  async handle(event: ResponseEvent): Promise<Decision> {
    try {
      return await respond(this.options.rules, event, (rule, action) => this.execute(rule, action, event));
    } catch (err) {
      this.options.log?.(`response: ${err instanceof Error ? err.message : String(err)}`);
      return { matched: [], triggered: [], steps: [] };
    }
  }

  private parameters(impl: Actionner | undefined, action: ResolvedAction, event: ResponseEvent): Params {
    const params = structuredClone(action.parameters) as Params;
    if (!impl?.templated || impl.templated.length === 0) return params;
    const vars = eventVariables(event);
    for (const key of impl.templated) {
      const v = params[key];
      if (typeof v === 'string') params[key] = expandTemplate(v, vars);
    }
    return params;
  }

  private async execute(rule: TalonRule, action: ResolvedAction, event: ResponseEvent): Promise<ActionOutcome> {
    const impl = this.implementations.get(action.actionner);
    const params = this.parameters(impl, action, event);
    let last: ActionReport | undefined;
    const finish = (outcome: ActionOutcome, output: string, extra: { objects?: Readonly<Record<string, string>>; durationMs?: number } = {}): ActionOutcome => {
      const result: ActionResultLabel = outcome.status === 'dry-run' ? 'dry_run' : outcome.status;
      last = this.report(rule, action, event, result, output, extra.objects ?? outcome.objects ?? {}, extra.durationMs);
      return outcome;
    };
    let target: ActionTarget | string = {};
    if (impl) target = impl.target(event, params);
    if (typeof target === 'string') return finish({ status: 'failure', error: target }, target);
    const objects = targetObjects(target);
    const protectedWhy = this.scope.protects(target);
    if (protectedWhy) return finish({ status: 'skipped', reason: protectedWhy, objects }, `not run: ${protectedWhy}`);
    const now = Date.now();
    const key = `${rule.name}\u0000${action.name}\u0000${JSON.stringify(target)}`;
    if (this.dedup.repeat(key, now)) return finish({ status: 'skipped', reason: 'duplicate', objects }, `not run: the same action ran on the same target less than ${this.dedup.windowMs} ms ago`);
    if (!this.limiter.allow(`${rule.name}\u0000${action.name}`, now)) {
      return finish({ status: 'skipped', reason: 'rate limited', objects }, `not run: more than ${this.limiter.max} runs in ${this.limiter.perMs / 1000} s`);
    }
    if (this.options.dryRun) return finish({ status: 'dry-run', objects }, 'not run: dry-run');
    if (!impl) {
      const why = `the actionner '${action.actionner}' is not available in this implementation`;
      return finish({ status: 'failure', error: why, objects }, why);
    }
    const started = performance.now();
    let outcome: ActionOutcome;
    let output: string;
    let resultObjects = objects;
    try {
      const result = await impl.run({ event, parameters: params, target, clients: this.clients });
      resultObjects = { ...objects, ...result.objects };
      output = result.output;
      outcome = result.ignored ? { status: 'skipped', reason: result.output, objects: resultObjects } : { status: 'success', output: result.output, objects: resultObjects };
    } catch (err) {
      output = err instanceof Error ? err.message : String(err);
      outcome = { status: 'failure', error: output, objects: resultObjects };
    }
    finish(outcome, output, { objects: resultObjects, durationMs: performance.now() - started });
    if (last) void this.notify(rule, last);
    return outcome;
  }

  private report(rule: TalonRule, action: ResolvedAction, event: ResponseEvent, result: ActionResultLabel, output: string, objects: Readonly<Record<string, string>>, durationMs?: number): ActionReport {
    const key = `${action.actionner}|${result}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    const latencyMs = event.timeNs !== undefined && result === 'success' ? (nowEpochNs() - Number(event.timeNs)) / 1e6 : undefined;
    const report: ActionReport = {
      rule: rule.name,
      action: action.name,
      actionner: action.actionner,
      result,
      output,
      objects,
      alert: { rule: event.rule, priority: event.priority, source: event.source, hostname: event.hostname, output: event.output },
      ...(latencyMs !== undefined ? { latencyMs } : {}),
      ...(durationMs !== undefined ? { durationMs } : {}),
    };
    try {
      this.options.onReport?.(report);
    } catch (err) {
      this.options.log?.(`response: report handler failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.lastReports.push(report);
    if (this.lastReports.length > 100) this.lastReports.shift();
    return report;
  }

  /** The most recent reports (at most 100), oldest first. */
  readonly lastReports: ActionReport[] = [];

  private async notify(rule: TalonRule, report: ActionReport): Promise<void> {
    const names = new Set([...(this.options.defaultNotifiers ?? []), ...rule.notifiers]);
    for (const name of names) {
      const notifier = this.options.notifiers?.get(name);
      if (!notifier) {
        this.options.log?.(`response: notifier '${name}' is not configured`);
        continue;
      }
      try {
        await notifier.notify(report);
      } catch (err) {
        this.options.log?.(`response: notifier '${name}' failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

function targetObjects(t: ActionTarget): Record<string, string> {
  const o: Record<string, string> = {};
  if (t.pid !== undefined) o.pid = String(t.pid);
  if (t.containerId !== undefined) o.container = t.containerId;
  if (t.namespace !== undefined) o.namespace = t.namespace;
  if (t.pod !== undefined) o.pod = t.pod;
  if (t.node !== undefined) o.node = t.node;
  if (t.resource !== undefined) o.resource = t.resource;
  return o;
}
