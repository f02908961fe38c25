/**
 * A private Docker engine for the live tests, started through the metadata package's documented
 * test-support command (`dockerd.ts start <dir>`), which also imports a busybox image. Stopped with
 * SIGTERM, on which the command stops the engine and removes its directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(__dirname, '../../../..');
const SCRIPT = path.join(REPO, 'packages/metadata/test/support/dockerd.ts');
const TSX = path.join(REPO, 'node_modules/.bin/tsx');
/** The tag the support command gives the busybox image it imports. */
export const BUSYBOX_IMAGE = 'falco-ts/busybox:test';

export interface TestDocker {
  readonly dockerHost: string;
  readonly image: string;
  stop(): Promise<void>;
}

export function startTestDocker(timeoutMs = 90000): Promise<TestDocker> {
  const dir = mkdtempSync('/tmp/falco-eg-dockerd-');
  const child: ChildProcess = spawn(TSX, [SCRIPT, 'start', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (t: string) => (err += t));
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`dockerd did not start in ${timeoutMs} ms: ${err}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dockerd support command exited (${code}): ${err}`));
    });
    child.stdout!.setEncoding('utf8').on('data', (t: string) => {
      out += t;
      const host = /^DOCKER_HOST=(.+)$/m.exec(out)?.[1];
      if (host !== undefined && /^IMAGE=/m.test(out)) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ dockerHost: host, image: BUSYBOX_IMAGE, stop });
      }
    });
  });
}
