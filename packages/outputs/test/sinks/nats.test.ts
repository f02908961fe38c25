import { connect } from 'nats';
import type { NatsConnection } from 'nats';
import { expandSubject, ruleSlug } from '@falco-ts/outputs';
import { sampleAlert } from '../helpers/alerts';
import { buildOutputs } from '../helpers/build';
import { waitFor } from '../helpers/net';
import { makePki } from '../helpers/certs';
import { tempDir } from '../helpers/net';
import { NatsServer } from '../helpers/nats-server';
import { sidekickRejects } from '../helpers/sidekick';

describe('nats sink', () => {
  let server: NatsServer;
  let sub: NatsConnection;
  beforeAll(async () => {
    server = await NatsServer.start();
    sub = await connect({ servers: server.url });
  });
  afterAll(async () => {
    await sub.close();
    await server.stop();
  });

  it('derives subjects from the template', () => {
    expect(ruleSlug('Read sensitive file untrusted')).toBe('read_sensitive_file_untrusted');
    expect(ruleSlug('Launch Privileged Container (k8s) ')).toBe('launch_privileged_container_k8s');
    expect(expandSubject('falco.{priority}.{rule_slug}', sampleAlert(0))).toBe('falco.warning.read_sensitive_file_untrusted');
    expect(expandSubject('x.{source}.{hostname}', sampleAlert(0))).toBe('x.syscall.test_host');
  });

  it('publishes each alert as JSON to falco.<priority>.<rule_slug>, seen by a real subscriber', async () => {
    const got: { subject: string; body: Record<string, unknown> }[] = [];
    const s = sub.subscribe('falco.>', { callback: (_err, m) => got.push({ subject: m.subject, body: JSON.parse(m.string()) }) });
    await sub.flush();
    const { outputs } = await buildOutputs({ nats_output: { enabled: true, servers: [server.url] } });
    await waitFor(() => outputs.stats().nats !== undefined, 'stats');
    for (let i = 0; i < 10; i++) outputs.emit(sampleAlert(i));
    await outputs.idle();
    await waitFor(() => got.length === 10, 'ten messages');
    await outputs.shutdown();
    s.unsubscribe();
    expect(got[0].subject).toBe('falco.warning.read_sensitive_file_untrusted');
    expect(got.map((g) => g.body.output)).toEqual([...Array(10).keys()].map((i) => expect.stringContaining(`seq=${i})`)));
    expect(got.every((g) => sidekickRejects(g.body) === undefined)).toBe(true);
  });

  it('publishes through JetStream with the alert id as message id, so a repeat is de-duplicated', async () => {
    const { outputs } = await buildOutputs({
      nats_output: { enabled: true, servers: [server.url], jetstream: true, jetstream_stream: 'FALCO', jetstream_subjects: ['falco.>'] },
    });
    const a = sampleAlert(0);
    outputs.emit(a);
    outputs.emit(a); // the same alert again, e.g. re-sent after a crash
    outputs.emit(sampleAlert(1));
    await outputs.idle();
    await outputs.shutdown();
    expect(outputs.stats().nats.sent).toBe(3);
    const jsm = await sub.jetstreamManager();
    const info = await jsm.streams.info('FALCO');
    expect(info.state.messages).toBe(2);
    const first = await jsm.streams.getMessage('FALCO', { seq: info.state.first_seq });
    expect(first.header.get('Nats-Msg-Id')).toBe(a.id);
    expect(JSON.parse(new TextDecoder().decode(first.data)).rule).toBe(a.rule);
  });
});

describe('nats sink with TLS and credentials', () => {
  it('connects over mutual TLS with user and password, and fails to a server that wants other credentials', async () => {
    const tmp = tempDir();
    const pki = makePki(tmp.dir);
    const server = await NatsServer.start([
      '--user', 'falco', '--pass', 's3cret',
      '--tls', '--tlscert', pki.serverCert, '--tlskey', pki.serverKey, '--tlsverify', '--tlscacert', pki.caCert,
    ]);
    const tlsKeys = { tls_ca: pki.caCert, tls_cert: pki.clientCert, tls_key: pki.clientKey };
    try {
      const { outputs } = await buildOutputs({ nats_output: { enabled: true, servers: [`tls://localhost:${server.port}`], user: 'falco', password: 's3cret', ...tlsKeys } });
      outputs.emit(sampleAlert(0));
      await outputs.idle();
      await outputs.shutdown();
      expect(outputs.stats().nats.sent).toBe(1);

      const bad = await buildOutputs({ nats_output: { enabled: true, servers: [`tls://localhost:${server.port}`], user: 'falco', password: 'wrong', max_retries: 1, retry_backoff_ms: 10, ...tlsKeys } });
      bad.outputs.emit(sampleAlert(1));
      await bad.outputs.idle();
      await bad.outputs.shutdown(100);
      expect(bad.outputs.stats().nats).toMatchObject({ sent: 0, dropped: { retries_exhausted: 1 } });
      expect(bad.logs.join('\n')).toMatch(/nats: cannot connect \(retrying\)/);
    } finally {
      await server.stop();
      tmp.cleanup();
    }
  });
});
