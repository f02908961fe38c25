/**
 * Where each action's result is announced, as Talon's notifiers: a generic webhook (the result as
 * JSON), a Slack-compatible incoming webhook, and Kubernetes events on the pod. A rule's
 * `notifiers` add to the configured `default_notifiers`. A notifier that fails is logged and
 * never fails the action.
 */
import type { KubeClient } from './kube';
import { requestOk } from './http';
import type { ActionReport } from './engine';

export interface Notifier {
  readonly name: string;
  notify(report: ActionReport): Promise<void>;
}

export function webhookNotifier(url: string, headers: Record<string, string> = {}): Notifier {
  return {
    name: 'webhook',
    async notify(r) {
      await requestOk({ method: 'POST', url, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(reportJson(r)), timeoutMs: 5000 }, `webhook ${url}`);
    },
  };
}

export function slackNotifier(opts: { webhookUrl: string; username?: string; icon?: string; footer?: string }): Notifier {
  return {
    name: 'slack',
    async notify(r) {
      const color = r.result === 'success' ? '#23ba47' : r.result === 'failure' ? '#e20b0b' : '#a4a8b1';
      const body = {
        username: opts.username ?? 'Falco response',
        ...(opts.icon ? { icon_url: opts.icon } : {}),
        text: `[${r.result}] ${r.actionner} (${r.action}) for rule '${r.rule}'`,
        attachments: [
          {
            color,
            text: r.output,
            fields: [
              { title: 'rule', value: r.rule, short: true },
              { title: 'action', value: r.action, short: true },
              { title: 'actionner', value: r.actionner, short: true },
              { title: 'result', value: r.result, short: true },
              { title: 'alert', value: r.alert.output, short: false },
              ...Object.entries(r.objects).map(([title, value]) => ({ title, value, short: true })),
            ],
            footer: opts.footer ?? 'falco-ts response',
          },
        ],
      };
      await requestOk({ method: 'POST', url: opts.webhookUrl, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), timeoutMs: 5000 }, 'slack webhook');
    },
  };
}

/** A core/v1 Event in the pod's namespace (or `default`), about the pod when the alert names one. */
export function k8sEventsNotifier(kube: KubeClient): Notifier {
  return {
    name: 'k8sevents',
    async notify(r) {
      const namespace = r.objects.namespace ?? 'default';
      const now = new Date().toISOString();
      const pod = r.objects.pod;
      await kube.post(`/api/v1/namespaces/${encodeURIComponent(namespace)}/events`, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { generateName: 'falco-response-', namespace },
        involvedObject: pod ? { apiVersion: 'v1', kind: 'Pod', name: pod, namespace } : { apiVersion: 'v1', kind: 'Node', name: r.objects.node ?? r.alert.hostname },
        reason: `falco-response-${r.result}`,
        message: `${r.actionner} (${r.action}, rule '${r.rule}'): ${r.output}`.slice(0, 1024),
        type: r.result === 'failure' ? 'Warning' : 'Normal',
        source: { component: 'falco-response' },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      });
    },
  };
}

export function reportJson(r: ActionReport): Record<string, unknown> {
  return {
    message: 'action',
    rule: r.rule,
    action: r.action,
    actionner: r.actionner,
    status: r.result,
    output: r.output,
    objects: r.objects,
    event: r.alert.output,
    alert_rule: r.alert.rule,
    priority: r.alert.priority,
    hostname: r.alert.hostname,
  };
}
