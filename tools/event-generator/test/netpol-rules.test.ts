/**
 * rules/netpol_rules.yaml through the real engine and syscall source, with verdicts from a real
 * NetpolIndex: it loads cleanly on top of the default rules, and each rule fires on the flows it
 * is about and stays quiet on the others.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NetpolIndex } from '@falco-ts/netpol';
import type { EventSpec } from './support/events';
import { AF_INET, harness, spawn, type Harness, type Proc } from './support/rules-harness';

const NETPOL_RULES = path.resolve(__dirname, '../../../rules/netpol_rules.yaml');

/** shop/web (10.0.0.10) and shop/db (10.0.0.20); db takes ingress from web on 5432 only. */
function cluster(): NetpolIndex {
  const index = new NetpolIndex();
  index.setNamespace({ name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop' } });
  index.setPod({ namespace: 'shop', name: 'web', labels: { app: 'web' }, ips: ['10.0.0.10'] });
  index.setPod({ namespace: 'shop', name: 'db', labels: { app: 'db' }, ips: ['10.0.0.20'] });
  index.setPod({ namespace: 'shop', name: 'batch', labels: { app: 'batch' }, ips: ['10.0.0.30'] });
  index.setPolicy({
    metadata: { namespace: 'shop', name: 'db-from-web' },
    spec: { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] }] },
  });
  return index;
}

function netpolHarness(): Harness {
  const h = harness();
  const index = cluster();
  h.source.setNetworkPolicyProvider({ evaluate: (flow) => index.evaluateAddresses(flow) });
  const r = h.engine.loadRules(readFileSync(NETPOL_RULES, 'utf8'), 'netpol_rules.yaml');
  if (r.errors.length > 0 || r.warnings.length > 0) throw new Error(`netpol rules do not load cleanly: ${JSON.stringify(r.toJSON())}`);
  return h;
}

function tcpConnect(p: Proc, sip: string, dip: string, dport: number, res: number, fd = 4): EventSpec[] {
  const tuple = { sip, sport: 40000, dip, dport };
  return [
    { name: 'socket', tid: p.tid, params: { fd, domain: AF_INET, type: 1, proto: 0, flags: 0 } },
    { name: 'connect', tid: p.tid, dir: 'enter', params: { fd, addr: tuple } },
    { name: 'connect', tid: p.tid, params: { res, tuple, fd, addr: tuple } },
  ];
}

function accept(p: Proc, sip: string, dip: string, dport: number, fd = 6): EventSpec {
  return { name: 'accept4', tid: p.tid, params: { fd, tuple: { sip, sport: 40000, dip, dport }, queuepct: 0, queuelen: 0, queuemax: 0, flags: 0 } };
}

function udpSend(p: Proc, sip: string, dip: string, dport: number, fd = 5): EventSpec[] {
  const tuple = { sip, sport: 39000, dip, dport };
  return [
    { name: 'socket', tid: p.tid, params: { fd, domain: AF_INET, type: 2, proto: 0, flags: 0 } },
    { name: 'sendto', tid: p.tid, params: { res: 4, data: 'ping', fd, size: 4, tuple } },
    { name: 'sendto', tid: p.tid, params: { res: 4, data: 'ping', fd, size: 4, tuple } },
  ];
}

describe('netpol rules', () => {
  it('load cleanly on top of the default rules', () => {
    expect(() => netpolHarness()).not.toThrow();
  });

  it('an enforcement gap: a denied connection that completed, on either end', () => {
    const h = netpolHarness();
    const batch = spawn('psql');
    const pg = spawn('postgres');
    expect(h.fired([...batch.events, ...tcpConnect(batch, '10.0.0.30', '10.0.0.20', 5432, 0)])).toEqual(['NetworkPolicy enforcement gap']);
    expect(h.fired([...pg.events, accept(pg, '10.0.0.30', '10.0.0.20', 5432)])).toEqual(['NetworkPolicy enforcement gap']);
  });

  it('a denied attempt: a refused or pending connect, or a UDP send to a new peer', () => {
    const h = netpolHarness();
    const batch = spawn('psql');
    expect(h.fired([...batch.events, ...tcpConnect(batch, '10.0.0.30', '10.0.0.20', 5432, -111)])).toEqual(['NetworkPolicy denied connection attempt']);
    const nc = spawn('nc');
    expect(h.fired([...nc.events, ...udpSend(nc, '10.0.0.30', '10.0.0.20', 5432)])).toEqual(['NetworkPolicy denied connection attempt']);
  });

  it('allowed flows raise nothing; an allowed flow to a peer no policy of the pod names is an unlisted peer', () => {
    const h = netpolHarness();
    const web = spawn('app');
    expect(h.fired([...web.events, ...tcpConnect(web, '10.0.0.10', '10.0.0.20', 5432, 0)])).toEqual([]);
    const pg = spawn('postgres');
    // db is selected (ingress); its outgoing flow to an address its policy never names:
    expect(h.fired([...pg.events, ...tcpConnect(pg, '10.0.0.20', '203.0.113.5', 443, 0)])).toEqual(['NetworkPolicy unlisted peer']);
    // web is selected by no policy: nothing to compare with.
    const curl = spawn('curl');
    expect(h.fired([...curl.events, ...tcpConnect(curl, '10.0.0.10', '203.0.113.5', 443, 0)])).toEqual([]);
  });

  it('alerts carry the verdicts, the peer and the deciding policies', () => {
    const h = netpolHarness();
    const batch = spawn('psql');
    const [alert] = h.alerts([...batch.events, ...tcpConnect(batch, '10.0.0.30', '10.0.0.20', 5432, 0)]);
    expect(alert?.output_fields).toMatchObject({
      'netpol.direction': 'egress',
      'netpol.local.name': 'shop/batch',
      'netpol.peer.kind': 'pod',
      'netpol.peer.name': 'shop/db',
      'netpol.egress.verdict': 'allowed',
      'netpol.ingress.verdict': 'denied',
      'netpol.policies': ['shop/db-from-web'],
      'fd.name': '10.0.0.30:40000->10.0.0.20:5432',
    });
  });
});
