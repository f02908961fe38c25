/**
 * `nats_output` (this project's addition; Falco has no NATS output): one persistent connection
 * that reconnects forever, a subject per alert from a template, and optionally JetStream publish
 * with acknowledgement and the alert id as message id, so the server de-duplicates an alert that
 * is sent again after a failure or a restart.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions, JetStreamClient, NatsConnection } from 'nats';
import type * as NatsModule from 'nats';
import { formatJson, type Alert } from '@falco-ts/alert';
import { configError, deliveryError } from '../errors';
import { defineSink } from '../sink';

/** A NATS subject token from a rule name: lower case, runs of anything else than [a-z0-9] → `_`. */
export function ruleSlug(rule: string): string {
  return rule.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'unnamed';
}

const TEMPLATE_VARS = ['priority', 'rule_slug', 'source', 'hostname'] as const;

/** Expands `{priority}`, `{rule_slug}`, `{source}` and `{hostname}` in a subject template. */
export function expandSubject(template: string, alert: Alert): string {
  return template.replace(/\{(priority|rule_slug|source|hostname)\}/g, (_, v: string) => {
    switch (v) {
      case 'priority':
        return alert.priority.toLowerCase();
      case 'rule_slug':
        return ruleSlug(alert.rule);
      case 'source':
        return ruleSlug(alert.source);
      default:
        return ruleSlug(alert.hostname);
    }
  });
}

function checkTemplate(template: string): void {
  const unknown = [...template.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).filter((v) => !(TEMPLATE_VARS as readonly string[]).includes(v));
  if (unknown.length > 0) throw configError('nats_output.subject', `unknown variable {${unknown[0]}}; known: ${TEMPLATE_VARS.map((v) => `{${v}}`).join(' ')}`, template);
  if (template === '' || /\s/.test(template)) throw configError('nats_output.subject', 'must be a non-empty subject without spaces', template);
}

function readFile(key: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw configError(key, `cannot read ${path}: ${(err as Error).message}`, path);
  }
}

