// A local gRPC server implementing k8s-metacollector's `metadata.Metadata/Watch` from
// src/metacollector-api.ts. Each stream gets what the collector sends a new subscriber: a `Create`
// for every object it holds for that node (pods of the node, and the objects they reference),
// the pod events carrying the uids of their namespace, controllers and services in `refs`; then
// whatever `send` adds. Objects come from the recorded-shape lists in test/fixtures/k8s/, turned
// into events as the collector marshals them (metadata, spec and status as JSON texts).
import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { metadataService, type CollectorEvent, type CollectorSelector } from '../../src/metacollector-api';

interface KubeObject {
  kind?: string;
  metadata: { name: string; namespace?: string; uid: string; labels?: Record<string, string>; ownerReferences?: { kind: string; uid: string; name: string }[] };
  spec?: { nodeName?: string; selector?: Record<string, string> | { matchLabels?: Record<string, string> } };
  status?: unknown;
}

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'k8s');
const KINDS: Record<string, string> = {
  pods: 'Pod', namespaces: 'Namespace', deployments: 'Deployment', replicasets: 'ReplicaSet', replicationcontrollers: 'ReplicationController', services: 'Service',
};

export function loadFixtureObjects(): KubeObject[] {
  return Object.entries(KINDS).flatMap(([file, kind]) =>
    (JSON.parse(readFileSync(path.join(FIXTURES, `${file}.json`), 'utf8')) as { items: KubeObject[] }).items.map((o) => ({ ...o, kind })),
  );
}

export class FakeMetacollector {
  readonly selectors: CollectorSelector[] = [];
  private readonly objects = new Map<string, KubeObject>();
  private readonly streams = new Set<grpc.ServerWritableStream<CollectorSelector, CollectorEvent>>();
  /** What each stream has been sent, so an object is created on it once, before the first pod naming it. */
  private readonly sent = new WeakMap<object, Set<string>>();
  private server: grpc.Server | undefined;
  port = 0;

  constructor(objects: KubeObject[] = loadFixtureObjects()) {
    for (const o of objects) this.objects.set(o.metadata.uid, o);
  }

  async start(port = this.port): Promise<void> {
    const server = new grpc.Server();
    server.addService(metadataService(), {
      Watch: (call: grpc.ServerWritableStream<CollectorSelector, CollectorEvent>) => {
        this.selectors.push(call.request);
        this.streams.add(call);
        this.sent.set(call, new Set());
        call.on('cancelled', () => this.streams.delete(call));
        for (const pod of this.podsOf(call.request.nodeName)) this.sendPod(call, pod, 'Create');
      },
    });
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    this.server = server;
  }

  /** Stop answering: open streams fail with UNAVAILABLE, new ones cannot connect. */
  async stop(): Promise<void> {
    this.streams.clear();
    const s = this.server;
    this.server = undefined;
    // Cancels every open call: clients see UNAVAILABLE or CANCELLED, as when a collector pod dies.
    s?.forceShutdown();
    await new Promise((r) => setTimeout(r, 50));
  }

  /**
   * Create or update an object and send its event to the streams that hold it (pods: the streams of
   * their node, which first get the objects the pod references that they do not have yet).
   */
  upsert(object: KubeObject): void {
    this.objects.set(object.metadata.uid, object);
    for (const s of this.streams) {
      if (object.kind === 'Pod') {
        if (object.spec?.nodeName === s.request.nodeName) this.sendPod(s, object, this.sent.get(s)!.has(object.metadata.uid) ? 'Update' : 'Create');
      } else if (this.sent.get(s)!.has(object.metadata.uid)) {
        s.write(this.event('Update', object));
      }
    }
  }

  /** Delete an object while no stream is open (the subscriber learns of it only by resyncing). */
  forget(uid: string): void {
    this.objects.delete(uid);
  }

  remove(uid: string): void {
    const o = this.objects.get(uid);
    this.objects.delete(uid);
    if (o) for (const s of this.streams) s.write({ reason: 'Delete', uid, kind: o.kind! });
  }

  private podsOf(node: string): KubeObject[] {
    return [...this.objects.values()].filter((o) => o.kind === 'Pod' && o.spec?.nodeName === node);
  }

  private sendPod(s: grpc.ServerWritableStream<CollectorSelector, CollectorEvent>, pod: KubeObject, reason: string): void {
    const sent = this.sent.get(s)!;
    for (const uid of Object.values(this.refsOf(pod)).flat()) {
      const o = this.objects.get(uid);
      if (o && !sent.has(uid)) {
        sent.add(uid);
        s.write(this.event('Create', o));
      }
    }
    sent.add(pod.metadata.uid);
    s.write(this.event(reason, pod));
  }

  private refsOf(pod: KubeObject): Record<string, string[]> {
    const all = [...this.objects.values()];
    const refs: Record<string, string[]> = {};
    const ns = all.find((o) => o.kind === 'Namespace' && o.metadata.name === pod.metadata.namespace);
    if (ns) refs['Namespace'] = [ns.metadata.uid];
    for (const owner of pod.metadata.ownerReferences ?? []) {
      refs[owner.kind] = [owner.uid];
      const rs = this.objects.get(owner.uid);
      for (const up of rs?.metadata.ownerReferences ?? []) refs[up.kind] = [up.uid];
    }
    const labels = pod.metadata.labels ?? {};
    const services = all.filter((o) => {
      if (o.kind !== 'Service' || o.metadata.namespace !== pod.metadata.namespace) return false;
      const sel = (o.spec?.selector ?? {}) as Record<string, string>;
      const keys = Object.keys(sel);
      return keys.length > 0 && keys.every((k) => labels[k] === sel[k]);
    });
    if (services.length) refs['Service'] = services.map((s) => s.metadata.uid);
    return refs;
  }

  private event(reason: string, o: KubeObject): CollectorEvent {
    return {
      reason,
      uid: o.metadata.uid,
      kind: o.kind!,
      meta: JSON.stringify(o.metadata),
      ...(o.spec ? { spec: JSON.stringify(o.spec) } : {}),
      ...(o.status ? { status: JSON.stringify(o.status) } : {}),
      ...(o.kind === 'Pod' ? { refs: { resources: Object.fromEntries(Object.entries(this.refsOf(o)).map(([k, list]) => [k, { list }])) } } : {}),
    };
  }
}
