/**
 * Behaviours performed inside real Docker containers, through the `docker` command against the
 * engine at `ctx.dockerHost`, with a busybox image (`ctx.image`). Containers are removed after use.
 */
import type { Behaviour, GeneratorContext } from './behaviour';
import { NoDockerError } from './errors';
import { mustExec } from './exec';

let sequence = 0;

// Commands inside the container are named by absolute path: busybox's shell runs a bare applet name
// by re-executing /proc/self/exe, so the kernel would name the process "exe" instead of "cat".

/** Runs a container to completion and reports its id; `script` is run by the container's shell. */
async function runContainer(ctx: GeneratorContext, behaviour: string, dockerArgs: readonly string[], script: string): Promise<void> {
  if (ctx.dockerHost === undefined || ctx.image === undefined) {
    throw new NoDockerError(`behaviour ${behaviour} needs a Docker engine and an image (--docker-host, --image)`, { behaviour });
  }
  const env = { ...process.env, DOCKER_HOST: ctx.dockerHost };
  const name = `falco-eg-${behaviour}-${process.pid}-${++sequence}`;
  const created = await mustExec(behaviour, 'docker', [
    'create', '--name', name, '--label', ctx.containerLabel, ...dockerArgs, ctx.image, 'sh', '-c', `${script}; exit 0`,
  ], env);
  const id = created.stdout.trim();
  ctx.onContainer?.({ behaviour, id, name });
  try {
    await mustExec(behaviour, 'docker', ['start', '-a', id], env);
  } finally {
    await mustExec(behaviour, 'docker', ['rm', '-f', id], env);
  }
}

/**
 * Shells entering a running container as a user does: `docker exec c sh -c ...` (no terminal, as
 * scripts and health checks run), then `docker exec -it` under `script`, which gives the docker
 * client a pseudo-terminal as an interactive user has; that shell starts a second one.
 */
async function execShells(ctx: GeneratorContext, behaviour: string): Promise<void> {
  if (ctx.dockerHost === undefined || ctx.image === undefined) {
    throw new NoDockerError(`behaviour ${behaviour} needs a Docker engine and an image (--docker-host, --image)`, { behaviour });
  }
  const env = { ...process.env, DOCKER_HOST: ctx.dockerHost };
  const name = `falco-eg-${behaviour}-${process.pid}-${++sequence}`;
  const id = (await mustExec(behaviour, 'docker', ['run', '-d', '--name', name, '--label', ctx.containerLabel, ctx.image, 'sleep', '120'], env)).stdout.trim();
  ctx.onContainer?.({ behaviour, id, name });
  try {
    await mustExec(behaviour, 'docker', ['exec', name, 'sh', '-c', '/bin/true; exit 0'], env);
    await mustExec(behaviour, 'script', ['-qec', `docker exec -it ${name} sh -c '/bin/sh -c /bin/true; exit 0'`, '/dev/null'], env);
  } finally {
    await mustExec(behaviour, 'docker', ['rm', '-f', id], env);
  }
}

export const CONTAINER_BEHAVIOURS: readonly Behaviour[] = [
  {
    name: 'container-shell',
    rule: 'Terminal shell in container',
    place: 'container',
    description: 'docker exec runs sh -c in a running container (no terminal: no alert), then docker exec -it runs a shell that starts another',
    expect: { 'proc.name': 'sh' },
    // the terminal shell and the shell it starts
    alerts: 2,
    perform: (ctx) => execShells(ctx, 'container-shell'),
  },
  {
    name: 'container-read-sensitive-file',
    rule: 'Read sensitive file untrusted',
    place: 'container',
    description: "cat reads the container's own /etc/shadow (made for the purpose)",
    expect: { 'proc.name': 'cat', 'fd.name': '/etc/shadow' },
    alerts: 1,
    // making the file is itself a write below /etc
    alsoRaises: { 'Write below etc': 1 },
    perform: (ctx) =>
      runContainer(ctx, 'container-read-sensitive-file', [], '/bin/busybox mkdir -p /etc && echo x > /etc/shadow && /bin/cat /etc/shadow >/dev/null'),
  },
  {
    name: 'privileged-container',
    rule: 'Launch privileged container',
    place: 'container',
    description: 'a --privileged container starts and exits',
    expect: {},
    alerts: 1,
    perform: (ctx) => runContainer(ctx, 'privileged-container', ['--privileged'], 'true'),
  },
  {
    name: 'sensitive-mount-container',
    rule: 'Launch sensitive mount container',
    place: 'container',
    description: "a container starts with the host's /etc mounted read-only",
    expect: {},
    alerts: 1,
    perform: (ctx) => runContainer(ctx, 'sensitive-mount-container', ['-v', '/etc:/host/etc:ro'], 'true'),
  },
];
