import { NetpolIndex, type EndpointRef, type NetworkPolicy, type NetworkPolicySpec, type PodRecord, type Protocol } from '@falco-ts/netpol';

function policy(namespace: string, name: string, spec: NetworkPolicySpec): NetworkPolicy {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace, name }, spec };
}

function pod(namespace: string, name: string, ip: string, extra: Partial<PodRecord> = {}): PodRecord {
  return { namespace, name, labels: { pod: name }, ips: [ip], nodeName: 'n1', ...extra };
}

/** Namespaces x and y, pods x/a x/b y/a on node n1 (192.168.0.1), node n2 (192.168.0.2). */
function cluster(...policies: NetworkPolicy[]): NetpolIndex {
  const index = new NetpolIndex();
  index.setNamespace({ name: 'x', labels: { 'kubernetes.io/metadata.name': 'x', team: 'blue' } });
  index.setNamespace({ name: 'y', labels: { 'kubernetes.io/metadata.name': 'y', team: 'red' } });
  index.setNode({ name: 'n1', ips: ['192.168.0.1'] });
  index.setNode({ name: 'n2', ips: ['192.168.0.2'] });
  index.setPod(pod('x', 'a', '10.0.0.1', { ports: [{ name: 'http', port: 8080 }, { name: 'dns', port: 53, protocol: 'UDP' }] }));
  index.setPod(pod('x', 'b', '10.0.0.2', { ports: [{ name: 'http', port: 9090 }] }));
  index.setPod(pod('y', 'a', '10.1.0.1', { nodeName: 'n2' }));
  for (const p of policies) expect(index.setPolicy(p)).toBeUndefined();
  return index;
}

function ref(text: string): EndpointRef {
  const slash = text.indexOf('/');
  return slash > 0 && !text.includes(':') && !/^\d/.test(text) ? { namespace: text.slice(0, slash), name: text.slice(slash + 1) } : { ip: text };
}

function verdict(index: NetpolIndex, from: string, to: string, port = 80, protocol: Protocol = 'TCP'): string {
  return index.evaluate({ source: ref(from), destination: ref(to), port, protocol }).verdict;
}

const DENY_INGRESS = policy('x', 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });

