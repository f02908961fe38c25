/**
 * `grpc_output` + `grpc`: Falco's former gRPC server, so existing Falco gRPC clients work:
 * `falco.outputs.service` (`get` streams the buffered alerts and ends, `sub` streams them and then
 * every new alert) and `falco.version.service`. A unix socket needs no credentials; a TCP address
 * requires mutual TLS (`private_key`, `cert_chain`, `root_certs`), as in Falco.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { GrpcObject, ServerDuplexStream, ServerUnaryCall, ServerWritableStream, ServiceClientConstructor, sendUnaryData } from '@grpc/grpc-js';
import type * as GrpcJsModule from '@grpc/grpc-js';
import type * as ProtoLoaderModule from '@grpc/proto-loader';
import { priorityLevel, unescapedText, type Alert, type FieldValue } from '@falco-ts/alert';
import { configError } from '../errors';
import { RingQueue } from '../ring-queue';
import { defineSink } from '../sink';

/** `proto/` sits next to `src/` and `dist/`, so this resolves from both. */
export const PROTO_DIR = join(__dirname, '..', '..', 'proto');

export interface GrpcResponse {
  time: { seconds: string; nanos: number };
  priority: number;
  source_deprecated: number;
  rule: string;
  output: string;
  output_fields: Record<string, string>;
  hostname: string;
  tags: string[];
  source: string;
}

const BUILTIN_SOURCES: Record<string, number> = { syscall: 0, k8s_audit: 1, internal: 2 };

function fieldText(v: FieldValue): string {
  if (v === null) return '<NA>';
  if (Array.isArray(v)) return `(${v.map(String).join(',')})`;
  return String(v);
}

export function toGrpcResponse(alert: Alert, iso8601: boolean): GrpcResponse {
  const fields: Record<string, string> = {};
  for (const k of Object.keys(alert.outputFields)) fields[k] = fieldText(alert.outputFields[k]);
  return {
    time: { seconds: (alert.timeNs / 1_000_000_000n).toString(), nanos: Number(alert.timeNs % 1_000_000_000n) },
    priority: priorityLevel(alert.priority),
    source_deprecated: BUILTIN_SOURCES[alert.source] ?? 3,
    rule: alert.rule,
    output: unescapedText(alert, iso8601),
    output_fields: fields,
    hostname: alert.hostname,
    tags: [...alert.tags],
    source: alert.source,
  };
}

export function parseVersion(version: string): { version: string; major: number; minor: number; patch: number; prerelease: string; build: string } {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:-([^+]+))?(?:\+(.+))?$/.exec(version);
  return {
    version,
    major: m ? Number(m[1]) : 0,
    minor: m ? Number(m[2]) : 0,
    patch: m ? Number(m[3]) : 0,
    prerelease: m?.[4] ?? '',
    build: m?.[5] ?? '',
  };
}

// grpc-js and proto-loader are loaded on first use: together they are ~90 ms of start-up that
// every `falco` run (and every importer of this package) would otherwise pay with gRPC disabled.
function grpcJs(): typeof GrpcJsModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@grpc/grpc-js') as typeof GrpcJsModule;
}

/** Loads the service definitions; exported so tests and tools build real clients from the same files. */
export function loadFalcoProtos(): { outputs: ServiceClientConstructor; version: ServiceClientConstructor } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadSync } = require('@grpc/proto-loader') as typeof ProtoLoaderModule;
  const def = loadSync(['outputs.proto', 'version.proto'], {
    includeDirs: [PROTO_DIR],
    keepCase: true,
    longs: String,
    enums: Number,
    defaults: true,
  });
  const root = grpcJs().loadPackageDefinition(def) as unknown as { falco: { outputs: GrpcObject; version: GrpcObject } };
  return {
    outputs: root.falco.outputs.service as ServiceClientConstructor,
    version: root.falco.version.service as ServiceClientConstructor,
  };
}

function readPem(key: string, path: string): Buffer {
  if (path === '') throw configError(key, 'is required for a TCP bind_address (the gRPC server uses mutual TLS)');
  try {
    return readFileSync(path);
  } catch (err) {
    throw configError(key, `cannot read ${path}: ${(err as Error).message}`, path);
  }
}

