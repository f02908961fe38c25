// The slice of the Kubernetes CRI (runtime.v1.RuntimeService) this package reads: Version,
// ListContainers, ContainerStatus (verbose), PodSandboxStatus and GetContainerEvents. Field
// numbers follow k8s.io/cri-api's api.proto. Built in code so only compiled JavaScript ships.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const str = (id: number) => ({ type: 'string', id });
const map = (id: number) => ({ keyType: 'string', type: 'string', id });

/** Message types, exported so test doubles and clients can extend the descriptor. */
export const CRI_TYPES = {
  VersionRequest: { fields: { version: str(1) } },
  VersionResponse: { fields: { version: str(1), runtime_name: str(2), runtime_version: str(3), runtime_api_version: str(4) } },
  ContainerMetadata: { fields: { name: str(1), attempt: { type: 'uint32', id: 2 } } },
  PodSandboxMetadata: { fields: { name: str(1), uid: str(2), namespace: str(3), attempt: { type: 'uint32', id: 4 } } },
  ImageSpec: { fields: { image: str(1), annotations: map(2), user_specified_image: str(18) } },
  Mount: {
    fields: {
      container_path: str(1), host_path: str(2), readonly: { type: 'bool', id: 3 }, selinux_relabel: { type: 'bool', id: 4 },
      propagation: { type: 'int32', id: 5 },
    },
  },
  LinuxContainerResources: {
    fields: {
      cpu_period: { type: 'int64', id: 1 }, cpu_quota: { type: 'int64', id: 2 }, cpu_shares: { type: 'int64', id: 3 },
      memory_limit_in_bytes: { type: 'int64', id: 4 },
    },
  },
  ContainerResources: { fields: { linux: { type: 'LinuxContainerResources', id: 1 } } },
  ContainerStateValue: { fields: { state: { type: 'int32', id: 1 } } },
  ContainerFilter: { fields: { id: str(1), state: { type: 'ContainerStateValue', id: 2 }, pod_sandbox_id: str(3), label_selector: map(4) } },
  ListContainersRequest: { fields: { filter: { type: 'ContainerFilter', id: 1 } } },
  Container: {
    fields: {
      id: str(1), pod_sandbox_id: str(2), metadata: { type: 'ContainerMetadata', id: 3 }, image: { type: 'ImageSpec', id: 4 },
      image_ref: str(5), state: { type: 'int32', id: 6 }, created_at: { type: 'int64', id: 7 }, labels: map(8), annotations: map(9),
      image_id: str(10),
    },
  },
  ListContainersResponse: { fields: { containers: { rule: 'repeated', type: 'Container', id: 1 } } },
  ContainerStatusRequest: { fields: { container_id: str(1), verbose: { type: 'bool', id: 2 } } },
  ContainerStatus: {
    fields: {
      id: str(1), metadata: { type: 'ContainerMetadata', id: 2 }, state: { type: 'int32', id: 3 }, created_at: { type: 'int64', id: 4 },
      started_at: { type: 'int64', id: 5 }, finished_at: { type: 'int64', id: 6 }, exit_code: { type: 'int32', id: 7 },
      image: { type: 'ImageSpec', id: 8 }, image_ref: str(9), reason: str(10), message: str(11), labels: map(12), annotations: map(13),
      mounts: { rule: 'repeated', type: 'Mount', id: 14 }, log_path: str(15), resources: { type: 'ContainerResources', id: 16 },
      image_id: str(17),
    },
  },
  ContainerStatusResponse: { fields: { status: { type: 'ContainerStatus', id: 1 }, info: map(2) } },
  PodSandboxStatusRequest: { fields: { pod_sandbox_id: str(1), verbose: { type: 'bool', id: 2 } } },
  PodSandboxNetworkStatus: { fields: { ip: str(1) } },
  NamespaceOption: { fields: { network: { type: 'int32', id: 1 }, pid: { type: 'int32', id: 2 }, ipc: { type: 'int32', id: 3 } } },
  Namespace: { fields: { options: { type: 'NamespaceOption', id: 2 } } },
  LinuxPodSandboxStatus: { fields: { namespaces: { type: 'Namespace', id: 1 } } },
  PodSandboxStatus: {
    fields: {
      id: str(1), metadata: { type: 'PodSandboxMetadata', id: 2 }, state: { type: 'int32', id: 3 }, created_at: { type: 'int64', id: 4 },
      network: { type: 'PodSandboxNetworkStatus', id: 5 }, linux: { type: 'LinuxPodSandboxStatus', id: 6 }, labels: map(7),
      annotations: map(8),
    },
  },
  PodSandboxStatusResponse: { fields: { status: { type: 'PodSandboxStatus', id: 1 }, info: map(2) } },
  GetEventsRequest: { fields: {} },
  ContainerEventResponse: { fields: { container_id: str(1), container_event_type: { type: 'int32', id: 2 }, created_at: { type: 'int64', id: 3 } } },
} as const;

