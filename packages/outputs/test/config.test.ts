import { OutputsConfigError, planOutputs } from '@falco-ts/outputs';

describe('planOutputs (falco.yaml keys and defaults)', () => {
  it('enables stdout and syslog by default, as Falco does, with a bounded queue', () => {
    const plan = planOutputs({});
    expect(plan.sinks.map((s) => s.def.name)).toEqual(['stdout', 'syslog']);
    expect(plan.queueCapacity).toBe(65536);
    expect(plan.format).toEqual({ json: false, includeOutput: true, includeTags: true, includeOutputFields: true, includeMessage: false, timeIso8601: false });
  });

  it('reads the sections with their defaults filled in', () => {
    const plan = planOutputs({
      json_output: true,
      stdout_output: { enabled: false },
      syslog_output: { enabled: false },
      file_output: { enabled: true, filename: '/tmp/x' },
      http_output: { enabled: true, url: 'http://127.0.0.1:1/', spool_dir: '/tmp/s' },
      outputs_queue: { capacity: 10 },
    });
    expect(plan.sinks.map((s) => s.def.name)).toEqual(['file', 'http']);
    expect(plan.sinks[0].config).toEqual({ enabled: true, keep_alive: false, filename: '/tmp/x' });
    expect(plan.sinks[1].config.user_agent).toBe('falcosecurity/falco');
    expect(plan.sinks[1].spool).toEqual({ spool_dir: '/tmp/s', spool_max_alerts: 100000 });
    expect(plan.queueCapacity).toBe(10);
    expect(plan.format.json).toBe(true);
  });

  it('needs both grpc.enabled and grpc_output.enabled for the gRPC server', () => {
    expect(planOutputs({ grpc_output: { enabled: true } }).sinks.map((s) => s.def.name)).not.toContain('grpc');
    const plan = planOutputs({ grpc: { enabled: true, bind_address: 'unix:///tmp/f.sock' }, grpc_output: { enabled: true } });
    const grpc = plan.sinks.find((s) => s.def.name === 'grpc');
    expect(grpc?.config.bind_address).toBe('unix:///tmp/f.sock');
  });

  it('accepts string scalars from -o overrides', () => {
    const plan = planOutputs({ json_output: 'true', file_output: { enabled: 'true', keep_alive: 'true' }, outputs_queue: { capacity: '5' } });
    expect(plan.format.json).toBe(true);
    expect(plan.queueCapacity).toBe(5);
    expect(plan.sinks.find((s) => s.def.name === 'file')?.config.keep_alive).toBe(true);
  });

  it('reports a bad value with a typed error naming the key', () => {
    const bad = (): unknown => planOutputs({ http_output: { enabled: true, max_retries: 'lots' } });
    expect(bad).toThrow(OutputsConfigError);
    expect(bad).toThrow('invalid output configuration at http_output.max_retries: expected an integer, got "lots"');
    try {
      planOutputs({ syslog_output: { enabled: true, format: 'rfc9999' } });
      throw new Error('not thrown');
    } catch (err) {
      expect(err).toBeInstanceOf(OutputsConfigError);
      expect((err as OutputsConfigError).code).toBe('OUTPUTS_CONFIG_INVALID');
      expect((err as OutputsConfigError).context).toEqual({ key: 'syslog_output.format', value: 'rfc9999' });
      expect((err as OutputsConfigError).shortMessage).toBe('expected one of rfc3164, rfc5424, got "rfc9999"');
    }
    expect(() => planOutputs({ outputs_queue: { capacity: -1 } })).toThrow('outputs_queue.capacity: must be at least 0, got -1');
  });

  it('checks URLs, addresses and templates without opening anything (dry run)', () => {
    expect(() => planOutputs({ http_output: { enabled: true } })).toThrow('invalid output configuration at http_output.url: is required when http_output is enabled');
    expect(() => planOutputs({ http_output: { enabled: true, url: 'ftp://x/' } })).toThrow('http_output.url: must be http:// or https://');
    expect(() => planOutputs({ syslog_output: { enabled: true, address: 'udp://host' } })).toThrow('syslog_output.address: expected udp://host:port or tcp://host:port');
    expect(() => planOutputs({ nats_output: { enabled: true, subject: 'falco.{severity}' } })).toThrow(
      'nats_output.subject: unknown variable {severity}; known: {priority} {rule_slug} {source} {hostname}',
    );
    expect(planOutputs({ syslog_output: { enabled: true, address: 'tcp://[::1]:514' } }).sinks.map((s) => s.def.name)).toContain('syslog');
  });

  it('refuses a spool on a sink that cannot spool', () => {
    expect(() => planOutputs({ file_output: { enabled: true, spool_dir: '/tmp/x' } })).toThrow(
      'file_output.spool_dir: the file sink cannot spool; only http_output and nats_output can',
    );
  });
});
