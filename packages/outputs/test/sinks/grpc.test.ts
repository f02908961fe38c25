import { join } from 'node:path';
import { credentials } from '@grpc/grpc-js';
import type { Client, ClientReadableStream, ClientDuplexStream, ChannelCredentials } from '@grpc/grpc-js';
import { loadFalcoProtos } from '@falco-ts/outputs';
import { sampleAlert } from '../helpers/alerts';
import { buildOutputs } from '../helpers/build';
import { makePki } from '../helpers/certs';
import { freePort, tempDir, waitFor } from '../helpers/net';

interface Response {
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

type OutputsClient = Client & {
  get(req: object): ClientReadableStream<Response>;
  sub(): ClientDuplexStream<object, Response>;
};
type VersionClient = Client & { version(req: object, cb: (err: Error | null, res: Record<string, unknown>) => void): void };

function clients(address: string, creds: ChannelCredentials): { outputs: OutputsClient; version: VersionClient } {
  const { outputs, version } = loadFalcoProtos();
  return { outputs: new outputs(address, creds) as unknown as OutputsClient, version: new version(address, creds) as unknown as VersionClient };
}

function collect(stream: ClientReadableStream<Response>): Promise<Response[]> {
  const got: Response[] = [];
  return new Promise((resolve, reject) => {
    stream.on('data', (r: Response) => got.push(r));
    stream.on('end', () => resolve(got));
    stream.on('error', reject);
  });
}

describe('grpc sink (Falco gRPC API)', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('over a unix socket: get returns buffered alerts, sub streams new ones, version answers', async () => {
    const sock = join(tmp.dir, 'falco.sock');
    const { outputs } = await buildOutputs({ grpc: { enabled: true, bind_address: `unix://${sock}` }, grpc_output: { enabled: true } });
    const c = clients(`unix://${sock}`, credentials.createInsecure());
    try {
      const a = sampleAlert(0);
      outputs.emit(a);
      outputs.emit(sampleAlert(1, { priority: 'Critical', source: 'k8s_audit' }));
      await outputs.idle();
      const got = await collect(c.outputs.get({}));
      expect(got).toHaveLength(2);
      expect(got[0]).toEqual({
        time: { seconds: '1726240940', nanos: 545718604 },
        priority: 4,
        source_deprecated: 0,
        rule: a.rule,
        output: expect.stringContaining(`: Warning ${a.output}`),
        output_fields: { 'fd.name': '/etc/shadow', 'proc.name': 'cat', 'proc.pid': '4242', 'evt.num': '10000000000000000', 'container.id': '<NA>' },
        hostname: 'test-host',
        tags: ['filesystem', 'mitre_credential_access', 'T1555'],
        source: 'syscall',
      });
      expect(got[1]).toMatchObject({ priority: 2, source_deprecated: 1, source: 'k8s_audit' });
      // Buffer drained by get.
      expect(await collect(c.outputs.get({}))).toEqual([]);

      const stream = c.outputs.sub();
      const live: Response[] = [];
      stream.on('data', (r: Response) => live.push(r));
      stream.write({});
      await new Promise((r) => setTimeout(r, 100));
      for (let i = 2; i < 7; i++) outputs.emit(sampleAlert(i));
      await waitFor(() => live.length === 5, 'five streamed alerts');
      expect(live.map((r) => r.output_fields['proc.pid'])).toEqual(['4244', '4245', '4246', '4247', '4248']);
      stream.end();

      const v = await new Promise<Record<string, unknown>>((resolve, reject) => c.version.version({}, (err, res) => (err ? reject(err) : resolve(res))));
      expect(v).toEqual({ version: '0.42.1', major: 0, minor: 42, patch: 1, prerelease: '', build: '' });
    } finally {
      c.outputs.close();
      c.version.close();
      await outputs.shutdown();
    }
  });

  it('over TCP with mutual TLS, and refuses a client without a certificate', async () => {
    const pki = makePki(tmp.dir);
    const port = await freePort();
    const { outputs } = await buildOutputs({
      grpc: { enabled: true, bind_address: `127.0.0.1:${port}`, private_key: pki.serverKey, cert_chain: pki.serverCert, root_certs: pki.caCert },
      grpc_output: { enabled: true },
    });
    const good = clients(`localhost:${port}`, credentials.createSsl(pki.read(pki.caCert), pki.read(pki.clientKey), pki.read(pki.clientCert)));
    const anon = clients(`localhost:${port}`, credentials.createSsl(pki.read(pki.caCert)));
    try {
      outputs.emit(sampleAlert(0));
      await outputs.idle();
      await expect(collect(anon.outputs.get({}))).rejects.toThrow();
      const got = await collect(good.outputs.get({}));
      expect(got.map((r) => r.rule)).toEqual(['Read sensitive file untrusted']);
    } finally {
      good.outputs.close();
      good.version.close();
      anon.outputs.close();
      anon.version.close();
      await outputs.shutdown();
    }
  });

  it('keeps at most buffer_size alerts for get and counts what it discards', async () => {
    const sock = join(tmp.dir, 'falco.sock');
    const { outputs } = await buildOutputs({ grpc: { enabled: true, bind_address: `unix://${sock}` }, grpc_output: { enabled: true, buffer_size: 3 } });
    const c = clients(`unix://${sock}`, credentials.createInsecure());
    try {
      for (let i = 0; i < 5; i++) outputs.emit(sampleAlert(i));
      await outputs.idle();
      const got = await collect(c.outputs.get({}));
      expect(got.map((r) => r.output_fields['proc.pid'])).toEqual(['4244', '4245', '4246']);
      expect(outputs.stats().grpc.dropped.buffer_full).toBe(2);
    } finally {
      c.outputs.close();
      c.version.close();
      await outputs.shutdown();
    }
  });
});
