/**
 * Building blocks for tests that synthesise captures: the current layout of an event, parameters
 * encoded by their table type, socket addresses and tuples, and a plain host thread.
 */
import { EF, EVENT_TABLE, type ThreadInfo } from '@falco-ts/driver';
import { encodeParam } from '../syscall/events';

/** The newest layout of an event (execve's enter event is kept in captures though marked old). */
export function typeOf(name: string, dir: 'enter' | 'exit'): number {
  const all = EVENT_TABLE.filter((x) => x.name === name && x.dir === dir && (x.flags & EF.UNUSED) === 0);
  const e = all.find((x) => (x.flags & EF.OLD_VERSION) === 0) ?? all[all.length - 1];
  if (e === undefined) throw new Error(`no event ${name}`);
  return e.id;
}

export type Value = number | string | readonly string[] | Uint8Array;

/** A parameter value encoded as its table type `pt` stores it (the one test encoder). */
export function param(pt: number, v: Value | undefined): Uint8Array {
  return encodeParam(pt, v);
}

/** An IPv4 socket tuple parameter. */
export function tuple(sip: number[], sport: number, dip: number[], dport: number): Uint8Array {
  const b = new Uint8Array(13);
  const dv = new DataView(b.buffer);
  b[0] = 2;
  b.set(sip, 1);
  dv.setUint16(5, sport, true);
  b.set(dip, 7);
  dv.setUint16(11, dport, true);
  return b;
}

/** An IPv4 socket address parameter. */
export function sockaddr(ip: number[], port: number): Uint8Array {
  const b = new Uint8Array(7);
  b[0] = 2;
  b.set(ip, 1);
  new DataView(b.buffer).setUint16(5, port, true);
  return b;
}

/** A root-owned host process running `/usr/bin/<comm>`, single-threaded, no fds. */
export function thread(tid: number, comm: string): ThreadInfo {
  return {
    tid, pid: tid, ptid: 1, sid: tid, vpgid: tid, pgid: tid, comm, exe: comm, exepath: `/usr/bin/${comm}`, args: [], cwd: '/',
    fdlimit: 1024, flags: 0, uid: 0, gid: 0, vmsizeKb: 0, vmrssKb: 0, vmswapKb: 0, pfmajor: 0n, pfminor: 0n, env: [],
    vtid: tid, vpid: tid, cgroups: [], root: '/', pidnsInitStartTs: 0n, tty: 0, loginuid: 0, exeWritable: false,
    capInheritable: 0n, capPermitted: 0n, capEffective: 0n, exeUpperLayer: false, exeLowerLayer: false, exeFromMemfd: false,
    exeIno: 0n, exeInoCtime: 0n, exeInoMtime: 0n, fds: [],
  };
}
