/**
 * The `netpol` suite: NetworkPolicy truth tables of the Kubernetes end-to-end suite, run through
 * @falco-ts/netpol. Each case is a cluster model (namespaces, pods, optionally nodes), the
 * policies in force and a list of probes; every probe is one result, passed when the evaluator's
 * verdict for that flow is the expected one (`true` = allowed, `false` = denied, or a verdict
 * name). Loopback probes (a pod to itself) count like the others: the expectations are the
 * truth-table values, which are what the policies say, and that is what the evaluator answers.
 * Directories are searched for `*.jsonl` files; records without `model` and `probes` are skipped.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NetpolError, NetpolIndex, type EndpointRef, type NetworkPolicy, type PodRecord, type Protocol, type Verdict } from '@falco-ts/netpol';
import type { CaseResult, Suite } from '../suite';

interface ModelPod {
  namespace: string;
  name: string;
  labels?: Record<string, string>;
  ip?: string;
  ips?: string[];
  nodeName?: string;
  hostNetwork?: boolean;
  hostIPs?: string[];
  containerPorts?: { name?: string; port: number; protocol?: string }[];
}

interface Probe {
  from: unknown;
  to: unknown;
  port: number;
  protocol?: string;
  expected: boolean | Verdict;
  loopback?: boolean;
}

interface NetpolCase {
  id: string;
  model: {
    namespaces?: { name: string; labels?: Record<string, string> }[];
    pods?: ModelPod[];
    nodes?: { name: string; ip?: string; ips?: string[]; addresses?: string[] }[];
  };
  policies?: NetworkPolicy[];
  probes: Probe[];
}

function* caseFiles(inputs: readonly string[]): Generator<string> {
  for (const input of inputs) {
    if (statSync(input).isDirectory()) {
      for (const name of readdirSync(input).sort()) if (name.endsWith('.jsonl')) yield join(input, name);
    } else {
      yield input;
    }
  }
}

function* readCases(file: string): Generator<NetpolCase | { id: string; error: string }> {
  const lines = readFileSync(file, 'utf8').split('\n');
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let record: Partial<NetpolCase>;
    try {
      record = JSON.parse(line) as Partial<NetpolCase>;
    } catch (err) {
      yield { id: `${file}:${i + 1}`, error: `not JSON: ${err instanceof Error ? err.message : String(err)}` };
      continue;
    }
    if (typeof record !== 'object' || record === null || !record.model || !Array.isArray(record.probes)) continue;
    yield record as NetpolCase;
  }
}

/** `"ns/pod"`, `{ip}`, or `{namespace, pod|name}`. */
function endpoint(value: unknown): EndpointRef {
  if (typeof value === 'string') {
    const slash = value.indexOf('/');
    if (slash > 0) return { namespace: value.slice(0, slash), name: value.slice(slash + 1) };
    return { ip: value };
  }
  const v = value as { ip?: unknown; namespace?: unknown; pod?: unknown; name?: unknown } | null;
  if (v && typeof v.ip === 'string') return { ip: v.ip };
  if (v && typeof v.namespace === 'string' && (typeof v.pod === 'string' || typeof v.name === 'string')) {
    return { namespace: v.namespace, name: String(v.pod ?? v.name) };
  }
  throw new Error(`unreadable probe endpoint ${JSON.stringify(value)}`);
}

function endpointText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function buildIndex(c: NetpolCase): NetpolIndex {
  const index = new NetpolIndex();
  for (const ns of c.model.namespaces ?? []) index.setNamespace({ name: ns.name, labels: ns.labels ?? {} });
  for (const node of c.model.nodes ?? []) {
    index.setNode({ name: node.name, ips: node.ips ?? node.addresses ?? (node.ip ? [node.ip] : []) });
  }
  for (const p of c.model.pods ?? []) {
    const pod: PodRecord = {
      namespace: p.namespace,
      name: p.name,
      labels: p.labels ?? {},
      ips: p.ips ?? (p.ip ? [p.ip] : []),
      ...(p.nodeName !== undefined ? { nodeName: p.nodeName } : {}),
      ...(p.hostNetwork !== undefined ? { hostNetwork: p.hostNetwork } : {}),
      ...(p.hostIPs !== undefined ? { hostIPs: p.hostIPs } : {}),
      ports: (p.containerPorts ?? []).map((cp) => ({ port: cp.port, ...(cp.name ? { name: cp.name } : {}), ...(cp.protocol ? { protocol: cp.protocol } : {}) })),
    };
    index.setPod(pod);
  }
  for (const policy of c.policies ?? []) {
    const problem = index.setPolicy(policy);
    if (problem) throw problem;
  }
  return index;
}

function expectedVerdict(expected: Probe['expected']): Verdict {
  if (expected === true) return 'allowed';
  if (expected === false) return 'denied';
  return expected;
}

export const suite: Suite = {
  async *run(inputs) {
    for (const file of caseFiles(inputs)) {
      for (const c of readCases(file)) {
        if ('error' in c) {
          yield { id: c.id, passed: false, detail: c.error };
          continue;
        }
        let index: NetpolIndex;
        try {
          index = buildIndex(c);
        } catch (err) {
          const why = err instanceof NetpolError || err instanceof Error ? err.message : String(err);
          for (const probe of c.probes) yield probeResult(c, probe, false, `the case does not load: ${why}`);
          continue;
        }
        for (const probe of c.probes) {
          const want = expectedVerdict(probe.expected);
          try {
            const got = index.evaluate({
              source: endpoint(probe.from),
              destination: endpoint(probe.to),
              port: probe.port,
              protocol: (probe.protocol ?? 'TCP') as Protocol,
            });
            const passed = got.verdict === want;
            const why = passed
              ? undefined
              : `expected ${want}, got ${got.verdict} (egress ${got.egress.verdict}: ${got.egress.reason}${list(got.egress.policies)}; ingress ${got.ingress.verdict}: ${got.ingress.reason}${list(got.ingress.policies)})`;
            yield probeResult(c, probe, passed, why);
          } catch (err) {
            yield probeResult(c, probe, false, err instanceof Error ? err.message : String(err));
          }
        }
      }
    }
  },
};

function list(policies: readonly string[]): string {
  return policies.length > 0 ? ` [${policies.join(', ')}]` : '';
}

function probeResult(c: NetpolCase, probe: Probe, passed: boolean, detail: string | undefined): CaseResult {
  const id = `${c.id}/${endpointText(probe.from)}->${endpointText(probe.to)}:${probe.port}/${probe.protocol ?? 'TCP'}`;
  return detail === undefined ? { id, passed } : { id, passed, detail };
}
