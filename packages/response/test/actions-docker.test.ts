/**
 * Host-local actions against a real private dockerd with real containers: pause, stop and kill
 * through the Engine API, checked by inspecting the container; dry-run leaves it running and
 * sends nothing to the runtime; the detector's own container is never touched.
 */
import { spawn } from 'node:child_process';
import { ContainerRuntimes, DockerEngineRuntime, ResponseEngine, loadRules, type ActionReport, type ContainerRuntime, type ResponseEvent } from '@falco-ts/response';
import { containerState, removeContainer, runSleeper, socketOf, startTestDocker, type TestDocker } from './support/docker';

let docker: TestDocker;
let socket: string;
const created: string[] = [];

beforeAll(async () => {
  docker = await startTestDocker();
  socket = socketOf(docker.dockerHost);
}, 120000);

afterAll(async () => {
  for (const id of created) await removeContainer(socket, id).catch(() => undefined);
  await docker?.stop();
});

const RULES = `
- rule: Miner
  match:
    rules: [Detect crypto miners]
  actions:
    - action: Stop
      actionner: container:stop
- rule: Shell
  match:
    rules: [Terminal shell in container]
  actions:
    - action: Freeze
      actionner: container:pause
- rule: Kill
  match:
    rules: [Drop and execute new binary in container]
  actions:
    - action: Kill
      actionner: container:kill
      parameters:
        signal: KILL
`;

function alert(rule: string, fields: Record<string, string | number>): ResponseEvent {
  return { rule, priority: 'Critical', output: `${rule} (test)`, time: new Date().toISOString(), hostname: 'node-1', source: 'syscall', tags: [], outputFields: fields };
}

function engine(reports: ActionReport[], extra: { dryRun?: boolean; runtimes?: ContainerRuntimes; protect?: { containers: string[] } } = {}): ResponseEngine {
  return new ResponseEngine({
    rules: loadRules([{ name: 'rules.yaml', content: RULES }]).rules,
    clients: { runtimes: extra.runtimes ?? new ContainerRuntimes([new DockerEngineRuntime('docker', socket)]) },
    onReport: (r) => reports.push(r),
    ...(extra.dryRun ? { dryRun: true } : {}),
    ...(extra.protect ? { protect: extra.protect } : {}),
  });
}

test('stop, pause and kill act on the container through dockerd', async () => {
  const [a, b, c] = await Promise.all(['stop-me', 'pause-me', 'kill-me'].map((n) => runSleeper(socket, docker.image, n)));
  created.push(a!, b!, c!);
  const reports: ActionReport[] = [];
  const e = engine(reports);
  await e.handle(alert('Detect crypto miners', { 'container.id': a!.slice(0, 12) }));
  await e.handle(alert('Terminal shell in container', { 'container.id': b!.slice(0, 12) }));
  await e.handle(alert('Drop and execute new binary in container', { 'container.id': c!.slice(0, 12) }));
  expect(reports.map((r) => [r.actionner, r.result])).toEqual([
    ['container:stop', 'success'],
    ['container:pause', 'success'],
    ['container:kill', 'success'],
  ]);
  expect((await containerState(socket, a!)).Running).toBe(false);
  expect(await containerState(socket, b!)).toMatchObject({ Running: true, Paused: true });
  expect((await containerState(socket, c!)).Running).toBe(false);
  expect(reports[0]!.output).toContain("the container 'stop-me'");
  expect(e.actionCounts()).toEqual(expect.arrayContaining([{ actionner: 'container:stop', result: 'success', count: 1 }]));
});

