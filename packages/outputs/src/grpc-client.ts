/**
 * Typed grpc-js clients for the Falco gRPC API served by the gRPC sink, for tools and benchmarks
 * (any Falco gRPC client works as well).
 */
import type { ChannelCredentials, Client, ClientDuplexStream, ClientReadableStream } from '@grpc/grpc-js';
import type * as GrpcJsModule from '@grpc/grpc-js';
import type { GrpcResponse } from './sinks/grpc';
import { loadFalcoProtos } from './sinks/grpc';

export interface FalcoOutputsClient extends Client {
  get(request: object): ClientReadableStream<GrpcResponse>;
  sub(): ClientDuplexStream<object, GrpcResponse>;
}

export interface FalcoVersionClient extends Client {
  version(request: object, cb: (err: Error | null, res: { version: string; major: number; minor: number; patch: number; prerelease: string; build: string }) => void): void;
}

/** `address` as grpc-js takes it (`unix:///run/falco/falco.sock`, `localhost:5060`); PEM buffers for mutual TLS. */
export function falcoGrpcClients(
  address: string,
  tls?: { readonly ca: Buffer; readonly key: Buffer; readonly cert: Buffer },
): { outputs: FalcoOutputsClient; version: FalcoVersionClient; close(): void } {
  // Loaded here, not at import: importers of the package that never open a client skip grpc-js.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { credentials } = require('@grpc/grpc-js') as typeof GrpcJsModule;
  const creds: ChannelCredentials = tls ? credentials.createSsl(tls.ca, tls.key, tls.cert) : credentials.createInsecure();
  const { outputs, version } = loadFalcoProtos();
  const o = new outputs(address, creds) as unknown as FalcoOutputsClient;
  const v = new version(address, creds) as unknown as FalcoVersionClient;
  return {
    outputs: o,
    version: v,
    close() {
      o.close();
      v.close();
    },
  };
}
