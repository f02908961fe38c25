import { NetpolIndex, applyObject, endpointSliceFromObject, podFromObject } from '@falco-ts/netpol';

const POD = {
  metadata: { name: 'web-1', namespace: 'shop', labels: { app: 'web' } },
  spec: { nodeName: 'n1', containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { containerPort: 9100 }] }] },
  status: { podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }], hostIP: '192.168.0.1' },
};

describe('API objects', () => {
  it('reads a pod’s addresses, node, host addresses and container ports', () => {
    expect(podFromObject(POD)).toEqual({
      namespace: 'shop',
      name: 'web-1',
      labels: { app: 'web' },
      ips: ['10.0.0.1', 'fd00::1'],
      nodeName: 'n1',
      hostIPs: ['192.168.0.1'],
      ports: [{ port: 8080, name: 'http', protocol: 'TCP' }, { port: 9100 }],
    });
    expect(podFromObject({ metadata: { name: 'h', namespace: 'kube-system' }, spec: { hostNetwork: true }, status: { podIP: '192.168.0.1' } }).hostNetwork).toBe(true);
  });

  it('reads an EndpointSlice’s Service, ports, ready condition and target pods', () => {
    expect(
      endpointSliceFromObject({
        metadata: { name: 'web-abc', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'web' } },
        addressType: 'IPv4',
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        endpoints: [
          { addresses: ['10.0.0.1'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'web-1', namespace: 'shop' } },
          { addresses: ['10.0.0.2'], conditions: { ready: false } },
        ],
      }),
    ).toEqual({
      namespace: 'shop',
      name: 'web-abc',
      service: 'web',
      ports: [{ port: 8080, name: 'http', protocol: 'TCP' }],
      endpoints: [
        { addresses: ['10.0.0.1'], ready: true, targetPod: { namespace: 'shop', name: 'web-1' } },
        { addresses: ['10.0.0.2'], ready: false },
      ],
    });
  });

  it('applies watch events of every resource to the index', () => {
    const index = new NetpolIndex();
    applyObject(index, 'namespaces', 'add', { metadata: { name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop' } } });
    applyObject(index, 'pods', 'add', POD);
    applyObject(index, 'nodes', 'add', { metadata: { name: 'n1' }, status: { addresses: [{ type: 'InternalIP', address: '192.168.0.1' }, { type: 'Hostname', address: 'n1' }] } });
    applyObject(index, 'services', 'add', { metadata: { name: 'web', namespace: 'shop' }, spec: { clusterIP: '10.96.0.5', ports: [{ name: 'http', port: 80, targetPort: 'http' }], selector: { app: 'web' } } });
    applyObject(index, 'endpointslices', 'add', {
      metadata: { name: 'web-abc', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'web' } },
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: true } }],
    });
    expect(
      applyObject(index, 'networkpolicies', 'add', {
        metadata: { name: 'only-8080', namespace: 'shop' },
        spec: { podSelector: {}, ingress: [{ ports: [{ port: 8080 }] }] },
      }),
    ).toBeUndefined();
    const flow = (dst: string, port: number) => index.evaluate({ source: { ip: '203.0.113.1' }, destination: { ip: dst }, port, protocol: 'TCP' });
    expect(flow('10.96.0.5', 80).verdict).toBe('allowed');
    expect(flow('10.0.0.1', 9100).verdict).toBe('denied');
    expect(index.resolve({ ip: '192.168.0.1' })).toMatchObject({ kind: 'node', identity: 'n1' });
    applyObject(index, 'networkpolicies', 'delete', { metadata: { name: 'only-8080', namespace: 'shop' } });
    expect(flow('10.0.0.1', 9100).verdict).toBe('allowed');
    applyObject(index, 'pods', 'delete', POD);
    expect(index.resolve({ ip: '10.0.0.1' }).kind).toBe('external');
    expect(() => applyObject(index, 'pods', 'add', { metadata: {} })).toThrow('pods metadata.name: the object has no name');
  });
});
