import { spawn } from 'node:child_process';
import { behaviourFailed } from './errors';

export interface ExecResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a program to completion and collects its output. Asynchronous on purpose: behaviours such
 * as the reverse shell need this process to keep serving a socket while the child runs.
 */
export function exec(file: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 30000): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `exec` that turns a non-zero exit into a BehaviourFailedError naming the behaviour. */
export async function mustExec(behaviour: string, file: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<ExecResult> {
  const r = await exec(file, args, env).catch((e: unknown) => {
    throw behaviourFailed(behaviour, [file, ...args].join(' '), e instanceof Error ? e.message : String(e));
  });
  if (r.code !== 0) throw behaviourFailed(behaviour, [file, ...args].join(' '), `exit ${r.code}: ${r.stderr.trim()}`);
  return r;
}

/**
 * `sh -c script`, ending in `exit $?` so the shell forks for its last command instead of exec'ing
 * it in place: the command's parent is then the shell, not this Node process.
 */
export function shell(behaviour: string, script: string, env?: NodeJS.ProcessEnv): Promise<ExecResult> {
  return mustExec(behaviour, '/bin/sh', ['-c', `${script}; exit $?`], env);
}