describe('policyTypes defaulting', () => {
  it('without policyTypes, a policy isolates for ingress, and for egress only when it has egress rules', () => {
    const idx = cluster(policy('x', 'p', { podSelector: { matchLabels: { pod: 'a' } }, egress: [{ to: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] }));
    expect(verdict(idx, 'x/b', 'x/a')).toBe('denied'); // ingress isolated, no ingress rules
    expect(verdict(idx, 'x/a', 'x/b')).toBe('allowed'); // egress rule allows x/b
    expect(verdict(idx, 'x/a', 'y/a')).toBe('denied'); // egress isolated
  });

  it('an empty egress list without policyTypes is ingress-only', () => {
    const idx = cluster(policy('x', 'p', { podSelector: {}, egress: [] }));
    expect(verdict(idx, 'x/a', 'y/a')).toBe('allowed');
    expect(verdict(idx, 'y/a', 'x/a')).toBe('denied');
  });

  it('explicit policyTypes win over the rules present', () => {
    const idx = cluster(policy('x', 'p', { podSelector: {}, policyTypes: ['Egress'], ingress: [] }));
    expect(verdict(idx, 'y/a', 'x/a')).toBe('allowed');
    expect(verdict(idx, 'x/a', 'y/a')).toBe('denied');
  });
});

describe('ports', () => {
  it('endPort makes an inclusive range', () => {
    const idx = cluster(policy('x', 'range', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 8000, endPort: 8080 }] }] }));
    expect(verdict(idx, 'y/a', 'x/a', 8000)).toBe('allowed');
    expect(verdict(idx, 'y/a', 'x/a', 8042)).toBe('allowed');
    expect(verdict(idx, 'y/a', 'x/a', 8080)).toBe('allowed');
    expect(verdict(idx, 'y/a', 'x/a', 8081)).toBe('denied');
    expect(verdict(idx, 'y/a', 'x/a', 7999)).toBe('denied');
    expect(verdict(idx, 'y/a', 'x/a', 8042, 'UDP')).toBe('denied');
  });

  it('a named port is resolved on the destination pod, by name and protocol', () => {
    const idx = cluster(policy('x', 'named', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 'http' }, { port: 'dns', protocol: 'UDP' }] }] }));
    expect(verdict(idx, 'y/a', 'x/a', 8080)).toBe('allowed');
    expect(verdict(idx, 'y/a', 'x/a', 9090)).toBe('denied');
    expect(verdict(idx, 'y/a', 'x/b', 9090)).toBe('allowed');
    expect(verdict(idx, 'y/a', 'x/b', 8080)).toBe('denied');
    expect(verdict(idx, 'y/a', 'x/a', 53, 'UDP')).toBe('allowed');
    expect(verdict(idx, 'y/a', 'x/a', 53, 'TCP')).toBe('denied');
  });

  it('a named egress port matches only destinations that are pods with that port', () => {
    const idx = cluster(policy('x', 'named-egress', { podSelector: { matchLabels: { pod: 'b' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'http' }] }] }));
    expect(verdict(idx, 'x/b', 'x/a', 8080)).toBe('allowed');
    expect(verdict(idx, 'x/b', 'x/a', 9090)).toBe('denied');
    expect(verdict(idx, 'x/b', '203.0.113.7', 8080)).toBe('denied');
  });

  it('protocols do not stand in for each other; a protocol-only entry allows every port of it', () => {
    const idx = cluster(
      policy('x', 'udp81', { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 81, protocol: 'UDP' }] }] }),
      policy('x', 'sctp-any', { podSelector: { matchLabels: { pod: 'b' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ protocol: 'SCTP' }] }] }),
    );
    expect(verdict(idx, 'y/a', 'x/a', 81, 'UDP')).toBe('allowed');
    expect(verdict(idx, 'y/a', 'x/a', 81, 'TCP')).toBe('denied');
    expect(verdict(idx, 'y/a', 'x/a', 81, 'SCTP')).toBe('denied');
    expect(verdict(idx, 'y/a', 'x/b', 4242, 'SCTP')).toBe('allowed');
    expect(verdict(idx, 'y/a', 'x/b', 4242, 'TCP')).toBe('denied');
  });
});

describe('peers', () => {
  it('namespaceSelector and podSelector in one peer are ANDed, in two peers ORed', () => {
    const and = cluster(
      policy('x', 'and', { podSelector: { matchLabels: { pod: 'b' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'red' } }, podSelector: { matchLabels: { pod: 'a' } } }] }] }),
    );
    expect(verdict(and, 'y/a', 'x/b')).toBe('allowed');
    expect(verdict(and, 'x/a', 'x/b')).toBe('denied'); // pod matches, namespace does not
    const or = cluster(
      policy('x', 'or', { podSelector: { matchLabels: { pod: 'b' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'red' } } }, { podSelector: { matchLabels: { pod: 'a' } } }] }] }),
    );
    expect(verdict(or, 'y/a', 'x/b')).toBe('allowed');
    expect(verdict(or, 'x/a', 'x/b')).toBe('allowed');
  });

  it('a podSelector alone selects pods of the policy namespace only', () => {
    const idx = cluster(policy('x', 'p', { podSelector: { matchLabels: { pod: 'b' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'a' } } }] }] }));
    expect(verdict(idx, 'x/a', 'x/b')).toBe('allowed');
    expect(verdict(idx, 'y/a', 'x/b')).toBe('denied');
  });

  it('empty or absent from/to allow every peer, addresses included', () => {
    const idx = cluster(
      policy('x', 'in', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [] }] }),
      policy('x', 'out', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 443 }] }] }),
    );
    expect(verdict(idx, '198.51.100.1', 'x/a')).toBe('allowed');
    expect(verdict(idx, 'x/a', '198.51.100.1', 443)).toBe('allowed');
    expect(verdict(idx, 'x/a', '198.51.100.1', 80)).toBe('denied');
  });

  it('ipBlock except carves addresses out, and applies to pod addresses too', () => {
    const idx = cluster(
      policy('x', 'cidr', { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['203.0.113.0/28', '10.1.0.1/32'] } }] }] }),
    );
    expect(verdict(idx, 'x/a', '203.0.113.20')).toBe('allowed');
    expect(verdict(idx, 'x/a', '203.0.113.5')).toBe('denied');
    expect(verdict(idx, 'x/a', 'x/b')).toBe('allowed');
    expect(verdict(idx, 'x/a', 'y/a')).toBe('denied');
    expect(verdict(idx, 'x/a', '2001:db8::1')).toBe('denied');
  });
});

