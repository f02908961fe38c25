/**
 * The command line: `falco-event-generator [--list] [--host-only] [--docker-host URL] [--image REF]
 * [--pause MS] [behaviour…]`. With no behaviour names it performs every host behaviour, plus the
 * container ones when a Docker engine is given (flag or DOCKER_HOST).
 */
import { BEHAVIOURS, selectBehaviours } from './catalogue';
import { GeneratorError, GeneratorUsageError } from './errors';
import { runBehaviours } from './run';

export interface CliOptions {
  readonly list: boolean;
  readonly hostOnly: boolean;
  readonly dockerHost?: string;
  readonly image?: string;
  readonly pauseMs: number;
  readonly names: readonly string[];
}

const USAGE = 'usage: falco-event-generator [--list] [--host-only] [--docker-host URL] [--image REF] [--pause MS] [behaviour...]';

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  let list = false;
  let hostOnly = false;
  let dockerHost = env.DOCKER_HOST;
  let image: string | undefined = env.FALCO_EG_IMAGE;
  let pauseMs = 0;
  const names: string[] = [];
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined) throw new GeneratorUsageError(`${flag} needs a value\n${USAGE}`, { argument: flag });
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--list') list = true;
    else if (a === '--host-only') hostOnly = true;
    else if (a === '--docker-host') dockerHost = value(i++, a);
    else if (a === '--image') image = value(i++, a);
    else if (a === '--pause') {
      pauseMs = Number(value(i++, a));
      if (!Number.isInteger(pauseMs) || pauseMs < 0) throw new GeneratorUsageError(`--pause needs a whole number of milliseconds\n${USAGE}`, { argument: a });
    } else if (a.startsWith('-')) throw new GeneratorUsageError(`unknown option ${a}\n${USAGE}`, { argument: a });
    else names.push(a);
  }
  return { list, hostOnly, dockerHost, image, pauseMs, names };
}

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Runs the command; resolves to its exit code (0 all performed, 1 some failed, 2 usage). */
export async function main(argv: readonly string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const o = parseArgs(argv, env);
    if (o.list) {
      for (const b of BEHAVIOURS) io.stdout(`${b.name}\t${b.place}\t${b.rule}\t${b.description}\n`);
      return 0;
    }
    const withContainers = !o.hostOnly && o.dockerHost !== undefined && o.image !== undefined;
    const chosen = o.names.length > 0 ? selectBehaviours(o.names) : BEHAVIOURS.filter((b) => b.place === 'host' || withContainers);
    const containers = new Map<string, { id: string; name: string }>();
    const outcomes = await runBehaviours(chosen, {
      dockerHost: o.dockerHost,
      image: o.image,
      pauseMs: o.pauseMs,
      onContainer: (c) => containers.set(c.behaviour, { id: c.id, name: c.name }),
    });
    for (const r of outcomes) {
      // The container id lets a caller find the alerts of a container behaviour.
      const c = containers.get(r.behaviour);
      const where = c ? ` [container ${c.id} ${c.name}]` : '';
      io.stdout(`${r.ok ? 'ok  ' : 'FAIL'} ${r.behaviour} -> ${r.rule}${where}${r.error ? `: ${r.error.message}` : ''}\n`);
    }
    return outcomes.every((r) => r.ok) ? 0 : 1;
  } catch (e) {
    if (e instanceof GeneratorError) {
      io.stderr(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
