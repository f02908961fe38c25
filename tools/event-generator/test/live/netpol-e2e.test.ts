/**
 * NetworkPolicy verdicts live: three "pods" are network namespaces with veth pairs on a bridge
 * this test creates (addresses only inside them), described as pods x/a, x/b, y/a by the local
 * server speaking the Kubernetes API wire protocol. The real falco runs with the eBPF driver, the
 * k8smeta entry pointed at that server and rules/netpol_rules.yaml; real TCP connections and UDP
 * datagrams go between every ordered pair. The detector's verdict of each flow must equal the
 * evaluator's over the same objects, and the enforcement-gap rule must fire on the denied TCP
 * connections that completed (nothing enforces policies here). Needs root.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NetpolIndex, applyObject, type ObjectResource } from '@falco-ts/netpol';
import { FakeKubeApiServer } from '../../../../packages/metadata/test/support/kube-apiserver';
import { FALCO_BIN } from '../support/falco-live';

jest.setTimeout(240000);

const ROOT = process.getuid?.() === 0;
const REPO = path.resolve(__dirname, '../../../..');
const BRIDGE = 'npbr18';
const PODS = [
  { ns: 'x', name: 'a', ip: '10.250.18.1', netns: 'np18-xa' },
  { ns: 'x', name: 'b', ip: '10.250.18.2', netns: 'np18-xb' },
  { ns: 'y', name: 'a', ip: '10.250.18.3', netns: 'np18-ya' },
];
const TCP_PORT = 8080;
const UDP_PORT = 9090;

function sh(...args: string[]): void {
  execFileSync(args[0]!, args.slice(1), { stdio: 'pipe' });
}

function teardown(): void {
  for (const p of PODS) spawnSync('ip', ['netns', 'del', p.netns], { stdio: 'ignore' });
  spawnSync('ip', ['link', 'del', BRIDGE], { stdio: 'ignore' });
}

function network(): void {
  teardown();
  sh('ip', 'link', 'add', BRIDGE, 'type', 'bridge');
  sh('ip', 'addr', 'add', '10.250.18.254/24', 'dev', BRIDGE);
  sh('ip', 'link', 'set', BRIDGE, 'up');
  PODS.forEach((p, i) => {
    const host = `np18h${i}`;
    sh('ip', 'netns', 'add', p.netns);
    sh('ip', 'link', 'add', host, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', p.netns);
    sh('ip', 'link', 'set', host, 'master', BRIDGE);
    sh('ip', 'link', 'set', host, 'up');
    sh('ip', 'netns', 'exec', p.netns, 'ip', 'addr', 'add', `${p.ip}/24`, 'dev', 'eth0');
    sh('ip', 'netns', 'exec', p.netns, 'ip', 'link', 'set', 'eth0', 'up');
    sh('ip', 'netns', 'exec', p.netns, 'ip', 'link', 'set', 'lo', 'up');
  });
}

/** The objects the API server serves and the evaluator is given. */
const OBJECTS: { resource: ObjectResource; object: { metadata: { name: string; namespace?: string; [k: string]: unknown } } & Record<string, unknown> }[] = [
  { resource: 'namespaces', object: { metadata: { name: 'x', labels: { 'kubernetes.io/metadata.name': 'x' } } } },
  { resource: 'namespaces', object: { metadata: { name: 'y', labels: { 'kubernetes.io/metadata.name': 'y' } } } },
  { resource: 'nodes', object: { metadata: { name: 'node-np' }, status: { addresses: [{ type: 'InternalIP', address: '10.250.18.254' }] } } },
  ...PODS.map((p) => ({
    resource: 'pods' as const,
    object: {
      metadata: { name: p.name, namespace: p.ns, uid: `00000000-0000-4000-8000-00000000000${PODS.indexOf(p)}`, labels: { pod: p.name } },
      spec: { nodeName: 'node-np', containers: [{ name: 'c', ports: [{ name: 'http', containerPort: TCP_PORT }, { name: 'udp', containerPort: UDP_PORT, protocol: 'UDP' }] }] },
      status: { phase: 'Running', hostIP: '10.250.18.254', podIP: p.ip, podIPs: [{ ip: p.ip }] },
    },
  })),
  {
    // x/a takes TCP only from namespace y; x/b sends nothing to y.
    resource: 'networkpolicies',
    object: {
      metadata: { name: 'a-from-y', namespace: 'x' },
      spec: { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } } }], ports: [{ port: 'http' }] }] },
    },
  },
  {
    resource: 'networkpolicies',
    object: {
      metadata: { name: 'b-not-to-y', namespace: 'x' },
      spec: { podSelector: { matchLabels: { pod: 'b' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }] },
    },
  },
];

