/**
 * The netpol suite against cases written here: one result per probe, a wrong expectation fails
 * with the verdict and reasons, `{ip}` endpoints and verdict-name expectations are read, a case
 * whose policy does not load fails each of its probes, and records of other suites are skipped.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from '../src/suites/netpol';
import type { CaseResult } from '../src/suite';

const MODEL = {
  namespaces: [
    { name: 'x', labels: { 'kubernetes.io/metadata.name': 'x' } },
    { name: 'y', labels: { 'kubernetes.io/metadata.name': 'y' } },
  ],
  pods: [
    { namespace: 'x', name: 'a', labels: { pod: 'a' }, ip: '10.0.0.1', nodeName: 'n1', containerPorts: [{ name: 'serve-80-tcp', port: 80, protocol: 'TCP' }] },
    { namespace: 'y', name: 'a', labels: { pod: 'a' }, ip: '10.1.0.1', nodeName: 'n1', containerPorts: [{ name: 'serve-80-tcp', port: 80, protocol: 'TCP' }] },
  ],
  nodes: [{ name: 'n1', ips: ['192.168.0.1'] }],
};

const DENY = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'x' }, spec: { podSelector: {}, ingress: [], policyTypes: ['Ingress'] } };

async function collect(dir: string): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for await (const r of suite.run([dir])) out.push(r);
  return out;
}

describe('netpol suite', () => {
  it('reports one result per probe and says what differed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-suite-'));
    const lines = [
      {
        id: 'netpol/deny',
        model: MODEL,
        policies: [DENY],
        probes: [
          { from: 'y/a', to: 'x/a', port: 80, protocol: 'TCP', expected: false },
          { from: 'x/a', to: 'y/a', port: 80, protocol: 'TCP', expected: true },
          { from: 'x/a', to: 'x/a', port: 80, protocol: 'TCP', expected: false, loopback: true },
          { from: { ip: '192.168.0.1' }, to: 'x/a', port: 80, protocol: 'TCP', expected: 'allowed' },
          { from: { ip: '203.0.113.1' }, to: 'x/a', port: 80, expected: true },
        ],
      },
      { id: 'other-suite', suite: 'filter', input: 'a=b' },
      {
        id: 'netpol/broken',
        model: MODEL,
        policies: [{ ...DENY, spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: 'nope' } }] }] } }],
        probes: [{ from: 'y/a', to: 'x/a', port: 80, protocol: 'TCP', expected: false }],
      },
    ];
    writeFileSync(join(dir, 'cases.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const results = await collect(dir);
    expect(results.map((r) => [r.id, r.passed])).toEqual([
      ['netpol/deny/y/a->x/a:80/TCP', true],
      ['netpol/deny/x/a->y/a:80/TCP', true],
      ['netpol/deny/x/a->x/a:80/TCP', true],
      ['netpol/deny/{"ip":"192.168.0.1"}->x/a:80/TCP', true],
      ['netpol/deny/{"ip":"203.0.113.1"}->x/a:80/TCP', false],
      ['netpol/broken/y/a->x/a:80/TCP', false],
    ]);
    expect(results[4]!.detail).toBe('expected allowed, got denied (egress allowed: not-a-pod; ingress denied: no-rule-matches [x/deny])');
    expect(results[5]!.detail).toBe('the case does not load: x/deny spec.ingress[0].from[0].ipBlock.cidr: "nope" is not a CIDR');
  });
});
