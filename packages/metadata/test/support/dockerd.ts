// Starts a private Docker engine for tests: Debian's dockerd with vfs storage, no iptables, no
// bridge, its own data/exec roots and socket under a fresh temporary directory (so it never
// collides with a host engine or with another test run), and a wrapper runtime that makes
// `--privileged` work on machines whose capability bounding set is smaller than the full set.
//
// Library use (jest globalSetup or a test's beforeAll):
//   const engine = await startDockerd();   // engine.socketPath, engine.containerdSocket
//   const image = await buildBusyboxImage(engine.socketPath);
//   await engine.kill(); await engine.restart(); await engine.stop();
//
// CLI use (other packages' tests or a developer's shell):
//   npx tsx packages/metadata/test/support/dockerd.ts start [dir]
// prints `DOCKER_HOST=unix://…` and runs until interrupted, then stops the engine and cleans up.
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs, existsSync, mkdtempSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import os from 'node:os';

export interface DockerdEngine {
  /** Directory holding everything this engine writes. */
  readonly dir: string;
  readonly socketPath: string;
  /** containerd as dockerd runs it (managed containerd under the exec root). */
  readonly containerdSocket: string;
  readonly logPath: string;
  pid(): number | undefined;
  /** SIGKILL the daemon (simulates a runtime crash); containers keep running under containerd. */
  kill(): Promise<void>;
  /** Start the daemon again on the same roots and socket. */
  restart(): Promise<void>;
  /** Stop the daemon and its containerd, then remove the directory. */
  stop(): Promise<void>;
}

export interface StartDockerdOptions {
  /** Use this directory instead of a fresh one under the OS temp dir. */
  dir?: string;
  /** Milliseconds to wait for the API to answer. */
  readyTimeoutMs?: number;
}

const RUNC = ['/usr/sbin/runc', '/usr/bin/runc'].find((p) => existsSync(p)) ?? 'runc';
const DOCKERD = ['/usr/sbin/dockerd', '/usr/bin/dockerd'].find((p) => existsSync(p)) ?? 'dockerd';

// Capability numbers from linux/capability.h; the OCI spec names them, the kernel numbers them.
const CAPABILITY_NUMBERS: readonly string[] = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID',
  'SETPCAP', 'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW',
  'IPC_LOCK', 'IPC_OWNER', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT',
  'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD',
  'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP', 'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG',
  'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF', 'CHECKPOINT_RESTORE',
];

/**
 * The node script the wrapper runtime runs before `runc create|run`: it removes from every
 * capability set in the bundle's config.json the capabilities this machine's bounding set lacks,
 * because runc fails with "unable to apply caps" when asked for one of them.
 */
function capStripScript(): string {
  return `'use strict';
const fs = require('fs');
const names = ${JSON.stringify(CAPABILITY_NUMBERS)};
const args = process.argv.slice(2);
let bundle = '.';
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--bundle' || args[i] === '-b') bundle = args[i + 1];
  else if (args[i].startsWith('--bundle=')) bundle = args[i].slice(9);
}
const file = bundle + '/config.json';
if (!fs.existsSync(file)) process.exit(0);
const line = fs.readFileSync('/proc/self/status', 'utf8').split('\\n').find((l) => l.startsWith('CapBnd:'));
const bnd = BigInt('0x' + line.split(/\\s+/)[1]);
const allowed = (cap) => {
  const n = names.indexOf(cap.replace(/^CAP_/, ''));
  return n < 0 || ((bnd >> BigInt(n)) & 1n) === 1n;
};
const spec = JSON.parse(fs.readFileSync(file, 'utf8'));
const caps = spec.process && spec.process.capabilities;
if (caps) {
  for (const set of Object.keys(caps)) if (Array.isArray(caps[set])) caps[set] = caps[set].filter(allowed);
}
// Raising a hard rlimit needs CAP_SYS_RESOURCE too (Podman asks for more open files than we have).
const limitNames = { RLIMIT_NOFILE: 'Max open files', RLIMIT_NPROC: 'Max processes' };
const limits = fs.readFileSync('/proc/self/limits', 'utf8').split('\\n');
for (const r of (spec.process && spec.process.rlimits) || []) {
  const row = limits.find((l) => limitNames[r.type] && l.startsWith(limitNames[r.type]));
  const hard = row && row.slice(26).trim().split(/\\s+/)[1];
  if (hard && hard !== 'unlimited') {
    r.hard = Math.min(r.hard, Number(hard));
    r.soft = Math.min(r.soft, r.hard);
  }
}
// Lowering oom_score_adj below our own needs CAP_SYS_RESOURCE as well (CRI pause containers ask for -998).
const ownOom = Number(fs.readFileSync('/proc/self/oom_score_adj', 'utf8').trim());
if (spec.process && typeof spec.process.oomScoreAdj === 'number' && spec.process.oomScoreAdj < ownOom) spec.process.oomScoreAdj = ownOom;
fs.writeFileSync(file, JSON.stringify(spec));
`;
}