describe('what an address is', () => {
  it('resolves pods, nodes, Services, external and loopback addresses', () => {
    const idx = cluster();
    idx.setService({ namespace: 'x', name: 'web', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, targetPort: 8080 }] });
    expect(idx.resolve({ ip: '10.0.0.1' })).toEqual({ kind: 'pod', identity: 'x/a', namespace: 'x', ip: '10.0.0.1' });
    expect(idx.resolve({ ip: '::ffff:10.0.0.2' })).toEqual({ kind: 'pod', identity: 'x/b', namespace: 'x', ip: '10.0.0.2' });
    expect(idx.resolve({ ip: '192.168.0.2' })).toEqual({ kind: 'node', identity: 'n2', ip: '192.168.0.2' });
    expect(idx.resolve({ ip: '10.96.0.10' })).toEqual({ kind: 'service', identity: 'x/web', namespace: 'x', ip: '10.96.0.10' });
    expect(idx.resolve({ ip: '8.8.8.8' })).toEqual({ kind: 'external', identity: '8.8.8.8', ip: '8.8.8.8' });
    expect(idx.resolve({ ip: '127.0.0.1' }).kind).toBe('loopback');
  });

  it('loopback traffic is not subject to policy', () => {
    const idx = cluster(DENY_INGRESS);
    const v = idx.evaluate({ source: { ip: '127.0.0.1' }, destination: { ip: '127.0.0.1' }, port: 80, protocol: 'TCP' });
    expect(v.verdict).toBe('allowed');
    expect(v.ingress.reason).toBe('loopback');
  });

  it('refuses an address that is not one and an unknown pod, with context', () => {
    const idx = cluster();
    expect(() => idx.evaluate({ source: { ip: 'nonsense' }, destination: { ip: '10.0.0.1' }, port: 1, protocol: 'TCP' })).toThrow('"nonsense" is not an IP address');
    expect(() => idx.evaluate({ source: { namespace: 'x', name: 'zz' }, destination: { ip: '10.0.0.1' }, port: 1, protocol: 'TCP' })).toThrow('x/zz pod: no such pod');
  });
});

