/**
 * What the k8saudit plugin's configuration says about where events come from and how much the
 * webhook accepts: `open_params` (a file path, or an `http(s)://host:port/path` address) and
 * `init_config` (`sslCertificate`, `maxEventSize`, `webhookMaxBatchSize`, and here also
 * `webhookBearerToken`/`webhookBearerTokenFile`). Transport-free, so the engine can check a
 * configuration and a body without running a server.
 */
import { AuditConfigError, type AuditInputError } from '../errors';
import { readAuditEvents, type AuditEvent } from './event';

/** The plugin's defaults: 256 KiB per event, 12 MiB per POST, `/etc/falco/falco.pem`. */
export const K8S_AUDIT_DEFAULTS = {
  endpoint: '/k8s-audit',
  maxEventBytes: 262_144,
  maxBodyBytes: 12_582_912,
  sslCertificate: '/etc/falco/falco.pem',
} as const;

export type AuditInput =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'webhook'; readonly tls: boolean; readonly host: string; readonly port: number; readonly endpoint: string }
  /** No `open_params`: the detector's own web server receives the events on `/k8s-audit`. */
  | { readonly kind: 'embedded' };

export interface AuditWebhookLimits {
  readonly maxEventBytes: number;
  readonly maxBodyBytes: number;
  /** PEM file holding the certificate and its private key, for `https://` addresses. */
  readonly sslCertificate: string;
  /** When set, requests must carry `Authorization: Bearer <token>`. */
  readonly bearerToken: string | undefined;
}

/** `open_params`: `http://:9765/k8s-audit`, `https://0.0.0.0:443/audit`, or a file path. */
export function parseOpenParams(openParams: string): AuditInput {
  const p = openParams.trim();
  if (p === '') return { kind: 'embedded' };
  const m = /^(https?):\/\/(\[[^\]]*\]|[^:/]*)(?::(\d+))?(\/.*)?$/.exec(p);
  if (!m) {
    if (/^[a-z]+:\/\//i.test(p)) throw new AuditConfigError(`k8saudit open_params: unsupported address ${p} (expected http://host:port/path, https://... or a file path)`, { key: 'open_params' });
    return { kind: 'file', path: p };
  }
  const tls = m[1] === 'https';
  const port = m[3] === undefined ? (tls ? 443 : 80) : Number(m[3]);
  if (!Number.isInteger(port) || port > 65535) throw new AuditConfigError(`k8saudit open_params: bad port in ${p}`, { key: 'open_params' });
  const host = (m[2] ?? '').replace(/^\[|\]$/g, '') || '0.0.0.0';
  return { kind: 'webhook', tls, host, port, endpoint: m[4] ?? '/' };
}

function positiveInt(cfg: Record<string, unknown>, key: string, dflt: number): number {
  const v = cfg[key];
  if (v === undefined || v === null || v === '') return dflt;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new AuditConfigError(`k8saudit init_config.${key}: expected a positive integer, got ${JSON.stringify(v)}`, { key });
  return n;
}

/**
 * `init_config` as Falco passes it: a map, a JSON string, or empty. `readFile` resolves
 * `webhookBearerTokenFile` (a Kubernetes secret mounted as a file).
 */
export function parseInitConfig(initConfig: unknown, readFile: (path: string) => string): AuditWebhookLimits {
  let cfg: Record<string, unknown> = {};
  if (typeof initConfig === 'string' && initConfig.trim() !== '') {
    try {
      cfg = JSON.parse(initConfig) as Record<string, unknown>;
    } catch (e) {
      throw new AuditConfigError(`k8saudit init_config is not JSON: ${(e as Error).message}`, { key: 'init_config' });
    }
  } else if (initConfig !== null && typeof initConfig === 'object' && !Array.isArray(initConfig)) {
    cfg = initConfig as Record<string, unknown>;
  }
  let bearerToken = typeof cfg['webhookBearerToken'] === 'string' && cfg['webhookBearerToken'] !== '' ? cfg['webhookBearerToken'] : undefined;
  const tokenFile = cfg['webhookBearerTokenFile'];
  if (typeof tokenFile === 'string' && tokenFile !== '') {
    try {
      bearerToken = readFile(tokenFile).trim();
    } catch (e) {
      throw new AuditConfigError(`k8saudit init_config.webhookBearerTokenFile: ${(e as Error).message}`, { key: 'webhookBearerTokenFile' });
    }
  }
  return {
    maxEventBytes: positiveInt(cfg, 'maxEventSize', K8S_AUDIT_DEFAULTS.maxEventBytes),
    maxBodyBytes: positiveInt(cfg, 'webhookMaxBatchSize', K8S_AUDIT_DEFAULTS.maxBodyBytes),
    sslCertificate: typeof cfg['sslCertificate'] === 'string' && cfg['sslCertificate'] !== '' ? cfg['sslCertificate'] : K8S_AUDIT_DEFAULTS.sslCertificate,
    bearerToken,
  };
}

/** Why a webhook request was refused, with the HTTP status it gets; `metricLabel` names the counter. */
export interface WebhookRejection {
  readonly status: 400 | 401 | 413 | 415;
  readonly reason: 'bad_json' | 'not_audit_event' | 'too_large' | 'unauthorized';
  readonly message: string;
}

/** The rejection an `AuditInputError` from a webhook body maps to. */
export function webhookRejection(e: AuditInputError): WebhookRejection {
  switch (e.code) {
    case 'K8SAUDIT_TOO_LARGE':
      return { status: 413, reason: 'too_large', message: e.message };
    case 'K8SAUDIT_BAD_JSON':
      return { status: 400, reason: 'bad_json', message: e.message };
    default:
      return { status: 400, reason: 'not_audit_event', message: e.message };
  }
}

/**
 * A webhook body, all or nothing: every document must be an audit Event or EventList within the
 * event size limit, otherwise an `AuditInputError` says which one and nothing is evaluated.
 */
export function parseWebhookBody(body: string, limits: Pick<AuditWebhookLimits, 'maxEventBytes'>, start: number, nowNs: () => bigint): AuditEvent[] {
  return readAuditEvents(body, { source: 'webhook', start, nowNs, strict: true, maxEventBytes: limits.maxEventBytes });
}

/** Constant-time comparison of the `Authorization` header with the configured token. */
export function bearerTokenMatches(header: string | undefined, token: string): boolean {
  if (header === undefined) return false;
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!m) return false;
  const a = Buffer.from(m[1]!);
  const b = Buffer.from(token);
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a[i % (a.length || 1)] ?? 0) ^ b[i]!;
  return diff === 0;
}