function wrapperScript(dir: string): string {
  // Only create/run read the spec; every other runc call goes straight through.
  return `#!/bin/sh
case " $* " in
  *" create "*|*" run "*) "${process.execPath}" "${dir}/strip-caps.js" "$@" || exit 1 ;;
esac
exec ${RUNC} "$@"
`;
}

/** GET /_ping over the unix socket; resolves true when the engine answers OK. */
export function pingDocker(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: '/_ping', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes `<dir>/runc-wrap`, an OCI runtime that fits the spec to this machine's limits (capability
 * bounding set, hard rlimits, oom_score_adj floor) and then runs runc. Returns its path.
 */
export async function writeRuntimeWrapper(dir: string): Promise<string> {
  await fs.writeFile(path.join(dir, 'strip-caps.js'), capStripScript());
  await fs.writeFile(path.join(dir, 'runc-wrap'), wrapperScript(dir), { mode: 0o755 });
  return path.join(dir, 'runc-wrap');
}

export async function startDockerd(options: StartDockerdOptions = {}): Promise<DockerdEngine> {
  // Short paths: unix socket paths are limited to 108 bytes and containerd nests under exec-root.
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'ftsd-'));
  const readyTimeoutMs = options.readyTimeoutMs ?? 30000;
  await fs.mkdir(dir, { recursive: true });
  await writeRuntimeWrapper(dir);
  const socketPath = path.join(dir, 'docker.sock');
  const execRoot = path.join(dir, 'exec');
  const logPath = path.join(dir, 'dockerd.log');
  let child: ChildProcess | undefined;

  const launch = async () => {
    const log = await fs.open(logPath, 'a');
    child = spawn(
      DOCKERD,
      [
        '--storage-driver=vfs', '--iptables=false', '--bridge=none', '--ip-masq=false',
        `--data-root=${path.join(dir, 'data')}`, `--exec-root=${execRoot}`,
        `--pidfile=${path.join(dir, 'docker.pid')}`, `-H`, `unix://${socketPath}`,
        `--add-runtime=wrap=${path.join(dir, 'runc-wrap')}`, '--default-runtime=wrap',
      ],
      { stdio: ['ignore', log.fd, log.fd], detached: true },
    );
    await log.close();
    const exited = new Promise<never>((_, reject) =>
      child?.once('exit', (code) => reject(new Error(`dockerd exited with ${code}; see ${logPath}`))),
    );
    exited.catch(() => undefined);
    await Promise.race([waitFor(() => pingDocker(socketPath), readyTimeoutMs, `dockerd at ${socketPath}`), exited]);
  };

  const containerdPid = async () =>
    Number((await fs.readFile(path.join(execRoot, 'containerd', 'containerd.pid'), 'utf8').catch(() => '')).trim());

  const waitExit = async (c: ChildProcess | undefined) => {
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((r) => c.once('exit', () => r()));
  };

  await launch();
  const engine: DockerdEngine = {
    dir,
    socketPath,
    containerdSocket: path.join(execRoot, 'containerd', 'containerd.sock'),
    logPath,
    pid: () => child?.pid,
    async kill() {
      const c = child;
      c?.kill('SIGKILL');
      await waitExit(c);
      // The managed containerd follows its parent down; a restart that races its shutdown finds
      // the old pid alive, skips starting a new one, and times out on the vanished socket.
      const pid = await containerdPid();
      if (pid > 0) await waitFor(async () => !processAlive(pid), 10000, 'containerd to exit').catch(() => undefined);
      await fs.rm(socketPath, { force: true });
    },
    async restart() {
      await launch();
    },
    async stop() {
      const c = child;
      if (c && c.exitCode === null && c.signalCode === null) {
        c.kill('SIGTERM');
        const t = setTimeout(() => c.kill('SIGKILL'), 15000);
        await waitExit(c);
        clearTimeout(t);
      }
      // Managed containerd outlives a killed dockerd; stop it by the pid it recorded.
      const pid = await containerdPid();
      if (pid > 0 && processAlive(pid)) {
        process.kill(pid, 'SIGTERM');
        await waitFor(async () => !processAlive(pid), 10000, 'containerd to exit').catch(() => process.kill(pid, 'SIGKILL'));
      }
      await killProcessesUnder(dir);
      await unmountUnder(dir);
      await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
  return engine;
}

/** Shims whose command line names our directory belong to this engine only. */
export async function killProcessesUnder(dir: string): Promise<void> {
  for (const entry of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await fs.readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(`${dir}/`)) {
      try {
        process.kill(Number(entry), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

/** dockerd leaves bind mounts (netns, shm) under its roots after a kill; unmount them deepest first. */
export async function unmountUnder(dir: string): Promise<void> {
  const mounts = (await fs.readFile('/proc/self/mounts', 'utf8'))
    .split('\n')
    .map((l) => l.split(' ')[1])
    .filter((m): m is string => !!m && m.startsWith(dir + '/'))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) {
    await new Promise<void>((r) => spawn('umount', ['-l', m], { stdio: 'ignore' }).once('exit', () => r()));
  }
}

const BUSYBOX = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p)) ?? '/bin/busybox';
const APPLETS = ['sh', 'sleep', 'cat', 'echo', 'ls', 'true', 'false', 'id', 'ps', 'hostname', 'env', 'touch', 'rm'];

/**
 * Builds an image from Debian's static busybox (a rootfs tarball fed to the engine's import
 * endpoint, as `docker import` does) and tags it. Returns the image id.
 */
export async function buildBusyboxImage(socketPath: string, reference = 'falco-ts/busybox:test'): Promise<string> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ftsd-rootfs-'));
  try {
    // mkdtemp makes the root 0700; a container running as a non-root user must traverse it.
    await fs.chmod(root, 0o755);
    await fs.mkdir(path.join(root, 'bin'), { mode: 0o755 });
    await fs.mkdir(path.join(root, 'tmp'));
    await fs.chmod(path.join(root, 'tmp'), 0o1777);
    await fs.copyFile(BUSYBOX, path.join(root, 'bin', 'busybox'));
    await fs.chmod(path.join(root, 'bin', 'busybox'), 0o755);
    for (const a of APPLETS) await fs.symlink('busybox', path.join(root, 'bin', a));
    const [repo, tag] = splitReference(reference);
    const tar = spawn('tar', ['-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const body = await new Promise<string>((resolve, reject) => {
      const req = http.request(
        {
          socketPath,
          method: 'POST',
          path: `/images/create?fromSrc=-&repo=${encodeURIComponent(repo)}&tag=${encodeURIComponent(tag)}`,
          headers: { 'Content-Type': 'application/x-tar' },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`import failed: ${res.statusCode} ${text}`))));
        },
      );
      req.on('error', reject);
      tar.stdout?.pipe(req);
    });
    const status = body.trim().split('\n').map((l) => JSON.parse(l) as { status?: string; error?: string });
    const failed = status.find((s) => s.error);
    if (failed) throw new Error(`import failed: ${failed.error}`);
    const id = status.map((s) => s.status ?? '').find((s) => s.startsWith('sha256:'));
    if (!id) throw new Error(`import returned no image id: ${body}`);
    // Podman's compatibility import ignores repo/tag; tagging afterwards works on both engines.
    await post(socketPath, `/images/${id}/tag?repo=${encodeURIComponent(repo)}&tag=${encodeURIComponent(tag)}`);
    return id;
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

function post(socketPath: string, urlPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method: 'POST', path: urlPath }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode && res.statusCode < 300 ? resolve() : reject(new Error(`POST ${urlPath}: ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

function splitReference(reference: string): [string, string] {
  const colon = reference.lastIndexOf(':');
  if (colon > reference.lastIndexOf('/')) return [reference.slice(0, colon), reference.slice(colon + 1)];
  return [reference, 'latest'];
}

async function main(argv: string[]): Promise<void> {
  const [command, dir] = argv;
  if (command !== 'start') {
    process.stderr.write('usage: dockerd.ts start [dir]\n');
    process.exitCode = 2;
    return;
  }
  const engine = await startDockerd(dir ? { dir } : {});
  const image = await buildBusyboxImage(engine.socketPath);
  process.stdout.write(`DOCKER_HOST=unix://${engine.socketPath}\nCONTAINERD_ADDRESS=${engine.containerdSocket}\nIMAGE=${image}\n`);
  const shutdown = () => {
    engine.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
