/**
 * The `response:` section of falco.yaml (the same keys serve the standalone receiver):
 *
 *   response:
 *     enabled: true
 *     rules_files: [/etc/falco/response_rules.yaml]   # Talon rules files, in order
 *     dry_run: false
 *     deduplication: { time_window_seconds: 5 }
 *     rate_limit: { max: 20, per_seconds: 60 }        # per action
 *     protect: { system: true, namespaces: [], pods: [], containers: [], nodes: [] }
 *     runtimes: [{ name: docker, socket: /var/run/docker.sock }]
 *     kubernetes: { kubeconfig: "" }                  # in-cluster when empty and running in a pod
 *     default_notifiers: []
 *     notifiers: { webhook: { url: "" }, slack: { webhook_url: "" }, k8sevents: {} }
 *     receiver: { enabled: false, listen_address: 0.0.0.0, listen_port: 2803 }
 */
import { existsSync } from 'node:fs';
import { ResponseEngine, type ActionReport } from './engine';
import { configError } from './errors';
import { KubeClient } from './kube';
import { k8sEventsNotifier, slackNotifier, webhookNotifier, type Notifier } from './notifiers';
import { startReceiver, type Receiver } from './receiver';
import { checkActionParameters } from './actionners/index';
import { loadRulesFiles, type LoadedRules } from './rules/loader';
import { ContainerRuntimes, DEFAULT_RUNTIME_SOCKETS, DockerEngineRuntime } from './runtime';
import type { ProtectOptions } from './safety';

type Tree = Record<string, unknown>;

const section = (t: unknown, key: string): Tree => {
  const v = (t as Tree | undefined)?.[key];
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw configError(key, 'must be a mapping', v);
  return v as Tree;
};