describe('nodes and host-network pods', () => {
  it('ingress from the pod’s own node is always allowed, from another node it is not', () => {
    const idx = cluster(DENY_INGRESS);
    const own = idx.evaluate({ source: { ip: '192.168.0.1' }, destination: { namespace: 'x', name: 'a' }, port: 80, protocol: 'TCP' });
    expect(own.verdict).toBe('allowed');
    expect(own.ingress.reason).toBe('own-node');
    expect(own.source.kind).toBe('node');
    expect(verdict(idx, '192.168.0.2', 'x/a')).toBe('denied');
  });

  it('a pod’s status.hostIPs count as its own node before the Node object is known', () => {
    const idx = new NetpolIndex();
    idx.setPod({ namespace: 'x', name: 'a', labels: {}, ips: ['10.0.0.1'], nodeName: 'n9', hostIPs: ['172.16.0.9'] });
    idx.setPolicy(policy('x', 'deny', { podSelector: {}, policyTypes: ['Ingress'] }));
    expect(verdict(idx, '172.16.0.9', '10.0.0.1')).toBe('allowed');
  });

  it('a host-network destination pod’s policies may or may not apply: only an allow is certain', () => {
    const idx = cluster(DENY_INGRESS, policy('x', 'agent-8443', { podSelector: { matchLabels: { pod: 'agent' } }, ingress: [{ ports: [{ port: 8443 }] }] }));
    idx.setPod({ namespace: 'x', name: 'agent', labels: { pod: 'agent' }, ips: ['192.168.0.2'], nodeName: 'n2', hostNetwork: true });
    const v = idx.evaluate({ source: { namespace: 'y', name: 'a' }, destination: { namespace: 'x', name: 'agent' }, port: 80, protocol: 'TCP' });
    expect(v.ingress).toMatchObject({ verdict: 'indeterminate', reason: 'host-network', policies: ['x/agent-8443', 'x/deny-ingress'] });
    expect(verdict(idx, 'y/a', 'x/agent', 8443)).toBe('allowed');
    // Its own node is allowed whatever the plugin does.
    expect(verdict(idx, '192.168.0.2', 'x/agent')).toBe('allowed');
  });

  it('a host-network source is indeterminate where only a selector would admit it', () => {
    const idx = cluster(
      policy('x', 'from-agent', { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { pod: 'agent' } } }] }] }),
      policy('x', 'from-n2', { podSelector: { matchLabels: { pod: 'b' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: '192.168.0.2/32' } }] }] }),
    );
    idx.setPod({ namespace: 'y', name: 'agent', labels: { pod: 'agent' }, ips: ['192.168.0.2'], nodeName: 'n2', hostNetwork: true });
    const byPod = idx.evaluate({ source: { namespace: 'y', name: 'agent' }, destination: { namespace: 'x', name: 'a' }, port: 80, protocol: 'TCP' });
    expect(byPod.verdict).toBe('indeterminate');
    expect(byPod.ingress).toMatchObject({ reason: 'host-network', policies: ['x/from-agent'] });
    // Seen by its address only, the node's traffic could be the agent's: still indeterminate.
    expect(verdict(idx, '192.168.0.2', 'x/a')).toBe('indeterminate');
    // An ipBlock of the node address admits it whichever way the plugin sees it.
    expect(verdict(idx, 'y/agent', 'x/b')).toBe('allowed');
    // A selector that does not match it is a certain denial.
    idx.setPod({ namespace: 'y', name: 'agent', labels: { pod: 'other' }, ips: ['192.168.0.2'], nodeName: 'n2', hostNetwork: true });
    expect(verdict(idx, 'y/agent', 'x/a')).toBe('denied');
  });

  it('a host-network pod isolated by its own policies is indeterminate unless they allow', () => {
    const idx = cluster();
    idx.setPod({ namespace: 'x', name: 'agent', labels: { pod: 'agent' }, ips: ['192.168.0.2'], nodeName: 'n2', hostNetwork: true });
    idx.setPolicy(policy('x', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] }));
    const v = idx.evaluate({ source: { namespace: 'x', name: 'agent' }, destination: { namespace: 'y', name: 'a' }, port: 80, protocol: 'TCP' });
    expect(v.egress).toMatchObject({ verdict: 'indeterminate', reason: 'host-network', policies: ['x/deny-egress'] });
    expect(verdict(idx, 'x/agent', 'x/b')).toBe('allowed');
  });
});