export const CRI_METHODS = {
  Version: { requestType: 'VersionRequest', responseType: 'VersionResponse' },
  ListContainers: { requestType: 'ListContainersRequest', responseType: 'ListContainersResponse' },
  ContainerStatus: { requestType: 'ContainerStatusRequest', responseType: 'ContainerStatusResponse' },
  PodSandboxStatus: { requestType: 'PodSandboxStatusRequest', responseType: 'PodSandboxStatusResponse' },
  GetContainerEvents: { requestType: 'GetEventsRequest', responseType: 'ContainerEventResponse', responseStream: true },
} as const;

/** NamespaceMode: NODE shares the host's namespace. */
export const NAMESPACE_NODE = 2;

export interface CriSandboxStatus {
  readonly network?: { readonly ip: string };
  readonly linux?: { readonly namespaces?: { readonly options?: { readonly network: number; readonly pid: number; readonly ipc: number } } };
}

export const CONTAINER_EVENT = { CREATED: 0, STARTED: 1, STOPPED: 2, DELETED: 3 } as const;

export interface CriMount {
  readonly container_path: string;
  readonly host_path: string;
  readonly readonly: boolean;
  readonly propagation: number;
}

export interface CriContainerStatus {
  readonly id: string;
  readonly metadata?: { readonly name: string };
  readonly state: number;
  readonly created_at: string;
  readonly started_at: string;
  readonly finished_at: string;
  readonly image?: { readonly image: string; readonly user_specified_image: string };
  readonly image_ref: string;
  readonly image_id: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly mounts: readonly CriMount[];
  readonly resources?: { readonly linux?: { cpu_period: string; cpu_quota: string; cpu_shares: string; memory_limit_in_bytes: string } };
}

type Callback<T> = (err: grpc.ServiceError | null, value?: T) => void;
type Unary<Req, Res> = (req: Req, md: grpc.Metadata, opts: grpc.CallOptions, cb: Callback<Res>) => grpc.ClientUnaryCall;

export interface CriRuntimeClient extends grpc.Client {
  Version: Unary<{ version: string }, { runtime_name: string; runtime_version: string; runtime_api_version: string }>;
  ListContainers: Unary<{ filter?: object }, { containers: { id: string; pod_sandbox_id: string; state: number }[] }>;
  ContainerStatus: Unary<{ container_id: string; verbose: boolean }, { status?: CriContainerStatus; info: Record<string, string> }>;
  PodSandboxStatus: Unary<{ pod_sandbox_id: string; verbose: boolean }, { status?: CriSandboxStatus }>;
  GetContainerEvents(req: object, md?: grpc.Metadata): grpc.ClientReadableStream<{ container_id: string; container_event_type: number; created_at: string }>;
}

export type CriClientConstructor<T = CriRuntimeClient> = new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ClientOptions) => T;

/** Loads a RuntimeService client with the given message types and methods. */
export function criClient<T = CriRuntimeClient>(types: object = CRI_TYPES, methods: object = CRI_METHODS): CriClientConstructor<T> {
  const descriptor = { nested: { runtime: { nested: { v1: { nested: { ...types, RuntimeService: { methods } } } } } } };
  const definition = protoLoader.fromJSON(descriptor as Parameters<typeof protoLoader.fromJSON>[0], {
    keepCase: true,
    longs: String,
    defaults: true,
  });
  const pkg = grpc.loadPackageDefinition(definition) as unknown as { runtime: { v1: { RuntimeService: CriClientConstructor<T> } } };
  return pkg.runtime.v1.RuntimeService;
}
