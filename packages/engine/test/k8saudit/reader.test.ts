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

// falcosecurity/plugins plugins/k8saudit (ParseAuditEventsJSON) and falcosecurity/testing
// tests/k8saudit/k8saudit_test.go TestK8SAudit_Legacy_Fal01003: a file document that is neither an
// event, an event list nor an array of them is reported as "data not recognized as a k8s audit
// event" and reading goes on.
describe('documents that are not audit events, in files', () => {
  const nowNs = (): bigint => 0n;
  const event = { kind: 'Event', apiVersion: 'audit.k8s.io/v1', stageTimestamp: '2024-01-01T00:00:00Z', verb: 'get' };
  it.each<[string, string, string[], number]>([
    ['a kind that is not a string', '{"kind": 0}', ['item 1'], 0],
    ['a kind that is not Event or EventList', '{"kind": "Pod"}', ['item 1'], 0],
    ['one bad line among events', `${JSON.stringify(event)}\n{"kind": 0}\n${JSON.stringify(event)}`, ['line 2'], 2],
    ['a bad element of an array', JSON.stringify([event, { kind: 0 }]), ['item 2'], 1],
  ])('%s', (_what, text, reported, kept) => {
    const where: string[] = [];
    const events = parseAuditBody(text, 'f.json', 0, nowNs, (w) => where.push(w));
    expect(where).toEqual(reported);
    expect(events).toHaveLength(kept);
  });
});