test('dry-run walks the action but sends nothing to the runtime', async () => {
  const id = await runSleeper(socket, docker.image, 'dry-run');
  created.push(id);
  const calls: string[] = [];
  const real = new DockerEngineRuntime('docker', socket);
  const counting: ContainerRuntime = {
    name: 'docker',
    inspect: (x) => (calls.push(`inspect ${x}`), real.inspect(x)),
    stop: (x, t) => (calls.push(`stop ${x}`), real.stop(x, t)),
    kill: (x, s) => (calls.push(`kill ${x}`), real.kill(x, s)),
    pause: (x) => (calls.push(`pause ${x}`), real.pause(x)),
  };
  const reports: ActionReport[] = [];
  await engine(reports, { dryRun: true, runtimes: new ContainerRuntimes([counting]) }).handle(alert('Detect crypto miners', { 'container.id': id.slice(0, 12) }));
  expect(reports.map((r) => r.result)).toEqual(['dry_run']);
  expect(calls).toEqual([]);
  expect((await containerState(socket, id)).Running).toBe(true);
});

test('a protected container is skipped, repeats are de-duplicated, a missing container fails', async () => {
  const id = await runSleeper(socket, docker.image, 'protected');
  created.push(id);
  const reports: ActionReport[] = [];
  const e = engine(reports, { protect: { containers: [id] } });
  await e.handle(alert('Detect crypto miners', { 'container.id': id.slice(0, 12) }));
  expect(reports.pop()).toMatchObject({ result: 'skipped', output: expect.stringContaining('is protected') });
  expect((await containerState(socket, id)).Running).toBe(true);

  const other = await runSleeper(socket, docker.image, 'twice');
  created.push(other);
  await e.handle(alert('Terminal shell in container', { 'container.id': other.slice(0, 12) }));
  await e.handle(alert('Terminal shell in container', { 'container.id': other.slice(0, 12) }));
  expect(reports.splice(0).map((r) => r.result)).toEqual(['success', 'skipped']);

  await e.handle(alert('Detect crypto miners', { 'container.id': 'feedfacecafe' }));
  await e.handle(alert('Detect crypto miners', { 'container.id': 'host' }));
  expect(reports.map((r) => [r.result, r.output])).toEqual([
    ['failure', 'no configured container runtime knows the container feedfacecafe'],
    ['failure', "the alert has no container (container.id is 'host')"],
  ]);
});

test('process:kill signals the offending process, or its whole process group', async () => {
  const rules = loadRules([
    {
      name: 'rules.yaml',
      content: `
- rule: Kill process
  match: { rules: [Netcat Remote Code Execution in Container] }
  actions:
    - action: Kill
      actionner: process:kill
- rule: Kill group
  match: { rules: [Reverse shell] }
  actions:
    - action: Kill group
      actionner: process:kill
      parameters: { process_group: true, signal: TERM }
`,
    },
  ]).rules;
  const reports: ActionReport[] = [];
  const e = new ResponseEngine({ rules, clients: { runtimes: new ContainerRuntimes([]) }, onReport: (r) => reports.push(r) });
  const single = spawn('sleep', ['600'], { stdio: 'ignore' });
  const exited = new Promise((r) => single.once('exit', (_code, signal) => r(signal)));
  await e.handle(alert('Netcat Remote Code Execution in Container', { 'proc.pid': single.pid!, 'proc.name': 'sleep' }));
  expect(await exited).toBe('SIGKILL');

  // A shell leading its own group with two children: the whole group goes.
  const leader = spawn('sh', ['-c', 'sleep 600 & sleep 600 & wait'], { stdio: 'ignore', detached: true });
  const leaderExit = new Promise((r) => leader.once('exit', (_code, signal) => r(signal)));
  await new Promise((r) => setTimeout(r, 300));
  await e.handle(alert('Reverse shell', { 'proc.pid': leader.pid!, 'proc.name': 'sh' }));
  expect(await leaderExit).toBe('SIGTERM');
  expect(reports.map((r) => r.result)).toEqual(['success', 'success']);
  expect(reports[1]!.output).toContain(`process group ${leader.pid}`);

  // The detector itself is protected; a pid whose command changed is refused.
  await e.handle(alert('Netcat Remote Code Execution in Container', { 'proc.pid': process.pid, 'proc.name': 'node' }));
  await e.handle(alert('Netcat Remote Code Execution in Container', { 'proc.pid': process.ppid + 0, 'proc.name': 'not-the-same' }));
  expect(reports.slice(2).map((r) => r.result)).toEqual(['skipped', 'skipped']);
});
