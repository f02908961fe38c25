/**
 * netpol.* fields: which events start a flow, the flow handed to the host's provider (client →
 * server tuple, destination port, protocol, the pod address standing in for an unspecified local
 * address), and how the verdict maps to the fields from the event's own side.
 */
import type { SyscallEvent } from '../../src/fields/event';
import type { PolicyFlow, PolicyVerdict } from '../../src/syscall/netpol';
import { SyscallSource } from '../../src/syscall/source';
import { batchOf, type EventInput } from '../syscall/events';

const ID = '3ad7b26ded6d8e7b23da7d48fe889434573036c27ae5a74837233de441c3601e';

const NAMES = [
  'netpol.verdict',
  'netpol.policies',
  'netpol.direction',
  'netpol.egress.verdict',
  'netpol.egress.reason',
  'netpol.ingress.verdict',
  'netpol.ingress.policies',
  'netpol.local.kind',
  'netpol.local.name',
  'netpol.peer.kind',
  'netpol.peer.name',
  'netpol.peer.namespace',
  'netpol.peer.listed',
];

/** A provider that records the flows and answers from a table of pods by address. */
function provider(seen: PolicyFlow[]) {
  const pods: Record<string, string> = { '10.0.0.1': 'x/client', '10.0.0.2': 'y/server' };
  return {
    evaluate(flow: PolicyFlow): PolicyVerdict {
      seen.push(flow);
      const end = (ip: string) => (pods[ip] ? { kind: 'pod', identity: pods[ip]!, namespace: pods[ip]!.split('/')[0]! } : { kind: 'external', identity: ip });
      const denied = flow.port === 5432;
      return {
        verdict: denied ? 'denied' : 'allowed',
        egress: { verdict: 'allowed', reason: 'not-isolated', policies: [] },
        ingress: denied ? { verdict: 'denied', reason: 'no-rule-matches', policies: ['y/db-only'], peerListed: false } : { verdict: 'allowed', reason: 'not-isolated', policies: [] },
        source: end(flow.sourceIp),
        destination: end(flow.destinationIp),
        policies: denied ? ['y/db-only'] : [],
      };
    },
  };
}

function source(seen: PolicyFlow[]): SyscallSource {
  const s = new SyscallSource({ hostname: 'testhost', networkPolicy: provider(seen) });
  s.setMetadataProvider({ lookup: (id) => (id === ID.slice(0, 12) ? { id, k8s: { podIp: '10.0.0.1', podName: 'client', namespace: 'x' } } : undefined) });
  s.seed({
    threads: [
      { tid: 1, pid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init', args: [], cwd: '/', uid: 0, gid: 0 },
      { tid: 100, pid: 100, ptid: 1, comm: 'app', exe: 'app', args: [], cwd: '/', uid: 0, gid: 0, cgroups: [`cpuset=/docker/${ID}`] },
    ],
  });
  return s;
}

function fields(s: SyscallSource, events: EventInput[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  s.forEach(batchOf(events), (e: SyscallEvent) => {
    const row: Record<string, unknown> = { evt: e.view.name };
    for (const n of NAMES) {
      const def = s.fields.resolve(n, undefined);
      if (def === undefined || 'error' in def) throw new Error(`cannot resolve ${n}`);
      row[n] = def.extract(e, undefined);
    }
    out.push(row);
  });
  return out;
}

const TCP_SOCKET: EventInput = { name: 'socket', tid: 100, params: { fd: 4, domain: 2, type: 1, proto: 0 } };
const UDP_SOCKET: EventInput = { name: 'socket', tid: 100, params: { fd: 5, domain: 2, type: 2, proto: 0 } };

describe('netpol fields', () => {
  it('give the verdict of a connect, from the client side, refused or not', () => {
    const seen: PolicyFlow[] = [];
    const rows = fields(source(seen), [
      TCP_SOCKET,
      { name: 'connect', tid: 100, params: { res: -111, tuple: { sip: '10.0.0.1', sport: 40000, dip: '10.0.0.2', dport: 5432 }, fd: 4 } },
    ]);
    expect(seen).toEqual([{ sourceIp: '10.0.0.1', destinationIp: '10.0.0.2', port: 5432, protocol: 'TCP' }]);
    expect(rows[0]!['netpol.verdict']).toBeUndefined(); // socket starts no flow
    expect(rows[1]).toEqual({
      evt: 'connect',
      'netpol.verdict': 'denied',
      'netpol.policies': ['y/db-only'],
      'netpol.direction': 'egress',
      'netpol.egress.verdict': 'allowed',
      'netpol.egress.reason': 'not-isolated',
      'netpol.ingress.verdict': 'denied',
      'netpol.ingress.policies': ['y/db-only'],
      'netpol.local.kind': 'pod',
      'netpol.local.name': 'x/client',
      'netpol.peer.kind': 'pod',
      'netpol.peer.name': 'y/server',
      'netpol.peer.namespace': 'y',
      'netpol.peer.listed': undefined,
    });
  });

  it('give the server side on accept, with the peer being the client', () => {
    const seen: PolicyFlow[] = [];
    const rows = fields(source(seen), [{ name: 'accept4', tid: 100, params: { fd: 6, tuple: { sip: '203.0.113.9', sport: 5555, dip: '10.0.0.2', dport: 5432 } } }]);
    expect(seen).toEqual([{ sourceIp: '203.0.113.9', destinationIp: '10.0.0.2', port: 5432, protocol: 'TCP' }]);
    expect(rows[0]).toMatchObject({
      'netpol.direction': 'ingress',
      'netpol.local.name': 'y/server',
      'netpol.peer.kind': 'external',
      'netpol.peer.name': '203.0.113.9',
      'netpol.peer.namespace': undefined,
      'netpol.peer.listed': false,
    });
  });

  it('evaluate a UDP flow on its first send to a peer only, with the pod address for an unbound socket', () => {
    const seen: PolicyFlow[] = [];
    const send = (dport: number): EventInput => ({
      name: 'sendto',
      tid: 100,
      params: { res: 5, data: 'hello', fd: 5, size: 5, tuple: { sip: '0.0.0.0', sport: 39999, dip: '10.0.0.2', dport } },
    });
    const rows = fields(source(seen), [UDP_SOCKET, send(53), send(53), send(5353)]);
    expect(seen).toEqual([
      { sourceIp: '10.0.0.1', destinationIp: '10.0.0.2', port: 53, protocol: 'UDP' },
      { sourceIp: '10.0.0.1', destinationIp: '10.0.0.2', port: 5353, protocol: 'UDP' },
    ]);
    expect(rows.map((r) => r['netpol.verdict'])).toEqual([undefined, 'allowed', undefined, 'allowed']);
  });

  it('read as missing without a provider, and on flows without addresses', () => {
    const s = new SyscallSource({ hostname: 'testhost' });
    const rows = fields(s, [TCP_SOCKET, { name: 'connect', tid: 1, params: { res: 0, tuple: { sip: '10.0.0.1', sport: 1, dip: '10.0.0.2', dport: 80 }, fd: 4 } }]);
    expect(rows.every((r) => NAMES.every((n) => r[n] === undefined))).toBe(true);
    const seen: PolicyFlow[] = [];
    const host = fields(source(seen), [{ name: 'connect', tid: 1, params: { res: -111, tuple: { sip: '0.0.0.0', sport: 0, dip: '10.0.0.2', dport: 80 }, fd: 7 } }]);
    expect(host[0]!['netpol.verdict']).toBeUndefined(); // a host process with no address of its own
    expect(seen).toEqual([]);
  });
});