export const grpcSink = defineSink({
  name: 'grpc',
  section: 'grpc_output',
  extraSections: ['grpc'],
  summary: "Serves alerts to Falco gRPC clients (`falco.outputs.service` `get`/`sub`, `falco.version.service`).",
  spoolable: false,
  configSchema: {
    enabled: { type: 'boolean', default: false, doc: 'Serve alerts over gRPC (`grpc.enabled` must be true as well).' },
    bind_address: { type: 'string', default: 'unix:///run/falco/falco.sock', doc: '`unix:///path` (no TLS) or `host:port` (mutual TLS). From the `grpc` section.' },
    threadiness: { type: 'integer', default: 0, min: 0, doc: 'Accepted for compatibility; Node serves gRPC on its event loop. From the `grpc` section.' },
    private_key: { type: 'string', default: '', doc: 'Server key (PEM), for TCP. From the `grpc` section.' },
    cert_chain: { type: 'string', default: '', doc: 'Server certificate chain (PEM), for TCP. From the `grpc` section.' },
    root_certs: { type: 'string', default: '', doc: 'CA certificates (PEM) that client certificates must chain to, for TCP. From the `grpc` section.' },
    buffer_size: { type: 'integer', default: 10000, min: 1, doc: 'Alerts kept for `get` (and for a `sub` that connects later); the oldest are dropped and counted beyond this.' },
  },
  async create(config, ctx) {
    const unixPath = config.bind_address.startsWith('unix://') ? config.bind_address.slice('unix://'.length) : undefined;
    const { Server, ServerCredentials } = grpcJs();
    let creds: GrpcJsModule.ServerCredentials;
    if (unixPath !== undefined) {
      if (unixPath === '') throw configError('grpc.bind_address', 'unix:// needs a path', config.bind_address);
      mkdirSync(dirname(unixPath), { recursive: true });
      // A socket file left by a previous run would make the bind fail.
      rmSync(unixPath, { force: true });
      creds = ServerCredentials.createInsecure();
    } else {
      creds = ServerCredentials.createSsl(
        readPem('grpc.root_certs', config.root_certs),
        [{ private_key: readPem('grpc.private_key', config.private_key), cert_chain: readPem('grpc.cert_chain', config.cert_chain) }],
        true,
      );
    }

    const buffer = new RingQueue<GrpcResponse>(config.buffer_size);
    const subscribers = new Set<ServerDuplexStream<unknown, GrpcResponse>>();
    const flushBuffer = (write: (r: GrpcResponse) => void): void => {
      for (let r = buffer.shift(); r !== undefined; r = buffer.shift()) write(r);
    };

    const { outputs, version } = loadFalcoProtos();
    const server = new Server();
    server.addService(outputs.service, {
      get(call: ServerWritableStream<unknown, GrpcResponse>) {
        flushBuffer((r) => call.write(r));
        call.end();
      },
      sub(call: ServerDuplexStream<unknown, GrpcResponse>) {
        subscribers.add(call);
        flushBuffer((r) => call.write(r));
        const done = (): void => {
          subscribers.delete(call);
        };
        call.on('data', () => undefined);
        call.on('end', () => {
          done();
          call.end();
        });
        call.on('cancelled', done);
        call.on('error', done);
      },
    });
    const versionReply = parseVersion(ctx.version);
    server.addService(version.service, {
      version(_call: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<unknown>) {
        cb(null, versionReply);
      },
    });
    await new Promise<void>((resolve, reject) =>
      server.bindAsync(config.bind_address, creds, (err) =>
        err ? reject(configError('grpc.bind_address', `cannot listen: ${err.message}`, config.bind_address)) : resolve(),
      ),
    );

    const deliver = (alert: Alert): void => {
      const r = toGrpcResponse(alert, ctx.format.timeIso8601);
      if (subscribers.size > 0) {
        for (const call of subscribers) call.write(r);
        return;
      }
      if (!buffer.push(r)) {
        buffer.shift();
        buffer.push(r);
        ctx.countDrop(1);
      }
    };
    return {
      async send(alert) {
        deliver(alert);
      },
      async sendBatch(alerts) {
        for (const a of alerts) deliver(a);
      },
      async close() {
        for (const call of subscribers) call.end();
        subscribers.clear();
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => {
            server.forceShutdown();
            resolve();
          }, 1000);
          server.tryShutdown(() => {
            clearTimeout(force);
            resolve();
          });
        });
        if (unixPath !== undefined) rmSync(unixPath, { force: true });
      },
    };
  },
});
