// The gRPC API of falcosecurity/k8s-metacollector (package `metadata`, service `Metadata`, one
// server-streaming `Watch`), with the field numbers of its metadata.proto as the k8smeta plugin
// speaks it: `meta`, `spec` and `status` are JSON texts of the object's parts, `refs` the uids of
// the objects a pod belongs to by kind. Built in code so only compiled JavaScript ships; tests
// serve the same definition.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const str = (id: number) => ({ type: 'string', id });

const TYPES = {
  Selector: { fields: { nodeName: str(1), resourceKinds: { keyType: 'string', type: 'string', id: 2 } } },
  ListOfStrings: { fields: { list: { rule: 'repeated', type: 'string', id: 1 } } },
  References: { fields: { resources: { keyType: 'string', type: 'ListOfStrings', id: 1 } } },
  Event: {
    fields: {
      reason: str(1), uid: str(2), kind: str(3),
      meta: { ...str(4), options: { proto3_optional: true } },
      spec: { ...str(5), options: { proto3_optional: true } },
      status: { ...str(6), options: { proto3_optional: true } },
      refs: { type: 'References', id: 7, options: { proto3_optional: true } },
    },
  },
} as const;

const METHODS = { Watch: { requestType: 'Selector', responseType: 'Event', responseStream: true } } as const;

/** Kinds the plugin asks for (the collector's own spelling, `ReplicaController`, included). */
export const COLLECTOR_KINDS = ['Pod', 'Namespace', 'Deployment', 'Service', 'ReplicaSet', 'ReplicaController'] as const;

export interface CollectorSelector {
  nodeName: string;
  resourceKinds: Record<string, string>;
}

export interface CollectorEvent {
  /** `Create`, `Update` or `Delete`. */
  reason: string;
  uid: string;
  kind: string;
  meta?: string;
  spec?: string;
  status?: string;
  refs?: { resources: Record<string, { list: string[] }> };
}

export interface MetadataClient extends grpc.Client {
  Watch(req: CollectorSelector): grpc.ClientReadableStream<CollectorEvent>;
}

type MetadataClientConstructor = (new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ClientOptions) => MetadataClient) & {
  readonly service: grpc.ServiceDefinition;
};
type Package = { metadata: { Metadata: MetadataClientConstructor } };

let loaded: Package | undefined;
function load(): Package {
  if (loaded) return loaded;
  const descriptor = { nested: { metadata: { nested: { ...TYPES, Metadata: { methods: METHODS } } } } };
  const definition = protoLoader.fromJSON(descriptor as Parameters<typeof protoLoader.fromJSON>[0], { keepCase: true, defaults: false, oneofs: true });
  loaded = grpc.loadPackageDefinition(definition) as unknown as Package;
  return loaded;
}

/** The `metadata.Metadata` client class. */
export function metadataClient(): Package['metadata']['Metadata'] {
  return load().metadata.Metadata;
}

/** The service definition, for servers (tests serve it). */
export function metadataService(): grpc.ServiceDefinition {
  return load().metadata.Metadata.service;
}
