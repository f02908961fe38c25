/**
 * Runs the project's real `falco` command for one case: cwd is the directory of the cases file,
 * `${WORKDIR}` becomes a fresh scratch directory, `${K8SAUDIT_EVENTS}` the case's audit events file
 * (also exported as an environment variable, which the configuration file refers to).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { LocatedCase } from './case';

export interface RunOutcome {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  workdir: string;
}

/** Where the built `falco` entry point is: `FALCO_TS_BIN`, or the workspace's `packages/cli` build. */
export function falcoEntryPoint(): string {
  const fromEnv = process.env['FALCO_TS_BIN'];
  if (fromEnv) return resolve(fromEnv);
  let dir = __dirname;
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the workspace root (pnpm-workspace.yaml) above ' + __dirname);
    dir = parent;
  }
  return join(dir, 'packages', 'cli', 'dist', 'bin', 'falco.js');
}

function substitute(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{([A-Z0-9_]+)\}/g, (whole, name: string) => vars[name] ?? whole);
}

export function expandPlaceholders(text: string, workdir: string): string {
  return substitute(text, { WORKDIR: workdir });
}

export function runCase(located: LocatedCase, entry: string, timeoutMs: number): Promise<RunOutcome> {
  const { record, baseDir } = located;
  const workdir = mkdtempSync(join(tmpdir(), 'falco-conformance-'));
  const vars: Record<string, string> = { WORKDIR: workdir };
  if (record.k8saudit_events) vars['K8SAUDIT_EVENTS'] = resolve(baseDir, record.k8saudit_events);
  const args = record.argv.map((a) => substitute(a, vars));
  const env: NodeJS.ProcessEnv = { ...process.env, ...vars };
  for (const [k, v] of Object.entries(record.env ?? {})) env[k] = substitute(v, vars);

  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [entry, ...args], { cwd: baseDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => err.push(Buffer.from(`spawn failed: ${e.message}\n`)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveRun({
        exitCode: code,
        signal,
        timedOut,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        workdir,
      });
    });
  });
}