describe('Services (connects seen before DNAT)', () => {
  function withService(idx: NetpolIndex): NetpolIndex {
    idx.setService({ namespace: 'x', name: 'web', clusterIPs: ['10.96.0.10', 'fd00::10'], ports: [{ name: 'http', port: 80, targetPort: 'http' }] });
    return idx;
  }

  it('a ClusterIP flow takes the verdict of the backends in its EndpointSlices, on the target port', () => {
    const idx = withService(cluster(policy('x', 'allow-8080', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 8080 }] }] })));
    idx.setEndpointSlice({ namespace: 'x', name: 'web-abc', service: 'web', ports: [{ name: 'http', port: 8080 }], endpoints: [{ addresses: ['10.0.0.1'], targetPod: { namespace: 'x', name: 'a' } }] });
    const v = idx.evaluate({ source: { ip: '10.1.0.1' }, destination: { ip: '10.96.0.10' }, port: 80, protocol: 'TCP' });
    expect(v.verdict).toBe('allowed');
    expect(v.destination).toEqual({ kind: 'service', identity: 'x/web', namespace: 'x', ip: '10.96.0.10' });
    expect(v.ingress.policies).toEqual(['x/allow-8080']);
    expect(idx.evaluate({ source: { ip: '10.1.0.1' }, destination: { ip: 'fd00::10' }, port: 80, protocol: 'TCP' }).verdict).toBe('allowed');
  });

  it('backends that disagree make the flow indeterminate; not-ready endpoints do not count', () => {
    const idx = withService(cluster(policy('x', 'only-a', { podSelector: { matchLabels: { pod: 'b' } }, policyTypes: ['Ingress'] })));
    idx.setEndpointSlice({
      namespace: 'x',
      name: 'web-abc',
      service: 'web',
      ports: [{ name: 'http', port: 8080 }],
      endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'], ready: false }],
    });
    expect(verdict(idx, '10.1.0.1', '10.96.0.10')).toBe('allowed');
    idx.setEndpointSlice({
      namespace: 'x',
      name: 'web-abc',
      service: 'web',
      ports: [{ name: 'http', port: 8080 }],
      endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'] }],
    });
    const v = idx.evaluate({ source: { ip: '10.1.0.1' }, destination: { ip: '10.96.0.10' }, port: 80, protocol: 'TCP' });
    expect(v.verdict).toBe('indeterminate');
    expect(v.ingress).toMatchObject({ reason: 'service-backends', policies: ['x/only-a'] });
  });

  it('without EndpointSlices the selector finds the backends and the named targetPort resolves per pod', () => {
    const idx = cluster(policy('x', 'allow-9090', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 9090 }] }] }));
    idx.setService({ namespace: 'x', name: 'b', clusterIPs: ['10.96.0.11'], ports: [{ port: 80, targetPort: 'http' }], selector: { pod: 'b' } });
    expect(verdict(idx, '10.1.0.1', '10.96.0.11')).toBe('allowed');
    idx.setService({ namespace: 'x', name: 'b', clusterIPs: ['10.96.0.11'], ports: [{ port: 80, targetPort: 'http' }], selector: { pod: 'a' } });
    expect(verdict(idx, '10.1.0.1', '10.96.0.11')).toBe('denied');
  });

  it('a Service port that does not exist, or no backends, is indeterminate', () => {
    const idx = withService(cluster());
    expect(verdict(idx, '10.1.0.1', '10.96.0.10', 81)).toBe('indeterminate');
    expect(verdict(idx, '10.1.0.1', '10.96.0.10', 80)).toBe('indeterminate');
  });
});

describe('deciding policies', () => {
  it('an allowed flow names the policies whose rules matched; a denied one every isolating policy', () => {
    const idx = cluster(
      DENY_INGRESS,
      policy('x', 'allow-y', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'red' } } }] }] }),
      policy('x', 'allow-all-to-a', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{}] }),
    );
    const allowed = idx.evaluate({ source: { namespace: 'y', name: 'a' }, destination: { namespace: 'x', name: 'a' }, port: 80, protocol: 'TCP' });
    expect(allowed.ingress).toEqual({ verdict: 'allowed', reason: 'allowed-by-policy', policies: ['x/allow-all-to-a', 'x/allow-y'], peerListed: true });
    expect(allowed.egress).toEqual({ verdict: 'allowed', reason: 'not-isolated', policies: [] });
    expect(allowed.policies).toEqual(['x/allow-all-to-a', 'x/allow-y']);
    const denied = idx.evaluate({ source: { namespace: 'x', name: 'a' }, destination: { namespace: 'x', name: 'b' }, port: 80, protocol: 'TCP' });
    expect(denied.ingress).toEqual({ verdict: 'denied', reason: 'no-rule-matches', policies: ['x/deny-ingress'], peerListed: false });
    expect(denied.verdict).toBe('denied');
  });

  it('says whether the peer is named by any rule of the policies that select the pod', () => {
    const idx = cluster(policy('x', 'a-from-y', { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'red' } } }] }] }));
    // x/a is ingress-isolated only; its outgoing flows are allowed. To y/a: listed; to an address: not.
    expect(idx.evaluate({ source: { namespace: 'x', name: 'a' }, destination: { namespace: 'y', name: 'a' }, port: 80, protocol: 'TCP' }).egress).toEqual({
      verdict: 'allowed',
      reason: 'not-isolated',
      policies: [],
      peerListed: true,
    });
    expect(idx.evaluate({ source: { namespace: 'x', name: 'a' }, destination: { ip: '203.0.113.1' }, port: 80, protocol: 'TCP' }).egress.peerListed).toBe(false);
    expect(idx.evaluate({ source: { namespace: 'x', name: 'b' }, destination: { ip: '203.0.113.1' }, port: 80, protocol: 'TCP' }).egress.peerListed).toBeUndefined();
  });
});

