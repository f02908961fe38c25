/**
 * Splitting bodies into audit events: files are read leniently (non-audit documents skipped, as
 * the plugin does); webhook bodies strictly (all or nothing, typed errors with position).
 */
import { AuditInputError } from '../../src/errors';
import { parseAuditBody, parseWebhookBody, readAuditFile } from '../../src/k8saudit';

const now = (): bigint => 7n;
const ev = (verb: string, extra: object = {}) => ({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', verb, ...extra });
const limits = { maxEventBytes: 1024 };

function thrown(f: () => unknown): AuditInputError {
  try {
    f();
  } catch (e) {
    if (e instanceof AuditInputError) return e;
    throw e;
  }
  throw new Error('no error thrown');
}

describe('audit event readers', () => {
  it('splits EventLists, arrays and JSON lines, numbering events from start', () => {
    const list = JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1beta1', items: [ev('get'), ev('list')] });
    expect(parseAuditBody(list, 'x', 10, now).map((e) => [e.json['verb'], e.num])).toEqual([['get', 11], ['list', 12]]);
    expect(parseAuditBody(`${JSON.stringify(ev('a'))}\n\n${JSON.stringify([ev('b')])}\n`, 'x', 0, now).map((e) => e.json['verb'])).toEqual(['a', 'b']);
  });

  it('takes the stage timestamp with nanoseconds, else the receipt time', () => {
    const [a, b] = parseAuditBody(JSON.stringify([ev('a', { stageTimestamp: '2019-10-11T13:30:08.123456789Z' }), ev('b')]), 'x', 0, now);
    expect(a!.ts).toBe(1570800608123456789n);
    expect(b!.ts).toBe(7n);
  });

  it('skips non-audit documents in files but refuses them on the webhook', () => {
    expect(parseAuditBody('{"kind": 0}\n', 'x', 0, now)).toEqual([]);
    const e = thrown(() => parseWebhookBody('{"kind": 0}', limits, 0, now));
    expect(e.code).toBe('K8SAUDIT_NOT_AUDIT_EVENT');
    expect(e.message).toMatch(/not an audit.k8s.io Event/);
    // A core v1 Event is a Kubernetes event, not an audit event.
    expect(thrown(() => parseWebhookBody(JSON.stringify({ kind: 'Event', apiVersion: 'v1' }), limits, 0, now)).code).toBe('K8SAUDIT_NOT_AUDIT_EVENT');
    expect(thrown(() => parseWebhookBody('  ', limits, 0, now)).code).toBe('K8SAUDIT_NOT_AUDIT_EVENT');
    const mixed = JSON.stringify({ kind: 'EventList', items: [ev('get'), { kind: 'Pod' }] });
    expect(thrown(() => parseWebhookBody(mixed, limits, 0, now)).context.item).toBe(2);
  });

  it('reports broken JSON with its line', () => {
    const e = thrown(() => parseAuditBody(`${JSON.stringify(ev('a'))}\n{oops\n`, 'f.json', 0, now));
    expect(e.code).toBe('K8SAUDIT_BAD_JSON');
    expect(e.context).toEqual({ source: 'f.json', line: 2 });
    expect(e.message).toMatch(/^f.json:2: not a JSON document/);
    expect(thrown(() => parseWebhookBody('{"kind": "EventList", ', limits, 0, now)).code).toBe('K8SAUDIT_BAD_JSON');
  });

  it('refuses events over the event size limit', () => {
    const big = ev('create', { requestObject: { data: 'x'.repeat(2000) } });
    const e = thrown(() => parseWebhookBody(JSON.stringify({ kind: 'EventList', items: [ev('get'), big] }), limits, 0, now));
    expect(e.code).toBe('K8SAUDIT_TOO_LARGE');
    expect(e.context.item).toBe(2);
  });

  it('names an unreadable file', () => {
    const e = thrown(() => readAuditFile('/nonexistent/audit.json', now));
    expect(e.code).toBe('K8SAUDIT_UNREADABLE');
    expect(e.context.source).toBe('/nonexistent/audit.json');
  });
});