export const natsSink = defineSink({
  name: 'nats',
  section: 'nats_output',
  summary: 'Publishes each alert as JSON to a NATS subject, optionally through JetStream with acknowledgement.',
  spoolable: true,
  configSchema: {
    enabled: { type: 'boolean', default: false, doc: 'Publish alerts to NATS.' },
    servers: { type: 'string[]', default: ['nats://127.0.0.1:4222'], doc: 'Server URLs (a list, or a comma-separated string).' },
    subject: { type: 'string', default: 'falco.{priority}.{rule_slug}', doc: 'Subject template; `{priority}` (lower case), `{rule_slug}`, `{source}`, `{hostname}`.' },
    jetstream: { type: 'boolean', default: false, doc: 'Publish through JetStream and wait for the acknowledgement; the alert id is the message id (`Nats-Msg-Id`).' },
    jetstream_stream: { type: 'string', default: '', doc: 'When set, create this stream (if missing) capturing `jetstream_subjects`.' },
    jetstream_subjects: { type: 'string[]', default: ['falco.>'], doc: 'Subjects of the stream created by `jetstream_stream`.' },
    name: { type: 'string', default: 'falco', doc: 'Connection name shown by the server.' },
    user: { type: 'string', default: '', doc: 'User name.' },
    password: { type: 'string', default: '', doc: 'Password.' },
    token: { type: 'string', default: '', doc: 'Authentication token.' },
    credentials: { type: 'string', default: '', doc: 'A `.creds` file (JWT and NKey seed).' },
    tls_ca: { type: 'string', default: '', doc: 'PEM file of the CA that signed the server certificate; setting any tls_* key turns TLS on.' },
    tls_cert: { type: 'string', default: '', doc: 'Client certificate (PEM) for mutual TLS.' },
    tls_key: { type: 'string', default: '', doc: 'Client key (PEM) for mutual TLS.' },
    reconnect_wait_ms: { type: 'integer', default: 1000, min: 10, doc: 'Pause between reconnection attempts.' },
  },
  validate(config) {
    checkTemplate(config.subject);
    if (config.servers.length === 0) throw configError('nats_output.servers', 'needs at least one server URL');
  },
  create(config, ctx) {
    // The NATS client is loaded when a sink is created, not at import: it is ~50 ms of start-up
    // that runs with nats_output disabled would otherwise pay.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Events, connect, credsAuthenticator } = require('nats') as typeof NatsModule;
    const opts: ConnectionOptions = {
      servers: [...config.servers],
      name: config.name,
      reconnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: config.reconnect_wait_ms,
    };
    if (config.user !== '') {
      opts.user = config.user;
      opts.pass = config.password;
    }
    if (config.token !== '') opts.token = config.token;
    if (config.credentials !== '') {
      opts.authenticator = credsAuthenticator(new TextEncoder().encode(readFile('nats_output.credentials', config.credentials)));
    }
    if (config.tls_ca !== '' || config.tls_cert !== '' || config.tls_key !== '') {
      opts.tls = {
        ...(config.tls_ca !== '' ? { ca: readFile('nats_output.tls_ca', config.tls_ca) } : {}),
        ...(config.tls_cert !== '' ? { cert: readFile('nats_output.tls_cert', config.tls_cert) } : {}),
        ...(config.tls_key !== '' ? { key: readFile('nats_output.tls_key', config.tls_key) } : {}),
      };
    }

    let nc: NatsConnection | undefined;
    let js: JetStreamClient | undefined;
    let connected = false;
    let closing = false;
    let retryTimer: NodeJS.Timeout | undefined;
    let wakeRetry: (() => void) | undefined;

    const setup = async (c: NatsConnection): Promise<void> => {
      if (config.jetstream) {
        if (config.jetstream_stream !== '') {
          const jsm = await c.jetstreamManager();
          try {
            await jsm.streams.info(config.jetstream_stream);
          } catch {
            await jsm.streams.add({ name: config.jetstream_stream, subjects: [...config.jetstream_subjects] });
          }
        }
        js = c.jetstream();
      }
      nc = c;
      connected = true;
      void (async () => {
        for await (const s of c.status()) {
          if (s.type === Events.Disconnect) {
            connected = false;
            ctx.log(`nats: disconnected from ${String(s.data)}`);
          } else if (s.type === Events.Reconnect) {
            connected = true;
            ctx.log(`nats: reconnected to ${String(s.data)}`);
          }
        }
      })();
    };

    // The first connection is retried here (not with waitOnFirstConnect) so close() can stop it;
    // once connected, the client reconnects by itself.
    const connecting = (async () => {
      let reported = false;
      while (!closing) {
        try {
          const c = await connect(opts);
          if (closing) {
            await c.close();
            return;
          }
          await setup(c);
          return;
        } catch (err) {
          if (!reported) ctx.log(`nats: cannot connect (retrying): ${err instanceof Error ? err.message : String(err)}`);
          reported = true;
          await new Promise<void>((resolve) => {
            wakeRetry = resolve;
            retryTimer = setTimeout(resolve, config.reconnect_wait_ms);
          });
        }
      }
    })();

    return {
      async send(alert) {
        if (nc === undefined || !connected) throw deliveryError('nats', 'not connected', config.servers.join(','));
        const subject = expandSubject(config.subject, alert);
        const data = new TextEncoder().encode(formatJson(alert, { ...ctx.format, json: true }));
        try {
          if (js !== undefined) {
            await js.publish(subject, data, { msgID: alert.id });
          } else if (!config.jetstream) {
            nc.publish(subject, data);
            // The round trip proves the server has the message; without it a disconnect could lose it.
            await nc.flush();
          } else {
            throw new Error('JetStream context not ready');
          }
        } catch (err) {
          throw deliveryError('nats', `publish to ${subject} failed: ${(err as Error).message}`, (err as { code?: string }).code);
        }
      },
      async sendBatch(alerts) {
        if (nc === undefined || !connected) throw deliveryError('nats', 'not connected', config.servers.join(','));
        const c = nc;
        const msgs = alerts.map((a) => ({ subject: expandSubject(config.subject, a), data: new TextEncoder().encode(formatJson(a, { ...ctx.format, json: true })), id: a.id }));
        try {
          if (js !== undefined) {
            const jsc = js;
            await Promise.all(msgs.map((m) => jsc.publish(m.subject, m.data, { msgID: m.id })));
          } else if (!config.jetstream) {
            for (const m of msgs) c.publish(m.subject, m.data);
            await c.flush();
          } else {
            throw new Error('JetStream context not ready');
          }
        } catch (err) {
          throw deliveryError('nats', `publish of ${msgs.length} alerts failed: ${(err as Error).message}`, (err as { code?: string }).code);
        }
      },
      async close() {
        closing = true;
        clearTimeout(retryTimer);
        wakeRetry?.();
        await connecting;
        const c = nc;
        if (c !== undefined && !c.isClosed()) await c.drain().catch(() => c.close());
      },
    };
  },
});
