// Starts a private Podman API service for tests: Debian's podman serving its Docker-compatible
// API on a socket in a fresh directory, with its own storage (vfs), run root, cgroupfs, file
// events, and the same runtime wrapper as dockerd (see dockerd.ts) so privileged containers run.
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killProcessesUnder, pingDocker, unmountUnder, waitFor, writeRuntimeWrapper } from './dockerd';

export interface PodmanService {
  readonly dir: string;
  readonly socketPath: string;
  stop(): Promise<void>;
}

export async function startPodman(): Promise<PodmanService> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ftsp-'));
  const runtime = await writeRuntimeWrapper(dir);
  const socketPath = path.join(dir, 'podman.sock');
  await fs.mkdir(path.join(dir, 'tmp'));
  const log = await fs.open(path.join(dir, 'podman.log'), 'a');
  const child: ChildProcess = spawn(
    'podman',
    [
      `--root=${path.join(dir, 'root')}`, `--runroot=${path.join(dir, 'run')}`, '--storage-driver=vfs',
      '--cgroup-manager=cgroupfs', '--events-backend=file', `--runtime=${runtime}`, `--tmpdir=${path.join(dir, 'tmp')}`,
      'system', 'service', '--time=0', `unix://${socketPath}`,
    ],
    { stdio: ['ignore', log.fd, log.fd], detached: true },
  );
  await log.close();
  await waitFor(() => pingDocker(socketPath), 20000, `podman at ${socketPath}`);
  return {
    dir,
    socketPath,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise<void>((r) => child.once('exit', () => r()));
      }
      await killProcessesUnder(dir);
      await unmountUnder(dir);
      await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}