describe('changes and the flow cache', () => {
  it('serves a repeated flow from the cache and recomputes after any change', () => {
    const idx = cluster(policy('x', 'p', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }] }] }));
    expect(verdict(idx, 'x/b', 'x/a')).toBe('denied');
    expect(verdict(idx, 'x/b', 'x/a')).toBe('denied');
    expect(idx.stats()).toMatchObject({ cacheHits: 1, cacheMisses: 1 });
    idx.setPod(pod('x', 'b', '10.0.0.2', { labels: { pod: 'b', role: 'client' } }));
    expect(verdict(idx, 'x/b', 'x/a')).toBe('allowed');
    idx.setNamespace({ name: 'y', labels: { team: 'red' } });
    idx.setPolicy(policy('x', 'p', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'red' } } }] }] }));
    expect(verdict(idx, 'x/b', 'x/a')).toBe('denied');
    expect(verdict(idx, 'y/a', 'x/a')).toBe('allowed');
    idx.setNamespace({ name: 'y', labels: { team: 'green' } });
    expect(verdict(idx, 'y/a', 'x/a')).toBe('denied');
    idx.deletePolicy('x', 'p');
    expect(verdict(idx, 'y/a', 'x/a')).toBe('allowed');
    idx.deletePod('x', 'a');
    expect(idx.resolve({ ip: '10.0.0.1' }).kind).toBe('external');
  });

  it('keeps the cache bounded', () => {
    const idx = new NetpolIndex({ cacheSize: 100 });
    for (let i = 0; i < 1000; i++) idx.evaluate({ source: { ip: `203.0.${i >> 8}.${i & 255}` }, destination: { ip: '198.51.100.1' }, port: 80, protocol: 'TCP' });
    expect(idx.stats().cachedFlows).toBeLessThanOrEqual(100);
  });
});

describe('policies the API server would refuse', () => {
  it.each([
    [{ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] }, 'x/bad spec.ingress[0].from[0].ipBlock.cidr: "10.0.0.0/33" is not a CIDR'],
    [{ podSelector: {}, egress: [{ ports: [{ port: 'http', endPort: 90 }] }] }, 'x/bad spec.egress[0].ports[0].endPort: endPort may not be used with a named port'],
    [{ podSelector: {}, ingress: [{ ports: [{ port: 90, endPort: 80 }] }] }, 'x/bad spec.ingress[0].ports[0].endPort: endPort 80 must be between port 90 and 65535'],
    [{ podSelector: {}, ingress: [{ ports: [{ protocol: 'ICMP' }] }] }, 'x/bad spec.ingress[0].ports[0].protocol: unsupported protocol "ICMP" (TCP, UDP, SCTP)'],
    [{ podSelector: {}, policyTypes: ['Both'] }, 'x/bad spec.policyTypes: unknown policy type "Both" (Ingress, Egress)'],
    [{ podSelector: { matchExpressions: [{ key: 'a', operator: 'In' }] } }, 'x/bad spec.podSelector.matchExpressions[0].values: operator In needs at least one value'],
  ])('%j is reported and not in force', (spec, message) => {
    const idx = cluster();
    const err = idx.setPolicy(policy('x', 'bad', spec as NetworkPolicySpec));
    expect(err?.message).toBe(message);
    expect(err?.code).toBe('NETPOL_INVALID_POLICY');
    expect(idx.problems().map((p) => p.message)).toEqual([message]);
    expect(verdict(idx, 'y/a', 'x/a')).toBe('allowed');
    idx.deletePolicy('x', 'bad');
    expect(idx.problems()).toEqual([]);
  });
});
