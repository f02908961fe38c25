// The slice of containerd's gRPC API this package uses (containers Get/List, events Subscribe),
// as a protobuf descriptor built in code so nothing but compiled JavaScript ships. Field numbers
// follow containerd's api/services/{containers,events}/v1 definitions.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const any = { fields: { type_url: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } } };
const timestamp = { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } };

const descriptor = {
  nested: {
    google: { nested: { protobuf: { nested: { Any: any, Timestamp: timestamp } } } },
    containerd: {
      nested: {
        services: {
          nested: {
            containers: {
              nested: {
                v1: {
                  nested: {
                    Containers: {
                      methods: {
                        Get: { requestType: 'GetContainerRequest', responseType: 'GetContainerResponse' },
                        List: { requestType: 'ListContainersRequest', responseType: 'ListContainersResponse' },
                      },
                    },
                    Container: {
                      fields: {
                        id: { type: 'string', id: 1 },
                        labels: { keyType: 'string', type: 'string', id: 2 },
                        image: { type: 'string', id: 3 },
                        runtime: { type: 'Runtime', id: 4 },
                        spec: { type: 'google.protobuf.Any', id: 5 },
                        snapshotter: { type: 'string', id: 6 },
                        snapshot_key: { type: 'string', id: 7 },
                        created_at: { type: 'google.protobuf.Timestamp', id: 8 },
                        updated_at: { type: 'google.protobuf.Timestamp', id: 9 },
                      },
                      nested: {
                        Runtime: { fields: { name: { type: 'string', id: 1 }, options: { type: 'google.protobuf.Any', id: 2 } } },
                      },
                    },
                    GetContainerRequest: { fields: { id: { type: 'string', id: 1 } } },
                    GetContainerResponse: { fields: { container: { type: 'Container', id: 1 } } },
                    ListContainersRequest: { fields: { filters: { rule: 'repeated', type: 'string', id: 1 } } },
                    ListContainersResponse: { fields: { containers: { rule: 'repeated', type: 'Container', id: 1 } } },
                  },
                },
              },
            },
            events: {
              nested: {
                v1: {
                  nested: {
                    Events: {
                      methods: {
                        Subscribe: { requestType: 'SubscribeRequest', responseType: 'Envelope', responseStream: true },
                      },
                    },
                    SubscribeRequest: { fields: { filters: { rule: 'repeated', type: 'string', id: 1 } } },
                    Envelope: {
                      fields: {
                        timestamp: { type: 'google.protobuf.Timestamp', id: 1 },
                        namespace: { type: 'string', id: 2 },
                        topic: { type: 'string', id: 3 },
                        event: { type: 'google.protobuf.Any', id: 4 },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

export interface ProtoAny {
  readonly type_url: string;
  readonly value: Buffer;
}

export interface ProtoTimestamp {
  readonly seconds: string;
  readonly nanos: number;
}

export interface ContainerdContainer {
  readonly id: string;
  readonly labels: Record<string, string>;
  readonly image: string;
  readonly runtime?: { readonly name: string };
  readonly spec?: ProtoAny;
  readonly created_at?: ProtoTimestamp;
}

export interface ContainerdEnvelope {
  readonly timestamp?: ProtoTimestamp;
  readonly namespace: string;
  readonly topic: string;
  readonly event?: ProtoAny;
}

type Callback<T> = (err: grpc.ServiceError | null, value?: T) => void;

export interface ContainersClient extends grpc.Client {
  Get(req: { id: string }, md: grpc.Metadata, opts: grpc.CallOptions, cb: Callback<{ container?: ContainerdContainer }>): grpc.ClientUnaryCall;
  List(req: { filters: string[] }, md: grpc.Metadata, opts: grpc.CallOptions, cb: Callback<{ containers: ContainerdContainer[] }>): grpc.ClientUnaryCall;
}

export interface EventsClient extends grpc.Client {
  Subscribe(req: { filters: string[] }, md?: grpc.Metadata): grpc.ClientReadableStream<ContainerdEnvelope>;
}

type ClientConstructor<T> = new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ClientOptions) => T;

let loaded: { containers: ClientConstructor<ContainersClient>; events: ClientConstructor<EventsClient> } | undefined;

export function containerdClients(): { containers: ClientConstructor<ContainersClient>; events: ClientConstructor<EventsClient> } {
  if (!loaded) {
    const definition = protoLoader.fromJSON(descriptor as Parameters<typeof protoLoader.fromJSON>[0], { keepCase: true, longs: String, defaults: true, oneofs: true });
    const pkg = grpc.loadPackageDefinition(definition) as unknown as {
      containerd: { services: { containers: { v1: { Containers: unknown } }; events: { v1: { Events: unknown } } } };
    };
    loaded = {
      containers: pkg.containerd.services.containers.v1.Containers as ClientConstructor<ContainersClient>,
      events: pkg.containerd.services.events.v1.Events as ClientConstructor<EventsClient>,
    };
  }
  return loaded;
}

/**
 * Every containerd event payload this package reads (ContainerCreate/Update/Delete, TaskStart,
 * TaskExit, TaskDelete) carries the container id as field 1, a string: read just that.
 */
export function containerIdOfEvent(value: Buffer): string | undefined {
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= value.length) throw new RangeError('truncated varint');
      const b = value[pos++]!;
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  };
  try {
    while (pos < value.length) {
      const tag = varint();
      const field = Math.floor(tag / 8);
      const wire = tag & 7;
      if (wire === 0) varint();
      else if (wire === 1) pos += 8;
      else if (wire === 5) pos += 4;
      else if (wire === 2) {
        const len = varint();
        if (field === 1) return value.toString('utf8', pos, pos + len);
        pos += len;
      } else return undefined;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

export function timestampToNs(ts: ProtoTimestamp | undefined): bigint | undefined {
  if (!ts) return undefined;
  const ns = BigInt(ts.seconds) * 1_000_000_000n + BigInt(ts.nanos);
  return ns > 0n ? ns : undefined;
}