function bool(t: Tree, key: string, path: string, fallback: boolean): boolean {
  const v = t[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw configError(`${path}.${key}`, 'must be true or false', v);
  return v;
}

function num(t: Tree, key: string, path: string, fallback: number): number {
  const v = t[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw configError(`${path}.${key}`, 'must be a number >= 0', v);
  return v;
}

function strs(t: Tree, key: string, path: string): string[] {
  const v = t[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw configError(`${path}.${key}`, 'must be a list of strings', v);
  return v as string[];
}

function str(t: Tree, key: string, path: string, fallback = ''): string {
  const v = t[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'string' && typeof v !== 'number') throw configError(`${path}.${key}`, 'must be a string', v);
  return String(v);
}

export interface ResponseSettings {
  readonly enabled: boolean;
  readonly rulesFiles: readonly string[];
  readonly dryRun: boolean;
  readonly dedupWindowMs: number;
  readonly rateLimit: { readonly max: number; readonly perSeconds: number };
  readonly protect: ProtectOptions;
  readonly runtimes: readonly { name: string; socket: string }[];
  readonly kubeconfig: string;
  readonly defaultNotifiers: readonly string[];
  readonly notifiers: { readonly webhook?: { url: string }; readonly slack?: { webhookUrl: string; username?: string; icon?: string; footer?: string }; readonly k8sevents: boolean };
  readonly receiver: { readonly enabled: boolean; readonly address: string; readonly port: number };
}

/** Reads and checks the section; `tree` is the whole falco.yaml (or a file holding only `response:`). */
export function parseResponseSettings(tree: unknown): ResponseSettings {
  const r = section(tree, 'response');
  const p = 'response';
  const protect = section(r, 'protect');
  const notifiers = section(r, 'notifiers');
  const webhook = section(notifiers, 'webhook');
  const slack = section(notifiers, 'slack');
  const receiver = section(r, 'receiver');
  const runtimes = r.runtimes;
  if (runtimes !== undefined && runtimes !== null && (!Array.isArray(runtimes) || runtimes.some((x) => typeof (x as Tree)?.socket !== 'string'))) {
    throw configError(`${p}.runtimes`, 'must be a list of {name, socket}', runtimes);
  }
  const port = num(receiver, 'listen_port', `${p}.receiver`, 2803);
  if (!Number.isInteger(port) || port > 65535) throw configError(`${p}.receiver.listen_port`, 'must be a port number', port);
  return {
    enabled: bool(r, 'enabled', p, false),
    rulesFiles: strs(r, 'rules_files', p),
    dryRun: bool(r, 'dry_run', p, false),
    dedupWindowMs: num(section(r, 'deduplication'), 'time_window_seconds', `${p}.deduplication`, 5) * 1000,
    rateLimit: { max: num(section(r, 'rate_limit'), 'max', `${p}.rate_limit`, 20), perSeconds: num(section(r, 'rate_limit'), 'per_seconds', `${p}.rate_limit`, 60) },
    protect: {
      system: bool(protect, 'system', `${p}.protect`, true),
      namespaces: strs(protect, 'namespaces', `${p}.protect`),
      pods: strs(protect, 'pods', `${p}.protect`),
      containers: strs(protect, 'containers', `${p}.protect`),
      nodes: strs(protect, 'nodes', `${p}.protect`),
    },
    runtimes: Array.isArray(runtimes) ? (runtimes as Tree[]).map((x) => ({ name: String(x.name ?? 'docker'), socket: String(x.socket) })) : DEFAULT_RUNTIME_SOCKETS,
    kubeconfig: str(section(r, 'kubernetes'), 'kubeconfig', `${p}.kubernetes`),
    defaultNotifiers: strs(r, 'default_notifiers', p),
    notifiers: {
      ...(str(webhook, 'url', `${p}.notifiers.webhook`) ? { webhook: { url: str(webhook, 'url', `${p}.notifiers.webhook`) } } : {}),
      ...(str(slack, 'webhook_url', `${p}.notifiers.slack`)
        ? {
            slack: {
              webhookUrl: str(slack, 'webhook_url', `${p}.notifiers.slack`),
              ...(str(slack, 'username', `${p}.notifiers.slack`) ? { username: str(slack, 'username', `${p}.notifiers.slack`) } : {}),
              ...(str(slack, 'icon', `${p}.notifiers.slack`) ? { icon: str(slack, 'icon', `${p}.notifiers.slack`) } : {}),
              ...(str(slack, 'footer', `${p}.notifiers.slack`) ? { footer: str(slack, 'footer', `${p}.notifiers.slack`) } : {}),
            },
          }
        : {}),
      k8sevents: notifiers.k8sevents !== undefined,
    },
    receiver: { enabled: bool(receiver, 'enabled', `${p}.receiver`, false), address: str(receiver, 'listen_address', `${p}.receiver`, '0.0.0.0'), port },
  };
}

export interface ResponseRuntime {
  readonly engine: ResponseEngine;
  readonly rules: LoadedRules;
  readonly receiver?: Receiver;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly onReport?: (report: ActionReport) => void;
  readonly log?: (line: string) => void;
  /** Start the receiver even when `response.receiver.enabled` is false (the standalone command). */
  readonly receiver?: boolean;
}

/** Loads the rules, connects what they need and starts the engine (and the receiver when asked). */
export async function startResponse(settings: ResponseSettings, options: StartOptions = {}): Promise<ResponseRuntime> {
  if (settings.rulesFiles.length === 0) throw configError('response.rules_files', 'no rule file is provided');
  const rules = loadRulesFiles(settings.rulesFiles, { checkParameters: checkActionParameters });
  for (const w of rules.warnings) options.log?.(`response rules: ${w.rule ? `rule '${w.rule}', ` : ''}${w.action ? `action '${w.action}': ` : ''}${w.message}`);
  const needsKube = rules.rules.some((r) => r.actions.some((a) => a.actionner.startsWith('kubernetes:'))) || settings.notifiers.k8sevents;
  let kube: KubeClient | undefined;
  if (needsKube) {
    try {
      kube = settings.kubeconfig ? KubeClient.fromKubeconfig(settings.kubeconfig) : KubeClient.inCluster();
    } catch (err) {
      // Kubernetes actions then fail when run, saying why; the host-local ones keep working.
      options.log?.(`response: no Kubernetes connection: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const notifiers = new Map<string, Notifier>();
  if (settings.notifiers.webhook) notifiers.set('webhook', webhookNotifier(settings.notifiers.webhook.url));
  if (settings.notifiers.slack) notifiers.set('slack', slackNotifier(settings.notifiers.slack));
  if (settings.notifiers.k8sevents && kube) notifiers.set('k8sevents', k8sEventsNotifier(kube));
  const runtimes = new ContainerRuntimes(settings.runtimes.filter((s) => existsSync(s.socket)).map((s) => new DockerEngineRuntime(s.name, s.socket)));
  const engine = new ResponseEngine({
    rules: rules.rules,
    clients: { runtimes, ...(kube ? { kube } : {}) },
    dryRun: settings.dryRun,
    dedupWindowMs: settings.dedupWindowMs,
    rateLimit: settings.rateLimit,
    protect: settings.protect,
    notifiers,
    defaultNotifiers: settings.defaultNotifiers,
    ...(options.onReport ? { onReport: options.onReport } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const receiver =
    settings.receiver.enabled || options.receiver ? await startReceiver(engine, { address: settings.receiver.address, port: settings.receiver.port, ...(options.log ? { log: options.log } : {}) }) : undefined;
  return {
    engine,
    rules,
    ...(receiver ? { receiver } : {}),
    async close() {
      await receiver?.close();
      await engine.idle();
    },
  };
}
