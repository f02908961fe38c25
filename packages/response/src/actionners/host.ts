/**
 * Host-local actions: signal the offending process (or its process group), and stop, kill or
 * pause its container through the runtime that owns it.
 */
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { fieldString, type ResponseEvent } from '../event';
import type { Params } from '../rules/model';
import { checkTypes, type Actionner, type ActionContext, type ActionResult, type ActionTarget } from './types';

/** `SIGKILL`, `KILL`, `9` → the number and the canonical name. */
export function parseSignal(value: unknown, fallback = 'SIGKILL'): { number: number; name: string } {
  const text = String(value ?? fallback).toUpperCase();
  const signals = constants.signals as Record<string, number>;
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    const name = Object.keys(signals).find((k) => signals[k] === n);
    if (!name) throw new Error(`unknown signal ${text}`);
    return { number: n, name };
  }
  const name = text.startsWith('SIG') ? text : `SIG${text}`;
  const n = signals[name];
  if (n === undefined) throw new Error(`unknown signal ${String(value)}`);
  return { number: n, name };
}

const signalProblems = (p: Params): string[] => {
  if (p.signal === undefined || p.signal === null) return [];
  try {
    parseSignal(p.signal);
    return [];
  } catch (err) {
    return [`parameter 'signal': ${(err as Error).message}`];
  }
};

/** /proc/<pid>/stat: the command (field 2) and the process group (field 5). */
function procStat(pid: number): { comm: string; pgrp: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const close = text.lastIndexOf(')');
  const rest = text.slice(close + 2).split(' ');
  return { comm: text.slice(text.indexOf('(') + 1, close), pgrp: Number(rest[2]) };
}

export const processKill: Actionner = {
  fullName: 'process:kill',
  checkParameters: (p) => [...checkTypes(p, { signal: 'string', process_group: 'boolean' }).filter((m) => !m.startsWith("parameter 'signal'")), ...signalProblems(p)],
  target(event: ResponseEvent): ActionTarget | string {
    const pid = Number(fieldString(event, 'proc.pid'));
    if (!Number.isInteger(pid) || pid <= 0) return "the alert has no 'proc.pid'";
    return { pid, ...(fieldString(event, 'container.id') ? { containerId: fieldString(event, 'container.id')! } : {}) };
  },
  async run(ctx: ActionContext): Promise<ActionResult> {
    const pid = ctx.target.pid!;
    const signal = parseSignal(ctx.parameters.signal);
    const stat = procStat(pid);
    if (!stat) throw new Error(`the process ${pid} no longer exists`);
    // A pid is reused once its process is gone: only signal the process the alert is about.
    const name = fieldString(ctx.event, 'proc.name');
    if (name !== undefined && stat.comm !== name.slice(0, 15)) throw new Error(`the process ${pid} is now '${stat.comm}', not '${name}'`);
    if (ctx.parameters.process_group === true) {
      if (stat.pgrp <= 1) throw new Error(`the process ${pid} has no process group of its own`);
      process.kill(-stat.pgrp, signal.number);
      return { output: `the process group ${stat.pgrp} of the process ${pid} has been sent ${signal.name}`, objects: { pid: String(pid), pgid: String(stat.pgrp) } };
    }
    process.kill(pid, signal.number);
    return { output: `the process ${pid} has been sent ${signal.name}`, objects: { pid: String(pid) } };
  },
};

function containerTarget(event: ResponseEvent): ActionTarget | string {
  const id = fieldString(event, 'container.id');
  if (id === undefined || id === 'host' || id === '') return `the alert has no container (container.id is '${id ?? ''}')`;
  const pod = fieldString(event, 'k8s.pod.name');
  const namespace = fieldString(event, 'k8s.ns.name');
  return { containerId: id, ...(pod ? { pod } : {}), ...(namespace ? { namespace } : {}) };
}

async function owner(ctx: ActionContext) {
  const id = ctx.target.containerId!;
  const found = await ctx.clients.runtimes.find(id);
  if (!found) throw new Error(`no configured container runtime knows the container ${id}`);
  return found;
}

export const containerStop: Actionner = {
  fullName: 'container:stop',
  checkParameters: (p) => checkTypes(p, { timeout_seconds: 'number' }),
  target: containerTarget,
  async run(ctx) {
    const { runtime, state } = await owner(ctx);
    const timeout = typeof ctx.parameters.timeout_seconds === 'number' ? Math.max(0, Math.floor(ctx.parameters.timeout_seconds)) : 0;
    await runtime.stop(state.id, timeout);
    return { output: `the container '${state.name}' (${state.id.slice(0, 12)}) has been stopped by ${runtime.name}`, objects: { container: state.id.slice(0, 12), runtime: runtime.name } };
  },
};

export const containerKill: Actionner = {
  fullName: 'container:kill',
  checkParameters: (p) => [...checkTypes(p, { signal: 'string' }).filter((m) => !m.startsWith("parameter 'signal'")), ...signalProblems(p)],
  target: containerTarget,
  async run(ctx) {
    const { runtime, state } = await owner(ctx);
    const signal = parseSignal(ctx.parameters.signal);
    await runtime.kill(state.id, signal.name);
    return { output: `the container '${state.name}' (${state.id.slice(0, 12)}) has been sent ${signal.name} by ${runtime.name}`, objects: { container: state.id.slice(0, 12), runtime: runtime.name } };
  },
};

export const containerPause: Actionner = {
  fullName: 'container:pause',
  checkParameters: () => [],
  target: containerTarget,
  async run(ctx) {
    const { runtime, state } = await owner(ctx);
    await runtime.pause(state.id);
    return { output: `the container '${state.name}' (${state.id.slice(0, 12)}) has been paused by ${runtime.name}`, objects: { container: state.id.slice(0, 12), runtime: runtime.name } };
  },
};