const FLOW_RULES = `
- rule: netpol e2e flow
  desc: every new flow with its verdict (test only)
  condition: netpol_flow_start
  output: "flow %fd.name %netpol.verdict"
  priority: INFO
  tags: [test]
`;

/**
 * A TCP server and a UDP receiver in `dst`, a TCP connect and a UDP datagram from `src`. The UDP
 * socket is connected: the live driver takes a send's tuple from the socket, which holds no peer
 * for an unconnected one, so that case is covered on synthesized events only.
 */
function exchange(src: (typeof PODS)[number], dst: (typeof PODS)[number], sport: number): Promise<void> {
  const server = `
    const net=require('net'),dgram=require('dgram');
    const s=net.createServer(c=>c.end('ok')).listen(${TCP_PORT},'${dst.ip}');
    const u=dgram.createSocket('udp4');u.bind(${UDP_PORT},'${dst.ip}');
    u.on('message',()=>{});
    setTimeout(()=>{s.close();u.close();},4000);
    s.on('listening',()=>console.log('ready'));`;
  const client = `
    const net=require('net'),dgram=require('dgram');
    const c=net.connect({host:'${dst.ip}',port:${TCP_PORT},localAddress:'${src.ip}',localPort:${sport}});
    c.on('data',()=>{});c.on('error',()=>{});c.on('close',()=>{});
    const u=dgram.createSocket('udp4');
    u.bind(${sport + 1},'${src.ip}',()=>u.connect(${UDP_PORT},'${dst.ip}',()=>u.send('x',()=>setTimeout(()=>{u.close();c.destroy();},300))));`;
  return new Promise((resolve, reject) => {
    const srv = spawn('ip', ['netns', 'exec', dst.netns, process.execPath, '-e', server], { stdio: ['ignore', 'pipe', 'inherit'] });
    srv.stdout!.once('data', () => {
      const cli = spawn('ip', ['netns', 'exec', src.netns, process.execPath, '-e', client], { stdio: 'inherit' });
      cli.once('exit', () => {
        srv.kill();
        resolve();
      });
    });
    srv.once('error', reject);
  });
}

