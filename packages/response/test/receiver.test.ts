/**
 * The Talon-compatible receiver fed by the detector's own HTTP output (the outputs package's
 * `http_output` sink, as `falco` runs it): the alert names a real process, which the response
 * kills. Bad bodies get Talon's 400 answers; the health endpoint answers.
 */
import { spawn } from 'node:child_process';
import { createAlert } from '@falco-ts/alert';
import { createOutputs } from '@falco-ts/outputs';
import { ContainerRuntimes, ResponseEngine, loadRules, startReceiver, type ActionReport } from '@falco-ts/response';
import { request } from '../src/http';

const RULES = `
- rule: Kill the reverse shell
  match:
    rules: [Reverse shell]
    priority: ">=Warning"
  actions:
    - action: Kill
      actionner: process:kill
`;

test('an alert posted by the http output is acted on', async () => {
  const reports: ActionReport[] = [];
  const engine = new ResponseEngine({ rules: loadRules([{ name: 'r.yaml', content: RULES }]).rules, clients: { runtimes: new ContainerRuntimes([]) }, onReport: (r) => reports.push(r) });
  const receiver = await startReceiver(engine, { address: '127.0.0.1', port: 0 });
  const victim = spawn('sleep', ['600'], { stdio: 'ignore' });
  const died = new Promise((r) => victim.once('exit', (_c, signal) => r(signal)));
  const outputs = await createOutputs(
    { json_output: true, stdout_output: { enabled: false }, syslog_output: { enabled: false }, http_output: { enabled: true, url: `http://127.0.0.1:${receiver.port}/` } },
    { version: '0.1.0' },
  );
  try {
    outputs.emit(createAlert({ rule: 'Reverse shell', priority: 'Critical', source: 'syscall', output: 'Reverse shell (proc=sleep)', outputFields: { 'proc.pid': victim.pid!, 'proc.name': 'sleep' } }));
    expect(await died).toBe('SIGKILL');
    await engine.idle();
    expect(receiver.stats.received).toBe(1);
    expect(reports).toMatchObject([{ rule: 'Kill the reverse shell', actionner: 'process:kill', result: 'success', alert: { rule: 'Reverse shell', priority: 'Critical' } }]);
  } finally {
    await outputs.shutdown();
    await receiver.close();
  }
});

test("bad requests get Talon's answers and never reach the engine", async () => {
  const engine = new ResponseEngine({ rules: [], clients: { runtimes: new ContainerRuntimes([]) } });
  const receiver = await startReceiver(engine, { address: '127.0.0.1', port: 0, maxBodyBytes: 1024 });
  const url = `http://127.0.0.1:${receiver.port}`;
  try {
    expect(await request({ method: 'GET', url: `${url}/` })).toEqual({ status: 400, body: 'Please send with POST http method\n' });
    expect(await request({ method: 'POST', url: `${url}/`, body: '{"rule": ' })).toEqual({ status: 400, body: 'Please send a valid request body\n' });
    expect(await request({ method: 'POST', url: `${url}/`, body: '{"priority": 3}' })).toEqual({ status: 400, body: 'Please send a valid request body\n' });
    expect((await request({ method: 'POST', url: `${url}/`, body: `{"output": "${'x'.repeat(5000)}"}` }).catch(() => ({ status: 413 }))).status).toBe(413);
    expect(await request({ method: 'GET', url: `${url}/healthz` })).toEqual({ status: 200, body: '{"status": "ok"}' });
    expect(receiver.stats).toEqual({ received: 0, rejected: 3 });
  } finally {
    await receiver.close();
  }
});
