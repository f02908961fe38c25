// Run with: npx tsx packages/netpol/examples/quickstart.ts
import { NetpolIndex, type FlowVerdict } from '@falco-ts/netpol';

export function quickstart(): FlowVerdict[] {
  const index = new NetpolIndex();
  index.setNamespace({ name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop' } });
  index.setPod({ namespace: 'shop', name: 'web', labels: { app: 'web' }, ips: ['10.0.0.10'], ports: [{ name: 'http', port: 8080 }] });
  index.setPod({ namespace: 'shop', name: 'db', labels: { app: 'db' }, ips: ['10.0.0.20'] });
  index.setPolicy({
    metadata: { namespace: 'shop', name: 'db-from-web' },
    spec: {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] }],
    },
  });
  return [
    index.evaluate({ source: { ip: '10.0.0.10' }, destination: { ip: '10.0.0.20' }, port: 5432, protocol: 'TCP' }),
    index.evaluate({ source: { ip: '203.0.113.7' }, destination: { ip: '10.0.0.20' }, port: 5432, protocol: 'TCP' }),
  ];
}

if (require.main === module) {
  for (const v of quickstart()) {
    console.log(`${v.source.identity} -> ${v.destination.identity}: ${v.verdict} (ingress: ${v.ingress.reason} ${v.ingress.policies.join(',')})`);
  }
}
