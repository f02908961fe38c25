/**
 * Runs the real nats-server (Debian package) for a test, on a fixed port so it can be stopped and
 * started again to simulate an outage, with JetStream storage in a temp dir.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort, tempDir } from './net';

const BINARY = ['/usr/sbin/nats-server', '/usr/bin/nats-server'].find((p) => existsSync(p)) ?? 'nats-server';

export class NatsServer {
  private child: ChildProcess | undefined;
  private readonly store = tempDir('nats-js-');

  private constructor(
    readonly port: number,
    private readonly extraArgs: readonly string[],
  ) {}

  /** `extraArgs` go to nats-server as they are (authentication, TLS). */
  static async start(extraArgs: readonly string[] = []): Promise<NatsServer> {
    const s = new NatsServer(await freePort(), extraArgs);
    await s.up();
    return s;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** Starts the server and resolves once it accepts clients. */
  up(): Promise<void> {
    const child = spawn(BINARY, ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.store.dir, ...this.extraArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    return new Promise<void>((resolve, reject) => {
      let log = '';
      const timer = setTimeout(() => reject(new Error(`nats-server did not start:\n${log}`)), 10000);
      child.stderr?.on('data', (d: Buffer) => {
        log += d.toString();
        if (log.includes('Server is ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`nats-server exited with ${code}:\n${log}`));
      });
    });
  }

  /** Stops the server (SIGKILL: an outage, not a graceful shutdown). */
  async down(): Promise<void> {
    const c = this.child;
    this.child = undefined;
    if (c === undefined || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.down();
    this.store.cleanup();
  }
}