(ROOT ? describe : describe.skip)('netpol live end to end', () => {
  let server: FakeKubeApiServer;
  const dir = mkdtempSync('/tmp/netpol-e2e-');
  const alertsFile = path.join(dir, 'alerts.json');

  beforeAll(async () => {
    if (!existsSync(FALCO_BIN)) throw new Error('build the CLI first (pnpm build)');
    network();
    server = new FakeKubeApiServer();
    await server.start();
    for (const o of OBJECTS) server.apply(o.resource as never, 'ADDED', o.object as never);
  });

  afterAll(async () => {
    teardown();
    await server?.stop();
  });

  it('the detector’s verdict of every flow is the evaluator’s, and denied connections that completed are gaps', async () => {
    const kubeconfig = path.join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      ['apiVersion: v1', 'kind: Config', 'clusters:', '- name: l', `  cluster: {server: "${server.url}"}`, 'users:', '- name: t', '  user: {token: t}', 'contexts:', '- name: l', '  context: {cluster: l, user: t}', 'current-context: l'].join('\n'),
    );
    const rulesFile = path.join(dir, 'flows.yaml');
    writeFileSync(rulesFile, FLOW_RULES);
    const config = path.join(dir, 'falco.yaml');
    writeFileSync(
      config,
      [
        'engine:', '  kind: modern_ebpf', 'json_output: true', 'stdout_output:', '  enabled: false', 'syslog_output:', '  enabled: false',
        'rule_matching: all', 'webserver:', '  enabled: false', 'file_output:', '  enabled: true', '  keep_alive: true', `  filename: ${alertsFile}`,
        'load_plugins: [k8smeta]', 'plugins:', '  - name: k8smeta', '    library_path: libk8smeta.so', '    init_config:', '      nodeName: node-np', `      kubeconfig: ${kubeconfig}`, '',
      ].join('\n'),
    );
    const falco = spawn(process.execPath, [FALCO_BIN, '-c', config, '-r', path.join(REPO, 'rules/netpol_rules.yaml'), '-r', rulesFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    falco.stderr!.setEncoding('utf8').on('data', (t: string) => (err += t));
    try {
      const start = Date.now();
      while (!err.includes('with the modern eBPF driver')) {
        if (Date.now() - start > 90000 || falco.exitCode !== null) throw new Error(`falco did not start: ${err}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // The cluster watch lists asynchronously: warm up until a flow gets a verdict.
      const alerts = () =>
        existsSync(alertsFile)
          ? readFileSync(alertsFile, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { rule: string; output_fields: Record<string, unknown> })
          : [];
      for (let i = 0; i < 30 && !alerts().some((a) => a.rule === 'netpol e2e flow'); i++) await exchange(PODS[2]!, PODS[0]!, 30000 + i * 2);
      const warm = alerts().length;
      expect(warm).toBeGreaterThan(0);

      let sport = 40000;
      const expected = new Map<string, string>();
      const index = new NetpolIndex();
      for (const o of OBJECTS) applyObject(index, o.resource, 'add', o.object);
      for (const src of PODS) {
        for (const dst of PODS) {
          if (src === dst) continue;
          sport += 2;
          await exchange(src, dst, sport);
          expected.set(`${src.ip}:${sport}->${dst.ip}:${TCP_PORT}`, index.evaluate({ source: { ip: src.ip }, destination: { ip: dst.ip }, port: TCP_PORT, protocol: 'TCP' }).verdict);
          expected.set(`${src.ip}:${sport + 1}->${dst.ip}:${UDP_PORT}`, index.evaluate({ source: { ip: src.ip }, destination: { ip: dst.ip }, port: UDP_PORT, protocol: 'UDP' }).verdict);
        }
      }
      await new Promise((r) => setTimeout(r, 3000));
      const seen = new Map<string, Set<string>>();
      const gaps = new Set<string>();
      for (const a of alerts()) {
        const name = String(a.output_fields['fd.name']);
        if (a.rule === 'netpol e2e flow') {
          if (!seen.has(name)) seen.set(name, new Set());
          seen.get(name)!.add(String(a.output_fields['netpol.verdict']));
        }
        if (a.rule === 'NetworkPolicy enforcement gap') gaps.add(name);
      }
      for (const [flow, verdict] of expected) expect([flow, [...(seen.get(flow) ?? [])]]).toEqual([flow, [verdict]]);
      const deniedTcp = [...expected].filter(([f, v]) => v === 'denied' && f.endsWith(`:${TCP_PORT}`)).map(([f]) => f);
      expect(deniedTcp.length).toBeGreaterThan(0);
      for (const f of deniedTcp) expect(gaps).toContain(f);
      const allowedTcp = [...expected].filter(([f, v]) => v === 'allowed' && f.endsWith(`:${TCP_PORT}`)).map(([f]) => f);
      for (const f of allowedTcp) expect(gaps).not.toContain(f);
    } finally {
      falco.kill('SIGINT');
      await new Promise((r) => falco.once('exit', r));
    }
  });
});
